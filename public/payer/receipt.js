/**
 * The receipt (`/r/{id}`), only for a payment Djomy's status endpoint
 * confirmed: merchant, amount, method, reference, time of payment in Conakry,
 * masked phone, Djomy's transaction reference, and a QR code of the live
 * check (`/v/{id}`) so that a cashier can tell a genuine receipt from a
 * doctored screenshot. An unpaid payment gets a page that says so and shows
 * nothing that could pass for a receipt: no amount marked paid, no QR code.
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
    'r.title': 'Reçu de paiement',
    'r.paid': 'Payé',
    'r.method': 'Moyen de paiement',
    'r.reference': 'Référence',
    'r.date': 'Date du paiement',
    'r.payer': 'Payeur',
    'r.tx': 'Transaction Djomy',
    'r.share': 'Partager',
    'r.print': 'Imprimer',
    'r.copied': 'Lien copié',
    'r.copyHere': 'Copiez ce lien :',
    'r.qr': 'Code QR de vérification du paiement',
    'r.qrCaption': 'Scannez pour vérifier ce paiement auprès de la boutique',
    'r.unpaid': 'Paiement non reçu (pour l’instant)',
    'r.unpaidText': 'Djomy n’a pas confirmé ce paiement : ce n’est pas un reçu.',
    'r.follow': 'Suivre le paiement',
    'r.retry': 'Vérifier à nouveau',
    'r.refunded': 'Paiement remboursé',
    'r.offline': 'Pas de réponse. Vérifiez votre connexion et réessayez.',
  },
  en: {
    'r.title': 'Payment receipt',
    'r.paid': 'Paid',
    'r.method': 'Payment method',
    'r.reference': 'Reference',
    'r.date': 'Date of payment',
    'r.payer': 'Payer',
    'r.tx': 'Djomy transaction',
    'r.share': 'Share',
    'r.print': 'Print',
    'r.copied': 'Link copied',
    'r.copyHere': 'Copy this link:',
    'r.qr': 'QR code to check the payment',
    'r.qrCaption': 'Scan to check this payment with the shop',
    'r.unpaid': 'Payment not received (yet)',
    'r.unpaidText': 'Djomy has not confirmed this payment: this is not a receipt.',
    'r.follow': 'Follow the payment',
    'r.retry': 'Check again',
    'r.refunded': 'Payment refunded',
    'r.offline': 'No answer. Check your connection and try again.',
  },
});

const id = paymentIdFromPath();
const card = document.querySelector('[data-testid="receipt"]');
/** The last answer of the receipt endpoint, a 404, or a network failure. */
let shown = { state: 'loading', receipt: null };
let note = '';

const receiptUrl = () => `${location.origin}/r/${id}`;

function row(label, value, testid) {
  return value ? h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': testid }, value)) : null;
}

async function share() {
  const url = receiptUrl();
  if (navigator.share) {
    try {
      return await navigator.share({ title: t('r.title'), url });
    } catch (error) {
      if (error?.name === 'AbortError') return; // the payer closed the share sheet
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    note = t('r.copied');
  } catch {
    note = 'copy';
  }
  render();
}

function paidReceipt(receipt) {
  return [
    receipt.merchantName
      ? h('p', { class: 'merchant', 'data-testid': 'merchant' }, receipt.merchantName)
      : null,
    h('h1', {}, t('r.title')),
    h('p', { class: 'amount', 'data-testid': 'amount' }, money(receipt.amount, receipt.currency)),
    h('p', {}, h('span', { class: 'stamp', 'data-testid': 'stamp' }, t('r.paid'))),
    h(
      'dl',
      { class: 'rows' },
      row(t('r.date'), receipt.paidAt && dateTime(receipt.paidAt), 'paid-at'),
      row(t('r.method'), receipt.paymentMethod && methodName(receipt.paymentMethod), 'method'),
      row(t('r.reference'), receipt.reference, 'reference'),
      row(t('r.payer'), receipt.payer, 'payer'),
      row(t('r.tx'), receipt.transactionId, 'transaction'),
    ),
    h(
      'figure',
      { class: 'qr' },
      h('img', { src: `/r/${id}/qr.svg`, alt: t('r.qr'), width: '160', height: '160', 'data-testid': 'qr' }),
      h('figcaption', {}, t('r.qrCaption')),
    ),
    h(
      'div',
      { class: 'buttons no-print' },
      h('button', { type: 'button', class: 'primary', onclick: share, 'data-testid': 'share' }, t('r.share')),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => print(), 'data-testid': 'print' },
        t('r.print'),
      ),
    ),
    note === 'copy'
      ? h(
          'label',
          { class: 'no-print' },
          t('r.copyHere'),
          h('input', { class: 'copy', readonly: true, value: receiptUrl(), 'data-testid': 'copy-url' }),
        )
      : h('p', { class: 'no-print', role: 'status', 'data-testid': 'share-note' }, note),
  ];
}

function unpaid(receipt) {
  const status = receipt?.status;
  return [
    receipt?.merchantName ? h('p', { class: 'merchant' }, receipt.merchantName) : null,
    h('h1', { 'data-testid': 'unpaid-title' }, status === 'REFUNDED' ? t('r.refunded') : t('r.unpaid')),
    h('p', { 'data-testid': 'unpaid-text' }, t('r.unpaidText')),
    h('a', { class: 'button primary', href: `/pay/${id}`, 'data-testid': 'follow' }, t('r.follow')),
    h('button', { type: 'button', class: 'secondary', onclick: load, 'data-testid': 'retry' }, t('r.retry')),
  ];
}

function render() {
  const { state, receipt } = shown;
  card.dataset.state = state;
  let content;
  if (state === 'paid') content = paidReceipt(receipt);
  else if (state === 'unpaid') content = unpaid(receipt);
  else if (state === 'notfound') content = [h('h1', {}, t('notFound'))];
  else if (state === 'offline')
    content = [
      h('h1', {}, t('r.title')),
      h('p', {}, t('r.offline')),
      h('button', { type: 'button', class: 'secondary', onclick: load }, t('r.retry')),
    ];
  else content = [h('h1', {}, t('r.title')), h('p', { class: 'muted' }, t('loading'))];
  document.title = `${state === 'paid' ? t('r.title') : state === 'unpaid' ? t('r.unpaid') : t('r.title')} — Djomy`;
  card.replaceChildren(...content.filter(Boolean));
}

async function load() {
  if (!id) {
    shown = { state: 'notfound', receipt: null };
    return render();
  }
  const result = await api(`/api/payments/${id}/receipt`);
  if (result.ok) shown = { state: result.body.paid ? 'paid' : 'unpaid', receipt: result.body };
  else shown = { state: result.status === 404 ? 'notfound' : 'offline', receipt: null };
  render();
}

setupLanguage(render);
load();
