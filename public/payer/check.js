/**
 * The live check (`/v/{id}`) that a receipt's QR code opens at the counter.
 * It asks the Worker now, never trusts what the receipt shows, and puts the
 * time of payment in large type beside the time of this check: a genuine but
 * old receipt shown again is told by its date, a doctored one by "NON PAYÉ".
 */
import {
  addStrings,
  api,
  dateTime,
  h,
  methodName,
  money,
  paymentIdFromPath,
  setupLanguage,
  t,
} from './i18n.js';

/** The strings of this page (the shared ones are in i18n.js). */
addStrings({
  fr: {
    'v.title': 'Vérification du paiement',
    'v.ok': 'Vérifié par Djomy ✓',
    'v.paidAt': 'Payé le',
    'v.checkedAt': 'vérifié à {time}',
    'v.no': 'NON PAYÉ',
    'v.noText': 'Djomy ne confirme aucun paiement pour ce reçu. N’acceptez pas ce reçu.',
    'v.refunded': 'Ce paiement a été remboursé.',
    'v.error': 'Vérification impossible',
    'v.errorText': 'Pas de réponse : ne considérez pas ce paiement comme vérifié.',
    'v.refresh': 'Actualiser',
    'v.checking': 'Vérification…',
  },
  en: {
    'v.title': 'Payment check',
    'v.ok': 'Verified by Djomy ✓',
    'v.paidAt': 'Paid on',
    'v.checkedAt': 'checked at {time}',
    'v.no': 'NOT PAID',
    'v.noText': 'Djomy confirms no payment for this receipt. Do not accept it.',
    'v.refunded': 'This payment was refunded.',
    'v.error': 'Cannot check',
    'v.errorText': 'No answer: do not treat this payment as verified.',
    'v.refresh': 'Refresh',
    'v.checking': 'Checking…',
  },
});

const id = paymentIdFromPath();
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
let shown = { state: 'loading', receipt: null };

function verdict() {
  const { state, receipt } = shown;
  if (state === 'paid')
    return h(
      'div',
      { class: 'verdict ok' },
      h('h1', { 'data-testid': 'verdict' }, t('v.ok')),
      h('p', { class: 'amount', 'data-testid': 'amount' }, money(receipt.amount, receipt.currency)),
      h('p', {}, t('v.paidAt')),
      h('p', { class: 'paid-at', 'data-testid': 'paid-at' }, receipt.paidAt ? dateTime(receipt.paidAt) : '—'),
      h(
        'p',
        { class: 'checked', 'data-testid': 'checked-at' },
        t('v.checkedAt', { time: dateTime(receipt.checkedAt, { timeStyle: 'medium' }) }),
      ),
      h(
        'p',
        {},
        [receipt.merchantName, receipt.paymentMethod && methodName(receipt.paymentMethod), receipt.reference]
          .filter(Boolean)
          .join(' · '),
      ),
    );
  if (state === 'unpaid' || state === 'notfound')
    return h(
      'div',
      { class: 'verdict no' },
      h('h1', { 'data-testid': 'verdict' }, t('v.no')),
      h('p', {}, receipt?.status === 'REFUNDED' ? t('v.refunded') : t('v.noText')),
      receipt
        ? h(
            'p',
            { class: 'checked', 'data-testid': 'checked-at' },
            t('v.checkedAt', { time: dateTime(receipt.checkedAt, { timeStyle: 'medium' }) }),
          )
        : null,
    );
  if (state === 'error')
    return h(
      'div',
      { class: 'verdict error' },
      h('h1', { 'data-testid': 'verdict' }, t('v.error')),
      h('p', {}, t('v.errorText')),
    );
  return h('h1', {}, t('v.checking'));
}

function render() {
  $('check').dataset.state = shown.state;
  $('verdict-area').replaceChildren(verdict());
  const titles = { paid: 'v.ok', unpaid: 'v.no', notfound: 'v.no', error: 'v.error', loading: 'v.title' };
  document.title = `${t(titles[shown.state])} — Djomy`;
}

async function check() {
  if (!id) {
    shown = { state: 'notfound', receipt: null };
    return render();
  }
  const button = $('refresh');
  button.disabled = true;
  shown = { state: 'loading', receipt: null };
  render();
  const result = await api(`/api/payments/${id}/receipt`);
  if (result.ok) shown = { state: result.body.paid ? 'paid' : 'unpaid', receipt: result.body };
  else shown = { state: result.status === 404 ? 'notfound' : 'error', receipt: null };
  button.disabled = false;
  render();
}

$('refresh').addEventListener('click', check);
setupLanguage(render);
check();
