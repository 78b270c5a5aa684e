/**
 * The payer's pages in two languages, French first (the payers are in
 * Guinea); only the choice of language is remembered (localStorage). Static
 * text carries `data-i18n="key"`; scripts call `t()`. Amounts and dates are
 * formatted for Guinea (`fr-GN`, `Africa/Conakry`) whatever the device's zone,
 * so a receipt reads the same on every phone.
 */

const STRINGS = {
  fr: {
    lang: 'English',
    langLabel: 'Switch to English',
    by: 'Paiement sécurisé par Djomy',
    amount: 'Montant',
    loading: 'Chargement…',
    notFound: 'Paiement introuvable',
    unreachable: 'Connexion impossible. Nouvel essai dans quelques secondes…',
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
    lang: 'Français',
    langLabel: 'Passer en français',
    by: 'Payment secured by Djomy',
    amount: 'Amount',
    loading: 'Loading…',
    notFound: 'Payment not found',
    unreachable: 'Cannot connect. Trying again in a few seconds…',
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
};

const METHODS = {
  OM: 'Orange Money',
  MOMO: 'MTN MoMo',
  KULU: 'Kulu',
  PAYCARD: 'PayCard',
  SOUTRA_MONEY: 'Soutra Money',
  YMO: 'YMO',
  CARD: 'Carte',
};

const KEY = 'djomy-payer-lang';
const listeners = [];
/** localStorage may be unavailable (private browsing, storage disabled): the switch then lasts the visit. */
let current = (() => {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
})();

export const lang = () => current;

/** @example t('pay.to', { merchant: 'Boutique' }) */
export function t(key, vars = {}) {
  const text = STRINGS[lang()][key] ?? STRINGS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

const locale = () => (lang() === 'en' ? 'en-GB' : 'fr-GN');

/** GNF has no minor unit: "75 000 GNF". */
export const money = (amount, currency) => `${new Intl.NumberFormat(locale()).format(amount)} ${currency}`;

/** A date and time as a payer in Conakry reads it, e.g. "28 novembre 2026 à 10:00". */
export const dateTime = (iso, style = { dateStyle: 'long', timeStyle: 'short' }) =>
  new Intl.DateTimeFormat(locale(), { timeZone: 'Africa/Conakry', ...style }).format(new Date(iso));

export const methodName = (code) =>
  code === 'CARD' && lang() === 'en' ? 'Card' : (METHODS[code] ?? code ?? '—');

/** The payment id of the page's own URL (`/pay/{id}`, `/r/{id}`, `/v/{id}`), or null. */
export function paymentIdFromPath() {
  const id = location.pathname.split('/')[2] ?? '';
  return /^pay_[a-z2-7]{32}$/.test(id) ? id : null;
}

/**
 * A text-only element builder: server text is never parsed as HTML.
 * @example h('p', { class: 'muted' }, 'Bonjour')
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/**
 * `GET`/`POST` on the Worker's own API: resolves with `{ ok, status, body }`,
 * `status` 0 when the network failed; never throws.
 */
export async function api(path, body) {
  try {
    const response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      cache: 'no-store',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { ok: response.ok, status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

function translateStatic() {
  document.documentElement.lang = lang();
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const button = document.querySelector('[data-testid="lang-toggle"]');
  if (button) {
    button.textContent = t('lang');
    button.setAttribute('aria-label', t('langLabel'));
    button.lang = lang() === 'en' ? 'fr' : 'en';
  }
}

/** Wires the language button; `render` runs now and after each switch. */
export function setupLanguage(render) {
  listeners.push(render);
  document.querySelector('[data-testid="lang-toggle"]')?.addEventListener('click', () => {
    current = current === 'en' ? 'fr' : 'en';
    try {
      localStorage.setItem(KEY, current);
    } catch {}
    translateStatic();
    for (const listener of listeners) listener();
  });
  translateStatic();
  render();
}
