/**
 * The counter (`#/counter`): a full-screen live view for the shop's old
 * phone by the till. Each payment Djomy confirms appears in very large type,
 * and may be said aloud in French; the screen may be kept on.
 *
 * `GET /api/admin/live` without `after` gives the cursor to start from (only
 * what arrives from now on is shown); then `?after=<cursor>` every 5 s, by a
 * setTimeout chain, paused while the tab is hidden and caught up when it
 * shows again. A 401 ends the session for the whole console (app.js), which
 * aborts this page and so stops the polling.
 */
import { api } from '../lib/api.js';
import { h, put } from '../lib/dom.js';
import { integer, when } from '../lib/format.js';
import { addStrings, label, lang, t } from '../lib/i18n.js';
import { isAbort, poll, problemText } from '../lib/ui.js';
import { paymentAnnouncement } from '../lib/words.js';

addStrings({
  fr: {
    'counter.title': 'Comptoir',
    'counter.leave': 'Quitter le comptoir',
    'counter.speak': 'Annoncer à voix haute',
    'counter.noSpeech': 'Annonces vocales indisponibles sur ce navigateur.',
    'counter.wake': 'Garder l’écran allumé',
    'counter.noWake':
      'Ce navigateur ne peut pas garder l’écran allumé : réglez la mise en veille du téléphone.',
    'counter.wakeFailed': 'Écran allumé impossible : {detail}',
    'counter.waiting': 'En attente de paiements…',
    'counter.live': 'En direct · vérifié à {time}',
    'counter.offline': 'Connexion perdue, nouvel essai dans 5 secondes…',
    'counter.received': 'Paiement reçu : {amount}',
  },
  en: {
    'counter.title': 'Counter',
    'counter.leave': 'Leave the counter',
    'counter.speak': 'Announce aloud',
    'counter.noSpeech': 'Spoken announcements are not available in this browser.',
    'counter.wake': 'Keep the screen on',
    'counter.noWake': 'This browser cannot keep the screen on: change the phone’s sleep setting.',
    'counter.wakeFailed': 'Cannot keep the screen on: {detail}',
    'counter.waiting': 'Waiting for payments…',
    'counter.live': 'Live · checked at {time}',
    'counter.offline': 'Connection lost, retrying in 5 seconds…',
    'counter.received': 'Payment received: {amount}',
  },
});

const EVERY_MS = 5_000;
/** How many payments stay on screen. */
const KEEP = 6;

/**
 * @typedef {{ eventId: number, paymentId: string, amount: number, currency: string,
 *   paymentMethod: string | null, reference: string | null, at: string }} LivePayment
 */

/**
 * A switch: a checkbox announced as on/off.
 * @param {string} id
 * @param {string} text
 */
function toggle(id, text) {
  const input = h('input', { type: 'checkbox', role: 'switch', id, 'data-testid': id });
  return { input, label: h('label', { class: 'check', for: id }, input, text) };
}

/**
 * Says `text` in French. Chrome needs a user gesture before the first
 * utterance: switching the announcements on is that gesture.
 * @param {string} text
 */
function speak(text) {
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'fr-FR';
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('fr'));
  if (voice) utterance.voice = voice;
  speechSynthesis.speak(utterance);
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const canSpeak = 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
  const canWake = 'wakeLock' in navigator;
  const speech = toggle('counter-speak', t('counter.speak'));
  const wake = toggle('counter-wake', t('counter.wake'));
  speech.input.disabled = !canSpeak;
  wake.input.disabled = !canWake;
  const status = h('p', { class: 'hint', 'data-testid': 'counter-status' });
  const note = h('p', { class: 'note', 'data-testid': 'counter-note', role: 'status' });
  const waiting = h('p', { class: 'waiting', 'data-testid': 'counter-waiting' }, t('counter.waiting'));
  const feed = h('ol', { class: 'feed', 'aria-live': 'polite', 'data-testid': 'counter-feed' });
  const notes = [canSpeak ? '' : t('counter.noSpeech'), canWake ? '' : t('counter.noWake')].filter(Boolean);
  note.textContent = notes.join(' ');

  put(
    ctx.main,
    h(
      'div',
      { class: 'counter', 'data-testid': 'counter' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', { tabindex: '-1' }, t('counter.title')),
        h('a', { class: 'button', href: '#/today', 'data-testid': 'counter-leave' }, t('counter.leave')),
      ),
      h('div', { class: 'switches' }, speech.label, wake.label),
      note,
      status,
      waiting,
      feed,
    ),
  );

  speech.input.addEventListener('change', () => {
    // Said in French in both languages, like the announcements it confirms.
    if (speech.input.checked) speak('Annonces vocales activées');
  });

  // ── Wake lock: held while the switch is on; the browser releases it when the tab hides.
  /** @type {WakeLockSentinel | null} */
  let lock = null;
  const acquire = async () => {
    if (!wake.input.checked || lock || document.hidden || ctx.signal.aborted) return;
    try {
      lock = await navigator.wakeLock.request('screen');
      lock.addEventListener('release', () => {
        lock = null;
      });
      if (ctx.signal.aborted) lock.release().catch(() => {});
    } catch (error) {
      wake.input.checked = false;
      note.textContent = t('counter.wakeFailed', {
        detail: error instanceof Error ? error.message : String(error),
      });
    }
  };
  wake.input.addEventListener('change', () => {
    if (wake.input.checked) acquire();
    else lock?.release().catch(() => {});
  });
  const onVisible = () => {
    if (!document.hidden) acquire();
  };
  document.addEventListener('visibilitychange', onVisible);
  ctx.signal.addEventListener('abort', () => {
    document.removeEventListener('visibilitychange', onVisible);
    lock?.release().catch(() => {});
  });

  // ── The feed.
  /** @param {LivePayment} payment */
  const show = (payment) => {
    waiting.hidden = true;
    feed.prepend(
      h(
        'li',
        {
          'data-testid': 'counter-payment',
          'data-payment-id': payment.paymentId,
          'data-amount': payment.amount,
        },
        h(
          'p',
          { class: 'feed-amount' },
          h('span', { class: 'feed-number' }, integer(payment.amount)),
          ' ',
          h('span', { class: 'feed-currency' }, payment.currency),
        ),
        h(
          'p',
          { class: 'feed-meta' },
          [
            when(payment.at, lang, 'time'),
            payment.paymentMethod ? label('method', payment.paymentMethod) : null,
            payment.reference,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
      ),
    );
    while (feed.children.length > KEEP) feed.lastElementChild?.remove();
    if (speech.input.checked && canSpeak) speak(paymentAnnouncement(payment.amount, payment.currency));
  };

  /** @type {number | null} */
  let cursor = null;
  const check = async () => {
    try {
      // Catch up: a page holds at most 50; keep reading while pages come full.
      for (;;) {
        const live = await api(`/api/admin/live${cursor === null ? '' : `?after=${cursor}`}`, {
          signal: ctx.signal,
        });
        const first = cursor === null;
        cursor = live.cursor;
        if (!first) for (const payment of live.payments) show(payment);
        if (live.payments.length < 50) break;
      }
      status.textContent = t('counter.live', { time: when(Date.now(), lang, 'time') });
      status.classList.remove('message', 'error');
    } catch (error) {
      if (isAbort(error) || ctx.signal.aborted) return;
      status.textContent =
        /** @type {any} */ (error).status === 0 ? t('counter.offline') : problemText(error);
    }
  };
  poll(ctx.signal, check, EVERY_MS);
}
