/**
 * The success and cancel pages. Neither trusts its URL: `?payment=` only
 * names the payment, and what the page says comes from the Worker's verified
 * view (`GET /api/payments/{id}`), polled until Djomy's verdict is in.
 */
import { clearCart } from './cart.js';
import { h } from './dom.js';
import { methodName, money, onLanguage, setupLanguage, t } from './i18n.js';

const { DjomyCheckout } = window;
const params = new URLSearchParams(location.search);
const paymentId = params.get('payment');
const errorCode = params.get('error');
const card = document.querySelector('[data-testid="result"]');

/** What the page currently shows: a state and, once read, the payment. */
let shown = { state: 'checking', payment: null };

function stateOf(payment) {
  if (payment.paid) return 'paid';
  if (payment.status === 'SUCCESS') return 'review'; // verified, but the amount or reference did not match
  if (payment.status === 'CANCELLED') return 'cancelled';
  if (DjomyCheckout.isTerminal(payment.status)) return 'failed';
  return 'pending';
}

function details(payment) {
  const row = (label, value, testid) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value)];
  return h(
    'dl',
    { class: 'details' },
    row(t('result.status'), payment.status, 'payment-status'),
    row(t('result.amount'), money(payment.amount, payment.currency), 'payment-amount'),
    payment.reference ? row(t('result.reference'), payment.reference, 'payment-reference') : [],
    payment.paymentMethod ? row(t('result.method'), methodName(payment.paymentMethod), 'payment-method') : [],
    row(t('result.id'), h('code', {}, payment.id), 'payment-id'),
  );
}

function render() {
  const { state, payment } = shown;
  const title = {
    checking: t('result.checking'),
    paid: t('result.paid'),
    review: t('result.review'),
    cancelled: t('result.cancelled'),
    failed: t('result.failed'),
    pending: t('result.pending'),
    unknown: t('result.unknown'),
    error: t('result.error'),
  }[state];
  const text =
    state === 'error'
      ? t(`error.${errorCode}`) === `error.${errorCode}`
        ? t('error.invalid_form')
        : t(`error.${errorCode}`)
      : state === 'checking'
        ? ''
        : t(`result.${state}Text`);
  card.dataset.state = state;
  document.title = `${title} — Boutique Conakry`;
  card.replaceChildren(
    h('div', { class: `result-icon ${state}`, 'aria-hidden': 'true' }),
    h('h1', { 'data-testid': 'result-title' }, title),
    ...(text ? [h('p', { 'data-testid': 'result-text' }, text)] : []),
    ...(payment ? [details(payment)] : []),
    h('a', { class: 'button primary', href: '/demo/', 'data-testid': 'back-to-shop' }, t('result.back')),
  );
}

function show(payment) {
  shown = { state: stateOf(payment), payment };
  if (payment.paid) clearCart();
  render();
}

async function main() {
  if (!paymentId) {
    shown = { state: errorCode ? 'error' : 'unknown', payment: null };
    return render();
  }
  try {
    show(await DjomyCheckout.waitForPayment(paymentId, { timeoutMs: 10 * 60_000, onUpdate: show }));
  } catch (error) {
    if (error instanceof DjomyCheckout.DjomyCheckoutError && error.status === 404) {
      shown = { state: 'unknown', payment: null };
      render();
    } else if (error?.payment) show(error.payment);
    else throw error;
  }
}

setupLanguage();
onLanguage(render);
main();
