/**
 * The payer's page for one payment (`/pay/{id}`): where a payer comes back
 * after a reload, a closed tab or a lost return from Djomy's portal. It shows
 * what the ledger says now (polled with backoff until the payment closes) and
 * the one thing the payer can do while it is open: type the OTP, go back to
 * the portal, open the wallet app, or approve on the phone. While a payment is
 * open nothing here ever suggests paying again.
 */
import { addStrings, api, h, methodName, money, paymentIdFromPath, setupLanguage, t } from './i18n.js';

/** The strings of this page (the shared ones are in i18n.js). */
addStrings({
  fr: {
    'pay.title': 'Votre paiement',
    'pay.to': 'Paiement à {merchant}',
    'pay.status': 'État : {status}',
    'status.open': 'En attente de confirmation',
    'status.paid': 'Payé',
    'status.closed': 'Non abouti',
    'pay.otpTitle': 'Code de confirmation',
    'pay.otpText': 'Entrez le code reçu par SMS de {method}.',
    'pay.otpLabel': 'Code à 4–6 chiffres',
    'pay.otpSubmit': 'Confirmer le paiement',
    'pay.otpSending': 'Envoi du code…',
    'pay.otpRefused': 'Code refusé. Vérifiez le SMS et retapez le code.',
    'pay.otpInvalid': 'Le code comporte 4 à 6 chiffres.',
    'pay.otpExhausted':
      'Trop de codes ont été essayés pour ce paiement : il ne peut plus être confirmé par code. Recommencez un nouveau paiement depuis la boutique.',
    'pay.otpLost':
      'La réponse de Djomy n’est pas arrivée. Ne payez pas une seconde fois : cette page se met à jour d’elle-même.',
    'pay.portal': 'Le paiement est ouvert sur la page Djomy.',
    'pay.portalGo': 'Continuer le paiement',
    'pay.openText': 'Terminez le paiement dans {method}.',
    'pay.open': 'Ouvrir {method}',
    'pay.approve': 'Approuvez le paiement sur votre téléphone ({method}).',
    'pay.wait':
      'Vérification auprès de Djomy… Ne payez pas une seconde fois : cette page se met à jour d’elle-même.',
    'pay.paid': 'Paiement reçu',
    'pay.paidText': 'Djomy a confirmé votre paiement.',
    'pay.receipt': 'Voir le reçu',
    'pay.failed': 'Paiement non abouti',
    'pay.noMoney': 'Aucun argent n’a été prélevé.',
    'pay.timeout':
      'Le délai de paiement est dépassé. Si l’argent arrive malgré tout, la boutique en sera informée.',
    'pay.review': 'Paiement en vérification',
    'pay.reviewText': 'Djomy a signalé ce paiement ; la boutique le vérifie avant de valider la commande.',
    'pay.refunded': 'Paiement remboursé',
    'pay.refundedText': 'Ce paiement a été remboursé.',
  },
  en: {
    'pay.title': 'Your payment',
    'pay.to': 'Payment to {merchant}',
    'pay.status': 'Status: {status}',
    'status.open': 'Waiting for confirmation',
    'status.paid': 'Paid',
    'status.closed': 'Not completed',
    'pay.otpTitle': 'Confirmation code',
    'pay.otpText': 'Enter the code {method} sent you by SMS.',
    'pay.otpLabel': '4–6 digit code',
    'pay.otpSubmit': 'Confirm the payment',
    'pay.otpSending': 'Sending the code…',
    'pay.otpRefused': 'Code refused. Check the SMS and type the code again.',
    'pay.otpInvalid': 'The code has 4 to 6 digits.',
    'pay.otpExhausted':
      'Too many codes were tried for this payment: it can no longer be confirmed with a code. Start a new payment from the shop.',
    'pay.otpLost': 'Djomy’s answer did not arrive. Do not pay a second time: this page updates by itself.',
    'pay.portal': 'The payment is open on Djomy’s page.',
    'pay.portalGo': 'Continue the payment',
    'pay.openText': 'Finish the payment in {method}.',
    'pay.open': 'Open {method}',
    'pay.approve': 'Approve the payment on your phone ({method}).',
    'pay.wait': 'Checking with Djomy… Do not pay a second time: this page updates by itself.',
    'pay.paid': 'Payment received',
    'pay.paidText': 'Djomy confirmed your payment.',
    'pay.receipt': 'See the receipt',
    'pay.failed': 'Payment not completed',
    'pay.noMoney': 'No money was taken.',
    'pay.timeout': 'The time to pay has run out. If the money arrives anyway, the shop will be told.',
    'pay.review': 'Payment under review',
    'pay.reviewText': 'Djomy flagged this payment; the shop checks it before confirming the order.',
    'pay.refunded': 'Payment refunded',
    'pay.refundedText': 'This payment was refunded.',
  },
});

const id = paymentIdFromPath();
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const CLOSED = ['SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED'];

/** The last public view, the shop's name, and the OTP form's state. */
let view = null;
let merchant = null;
let notFound = false;
let offline = false;
const otp = { error: null, exhausted: false, answers: 0 };
/** The action area is rebuilt only when what it shows changes: a poll must not wipe a half-typed code. */
let actionKey = '';
let delay = 2000;
let timer = 0;

function stateOf() {
  if (notFound) return 'notfound';
  if (!view) return 'loading';
  if (view.paid) return 'paid';
  if (view.status === 'SUCCESS') return 'review';
  if (view.status === 'REFUNDED') return 'refunded';
  if (view.status === 'TIMEOUT') return 'timeout';
  if (view.status === 'FAILED' || view.status === 'CANCELLED') return 'failed';
  return 'open';
}

/** Only web pages: a URL from the server is followed only if it is http(s). */
function webUrl(url) {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

function headline(state) {
  const method = methodName(view?.paymentMethod);
  switch (state) {
    case 'notfound':
      return [t('notFound'), ''];
    case 'loading':
      return [t('pay.title'), t('loading')];
    case 'paid':
      return [t('pay.paid'), t('pay.paidText')];
    case 'review':
      return [t('pay.review'), t('pay.reviewText')];
    case 'refunded':
      return [t('pay.refunded'), t('pay.refundedText')];
    case 'timeout':
      return [t('pay.failed'), t('pay.timeout')];
    case 'failed':
      return [t('pay.failed'), t('pay.noMoney')];
    default:
      return [t('pay.title'), t('pay.status', { status: t('status.open'), method })];
  }
}

function otpForm() {
  const input = h('input', {
    id: 'otp',
    name: 'otp',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{4,6}',
    maxlength: '6',
    required: true,
    'aria-describedby': otp.error ? 'otp-error' : null,
    'aria-invalid': otp.error ? 'true' : null,
    'data-testid': 'otp-input',
  });
  const submit = (event) => {
    event.preventDefault();
    const code = input.value.replace(/\s+/g, '');
    if (!/^\d{4,6}$/.test(code)) {
      otp.error = 'pay.otpInvalid';
      otp.answers++;
      return render();
    }
    sendOtp(code);
  };
  const form = h(
    'form',
    { class: 'otp', onsubmit: submit, novalidate: true },
    h('h2', {}, t('pay.otpTitle')),
    h('p', {}, t('pay.otpText', { method: methodName(view.paymentMethod) })),
    h('label', { for: 'otp' }, t('pay.otpLabel')),
    input,
    otp.error
      ? h('p', { id: 'otp-error', class: 'error', role: 'alert', 'data-testid': 'otp-error' }, t(otp.error))
      : null,
    h('button', { class: 'primary', 'data-testid': 'otp-submit' }, t('pay.otpSubmit')),
  );
  queueMicrotask(() => input.focus());
  return form;
}

function link(href, text, testid, newTab = false) {
  return h(
    'a',
    {
      class: 'button primary',
      href,
      'data-testid': testid,
      ...(newTab ? { target: '_blank', rel: 'noopener' } : {}),
    },
    text,
  );
}

/** What the payer can do now, and a key naming it. */
function action(state) {
  if (state === 'paid') return ['paid', [link(`/r/${id}`, t('pay.receipt'), 'receipt-link')]];
  if (state !== 'open') return [state, []];
  const next = view.next;
  const method = methodName(view.paymentMethod);
  const url = next?.url ? webUrl(next.url) : null;
  if (next?.type === 'otp') {
    if (otp.exhausted)
      return [
        'exhausted',
        [h('p', { class: 'error', role: 'alert', 'data-testid': 'otp-exhausted' }, t('pay.otpExhausted'))],
      ];
    return [`otp:${otp.answers}`, [otpForm()]];
  }
  if (next?.type === 'redirect' && url)
    return [`portal:${url}`, [h('p', {}, t('pay.portal')), link(url, t('pay.portalGo'), 'portal-link')]];
  if (next?.type === 'open_url' && url)
    return [
      `open:${url}`,
      [h('p', {}, t('pay.openText', { method })), link(url, t('pay.open', { method }), 'open-url', true)],
    ];
  if (next?.type === 'approve_on_phone')
    return ['approve', [h('p', { 'data-testid': 'approve' }, t('pay.approve', { method }))]];
  // Open with no usable step (its creation's answer was lost, say): only wait.
  return ['wait', [h('p', { 'data-testid': 'wait' }, t('pay.wait'))]];
}

function setText(testid, text) {
  const node = $(testid);
  if (node.textContent !== text) node.textContent = text;
}

function render() {
  const state = stateOf();
  const card = $('pay');
  card.dataset.state = state;
  const [title, text] = headline(state);
  // Unchanged text is left alone: rewriting it would make screen readers announce it again.
  setText('title', title);
  setText('status', offline ? `${text} ${t('unreachable')}` : text);
  setText('merchant', merchant ? t('pay.to', { merchant }) : '');
  setText('amount', view ? money(view.amount, view.currency) : '');
  document.title = `${title} — Djomy`;
  const [key, nodes] = action(state);
  if (`${key}:${document.documentElement.lang}` !== actionKey) {
    actionKey = `${key}:${document.documentElement.lang}`;
    $('action').replaceChildren(...nodes);
  }
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(poll, ms);
}

/** Follows the ledger: 2 s, growing to 10 s; stops once the payment is closed. */
async function poll() {
  const result = await api(`/api/payments/${id}`);
  offline = !result.ok && result.status !== 404;
  if (result.ok) view = result.body;
  if (result.status === 404) notFound = true;
  render();
  if (notFound || (view && CLOSED.includes(view.status))) return;
  schedule(delay);
  delay = Math.min(delay * 1.5, 10_000);
}

async function sendOtp(code) {
  const button = $('otp-submit');
  button.disabled = true;
  button.textContent = t('pay.otpSending');
  const result = await api(`/api/payments/${id}/otp`, { otp: code });
  otp.answers++;
  otp.error = null;
  const slug = /#problem-([\w-]+)$/.exec(result.body?.type ?? '')?.[1];
  if (result.ok) view = { ...view, ...result.body };
  else if (slug === 'otp-refused') otp.error = 'pay.otpRefused';
  else if (slug === 'otp-attempts-exhausted') otp.exhausted = true;
  else if (result.status === 400) otp.error = 'pay.otpInvalid';
  // 409: closed meanwhile (approved on the phone, say); the poll below tells how.
  // Anything else (network, 502): the code may have reached Djomy, so the outcome is awaited, not guessed.
  else if (result.status !== 409) otp.error = 'pay.otpLost';
  render();
  delay = 2000;
  schedule(0);
}

async function start() {
  if (!id) {
    notFound = true;
    return render();
  }
  // The shop's name is on the receipt endpoint; it also says nothing more than the view when unpaid.
  api(`/api/payments/${id}/receipt`).then((result) => {
    merchant = result.body?.merchantName ?? null;
    render();
  });
  await poll();
}

// A payer back from the wallet app or the portal wants the news now, not at the next tick.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && view && !CLOSED.includes(view.status)) {
    delay = 2000;
    schedule(0);
  }
});
setupLanguage(render);
start();
