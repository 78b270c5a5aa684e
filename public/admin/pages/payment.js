/**
 * One payment (`#/payments/<id>`): amounts, status, payer (masked for the
 * cashier by the API itself), items, the event history, Djomy's
 * transactions, the merchant notifications; "Vérifier maintenant" for
 * everyone, "Renvoyer la notification" for the merchant only.
 */
import { api } from '../lib/api.js';
import { h, put } from '../lib/dom.js';
import { integer, money, when } from '../lib/format.js';
import { addStrings, label, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader, problemText, statusBadge } from '../lib/ui.js';

addStrings({
  fr: {
    'payment.title': 'Paiement',
    'payment.back': '← Tous les paiements',
    'payment.verify': 'Vérifier maintenant',
    'payment.verifying': 'Vérification auprès de Djomy…',
    'payment.changed': 'Djomy a répondu : statut mis à jour ({status}).',
    'payment.unchanged': 'Djomy a répondu : statut inchangé ({status}).',
    'payment.notify': 'Renvoyer la notification',
    'payment.notifying': 'Envoi…',
    'payment.notified': 'Notification {type} renvoyée : {state}, {attempts} essai(s).',
    'payment.notifiedError': 'Dernière erreur : {error}',
    'payment.id': 'N° de paiement',
    'payment.reference': 'Référence',
    'payment.status': 'Statut',
    'payment.paid': 'Payé',
    'payment.flow': 'Parcours',
    'payment.method': 'Moyen',
    'payment.payer': 'Payeur',
    'payment.received': 'Reçu (après frais)',
    'payment.fees': 'Frais',
    'payment.flag': 'Signalement',
    'payment.closeReason': 'Motif de clôture',
    'payment.lastError': 'Dernière erreur',
    'payment.created': 'Créé le',
    'payment.paidAt': 'Payé le',
    'payment.verified': 'Vérifié le',
    'payment.verifyCount': 'Vérifications',
    'payment.expires': 'Expire le',
    'payment.link': 'Lien de paiement',
    'payment.transactionId': 'Transaction Djomy',
    'payment.items': 'Articles',
    'payment.sku': 'Produit',
    'payment.quantity': 'Qté',
    'payment.unit': 'Prix unitaire',
    'payment.events': 'Historique',
    'payment.noEvents': 'Aucun événement.',
    'payment.source': 'par {source}',
    'payment.transactions': 'Transactions Djomy',
    'payment.current': 'actuelle',
    'payment.origin': 'Origine',
    'payment.notifications': 'Notifications au marchand',
    'payment.noNotifications': 'Aucune notification pour ce paiement.',
    'payment.state': 'État',
    'payment.attempts': 'Essais',
    'payment.notFound': 'Ce paiement n’existe pas.',
    'source.create': 'création',
    'source.otp': 'code OTP',
    'source.webhook': 'webhook Djomy',
    'source.return': 'retour du payeur',
    'source.poll': 'suivi de la page',
    'source.schedule': 'revérification programmée',
    'source.cron': 'tâche planifiée',
    'source.admin': 'console',
    'source.link': 'lien de paiement',
  },
  en: {
    'payment.title': 'Payment',
    'payment.back': '← All payments',
    'payment.verify': 'Verify now',
    'payment.verifying': 'Asking Djomy…',
    'payment.changed': 'Djomy answered: status updated ({status}).',
    'payment.unchanged': 'Djomy answered: status unchanged ({status}).',
    'payment.notify': 'Send the notification again',
    'payment.notifying': 'Sending…',
    'payment.notified': 'Notification {type} sent again: {state}, {attempts} attempt(s).',
    'payment.notifiedError': 'Last error: {error}',
    'payment.id': 'Payment id',
    'payment.reference': 'Reference',
    'payment.status': 'Status',
    'payment.paid': 'Paid',
    'payment.flow': 'Flow',
    'payment.method': 'Method',
    'payment.payer': 'Payer',
    'payment.received': 'Received (after fees)',
    'payment.fees': 'Fees',
    'payment.flag': 'Flag',
    'payment.closeReason': 'Close reason',
    'payment.lastError': 'Last error',
    'payment.created': 'Created',
    'payment.paidAt': 'Paid',
    'payment.verified': 'Verified',
    'payment.verifyCount': 'Verifications',
    'payment.expires': 'Expires',
    'payment.link': 'Payment link',
    'payment.transactionId': 'Djomy transaction',
    'payment.items': 'Items',
    'payment.sku': 'Product',
    'payment.quantity': 'Qty',
    'payment.unit': 'Unit price',
    'payment.events': 'History',
    'payment.noEvents': 'No event.',
    'payment.source': 'by {source}',
    'payment.transactions': 'Djomy transactions',
    'payment.current': 'current',
    'payment.origin': 'Origin',
    'payment.notifications': 'Notifications to the merchant',
    'payment.noNotifications': 'No notification for this payment.',
    'payment.state': 'State',
    'payment.attempts': 'Attempts',
    'payment.notFound': 'This payment does not exist.',
    'source.create': 'creation',
    'source.otp': 'OTP code',
    'source.webhook': 'Djomy webhook',
    'source.return': 'payer’s return',
    'source.poll': 'page polling',
    'source.schedule': 'scheduled re-check',
    'source.cron': 'scheduled job',
    'source.admin': 'console',
    'source.link': 'payment link',
  },
});

/**
 * @param {[string, import('../lib/dom.js').Child | import('../lib/dom.js').Child[]][]} pairs
 * @param {string} testid
 */
function facts(pairs, testid) {
  return h(
    'dl',
    { class: 'facts', 'data-testid': testid },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([key, value]) => [h('dt', {}, t(key)), h('dd', { 'data-field': key }, value)]),
  );
}

/**
 * A table that scrolls sideways on a phone; focusable, so that the keyboard can scroll it too.
 * @param {string} name what the table holds (its heading)
 * @param {string[]} headers
 * @param {import('../lib/dom.js').Child[][]} body
 * @param {string} testid
 */
function table(name, headers, body, testid) {
  return h(
    'div',
    { class: 'table-wrap', 'data-testid': testid, tabindex: '0', role: 'region', 'aria-label': name },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((text) => h('th', { scope: 'col' }, text)),
        ),
      ),
      h(
        'tbody',
        {},
        body.map((cells) =>
          h(
            'tr',
            {},
            cells.map((cell) => h('td', {}, cell)),
          ),
        ),
      ),
    ),
  );
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const id = /** @type {string} */ (ctx.params[0]);
  const message = messageBox('payment-message');
  const body = h('div', { 'aria-busy': 'true' }, loading());
  const verify = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'verify-now' },
    t('payment.verify'),
  );
  const notify =
    ctx.role === 'admin'
      ? h('button', { type: 'button', 'data-testid': 'notify-again' }, t('payment.notify'))
      : null;
  put(
    ctx.main,
    h('p', { class: 'no-print' }, h('a', { href: '#/payments' }, t('payment.back'))),
    pageHeader(t('payment.title')),
    h('div', { class: 'actions' }, verify, notify),
    message.box,
    body,
  );

  const show = async () => {
    const detail = await api(`/api/admin/payments/${encodeURIComponent(id)}`, { signal: ctx.signal });
    const p = detail.payment;
    put(
      body,
      h('p', { class: 'big-amount', 'data-testid': 'payment-amount' }, money(p.amount, p.currency)),
      h('p', {}, statusBadge(p.status, Boolean(p.flag))),
      facts(
        [
          ['payment.id', h('code', {}, p.id)],
          ['payment.reference', p.reference],
          ['payment.status', `${label('status', p.status)} (${p.status})`],
          ['payment.paid', p.paid ? t('common.yes') : t('common.no')],
          ['payment.method', label('method', p.paymentMethod)],
          ['payment.flow', label('flow', p.flow)],
          ['payment.payer', p.payer ? h('span', { 'data-testid': 'payment-payer' }, p.payer) : null],
          [
            'payment.received',
            p.receivedAmount === null ? null : money(p.receivedAmount, p.djomyCurrency ?? p.currency),
          ],
          ['payment.fees', p.fees === null ? null : money(p.fees, p.djomyCurrency ?? p.currency)],
          ['payment.flag', p.flag],
          ['payment.closeReason', p.closeReason],
          ['payment.lastError', p.lastError],
          ['payment.created', when(p.createdAt, lang)],
          ['payment.paidAt', p.paidAt ? when(p.paidAt, lang) : null],
          ['payment.verified', p.verifiedAt ? when(p.verifiedAt, lang) : null],
          ['payment.verifyCount', integer(p.verifyCount ?? 0)],
          ['payment.expires', when(p.expiresAt, lang)],
          ['payment.link', p.linkReference],
          ['payment.transactionId', p.transactionId ? h('code', {}, p.transactionId) : null],
        ],
        'payment-facts',
      ),
      p.items?.length
        ? [
            h('h2', {}, t('payment.items')),
            table(
              t('payment.items'),
              [t('payment.sku'), t('payment.quantity'), t('payment.unit')],
              p.items.map((/** @type {{ sku: string, quantity: number, unitAmount: number }} */ item) => [
                item.sku,
                integer(item.quantity),
                money(item.unitAmount, p.currency),
              ]),
              'payment-items',
            ),
          ]
        : null,
      h('h2', {}, t('payment.events')),
      detail.events.length
        ? h(
            'ol',
            { class: 'timeline', 'data-testid': 'payment-events' },
            detail.events.map(
              (/** @type {{ from: string | null, to: string, source: string, at: string }} */ event) =>
                h(
                  'li',
                  {},
                  h(
                    'strong',
                    {},
                    `${event.from ? `${label('status', event.from)} → ` : ''}${label('status', event.to)}`,
                  ),
                  ' ',
                  h(
                    'span',
                    { class: 'muted' },
                    `${t('payment.source', { source: label('source', event.source) })} · ${when(event.at, lang)}`,
                  ),
                ),
            ),
          )
        : h('p', { class: 'muted' }, t('payment.noEvents')),
      h('h2', {}, t('payment.transactions')),
      detail.transactions.length
        ? table(
            t('payment.transactions'),
            [
              t('payment.transactionId'),
              t('payment.status'),
              t('payment.origin'),
              t('payment.paid'),
              t('payment.verified'),
            ],
            detail.transactions.map(
              (
                /** @type {{ transactionId: string, status: string, origin: string, current: boolean,
                 *   paidAmount: number | null, flag: string | null, verifiedAt: string | null }} */ tx,
              ) => [
                h('code', {}, tx.transactionId),
                [
                  label('status', tx.status),
                  tx.current ? ` (${t('payment.current')})` : '',
                  tx.flag ? ` · ${tx.flag}` : '',
                ].join(''),
                tx.origin,
                tx.paidAmount === null ? '—' : money(tx.paidAmount, p.currency),
                when(tx.verifiedAt, lang),
              ],
            ),
            'payment-transactions',
          )
        : h('p', { class: 'muted' }, t('common.none')),
      h('h2', {}, t('payment.notifications')),
      detail.notifications.length
        ? table(
            t('payment.notifications'),
            [t('payment.notifications'), t('payment.state'), t('payment.attempts'), t('payment.lastError')],
            detail.notifications.map(
              (
                /** @type {{ type: string, channel: string, state: string, attempts: number, lastError: string | null }} */ n,
              ) => [`${n.type} (${n.channel})`, n.state, integer(n.attempts), n.lastError ?? '—'],
            ),
            'payment-notifications',
          )
        : h('p', { class: 'muted', 'data-testid': 'payment-notifications' }, t('payment.noNotifications')),
    );
    body.removeAttribute('aria-busy');
    const heading = ctx.main.querySelector('h1');
    if (heading && p.reference) heading.textContent = `${t('payment.title')} ${p.reference}`;
  };

  verify.addEventListener('click', async () => {
    verify.disabled = true;
    message.show('info', t('payment.verifying'));
    try {
      const outcome = await api(`/api/admin/payments/${encodeURIComponent(id)}/verify`, {
        method: 'POST',
        signal: ctx.signal,
      });
      await show();
      message.show(
        'ok',
        t(outcome.changed ? 'payment.changed' : 'payment.unchanged', {
          status: label('status', outcome.payment.status),
        }),
      );
    } catch (error) {
      if (!isAbort(error) && !ctx.signal.aborted) message.error(error);
    } finally {
      verify.disabled = false;
    }
  });

  notify?.addEventListener('click', async () => {
    notify.disabled = true;
    message.show('info', t('payment.notifying'));
    try {
      const outcome = await api(`/api/admin/payments/${encodeURIComponent(id)}/notify`, {
        method: 'POST',
        signal: ctx.signal,
      });
      await show();
      const n = outcome.notification;
      message.show(
        n.state === 'delivered' ? 'ok' : 'error',
        [
          t('payment.notified', { type: outcome.type, state: n.state, attempts: n.attempts }),
          n.lastError ? t('payment.notifiedError', { error: n.lastError }) : '',
        ].join(' '),
      );
    } catch (error) {
      if (!isAbort(error) && !ctx.signal.aborted) message.error(error);
    } finally {
      notify.disabled = false;
    }
  });

  try {
    await show();
  } catch (error) {
    if (isAbort(error) || ctx.signal.aborted) return;
    verify.disabled = true;
    if (notify) notify.disabled = true;
    put(
      body,
      h(
        'p',
        { class: 'message error', role: 'alert' },
        /** @type {any} */ (error).status === 404 ? t('payment.notFound') : problemText(error),
      ),
    );
    body.removeAttribute('aria-busy');
  }
}
