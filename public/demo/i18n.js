/**
 * The demo's two languages. French is the default (the shop is in Guinea);
 * the choice is remembered in localStorage. Static text carries
 * `data-i18n="key"` (or `data-i18n-placeholder`, `data-i18n-aria-label`); dynamic text calls `t()`.
 */

const STRINGS = {
  fr: {
    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'shop.tagline': 'Artisanat et produits de Guinée, payés avec Djomy',
    'shop.products': 'Nos produits',
    'shop.loading': 'Chargement du catalogue…',
    'shop.loadError': 'Le catalogue est indisponible.',
    'shop.add': 'Ajouter au panier',
    'shop.added': 'Ajouté',
    'nav.buyButton': 'Bouton d’achat sans JavaScript',
    'nav.docs': 'Documentation de l’API',
    'cart.title': 'Votre panier',
    'cart.empty': 'Votre panier est vide.',
    'cart.total': 'Total',
    'cart.less': 'Retirer un {name}',
    'cart.more': 'Ajouter un {name}',
    'cart.count': '{count} article(s)',
    'checkout.title': 'Paiement',
    'checkout.phone': 'Numéro de téléphone du payeur',
    'checkout.phoneHint': 'Par exemple 622 12 34 56 ou +224 622 12 34 56',
    'checkout.how': 'Comment voulez-vous payer ?',
    'checkout.gateway': 'Payer sur la page Djomy',
    'checkout.gatewayHint': 'Orange Money, MTN MoMo, PayCard ou carte bancaire',
    'checkout.direct': 'Payer depuis mon téléphone',
    'checkout.directHint': 'Votre portefeuille mobile vous demande de confirmer',
    'checkout.method': 'Moyen de paiement',
    'checkout.pay': 'Payer {total}',
    'checkout.emptyCart': 'Ajoutez un produit au panier pour payer.',
    'checkout.failed': 'Le paiement n’a pas pu être lancé.',
    'checkout.network':
      'Impossible de joindre le service de paiement. Vérifiez votre connexion et réessayez.',
    'step.creating': 'Création du paiement…',
    'step.redirect': 'Redirection vers la page de paiement Djomy…',
    'step.otpTitle': 'Code de confirmation',
    'step.otpText': 'Entrez le code reçu par SMS pour payer {amount} avec {method}.',
    'step.otpLabel': 'Code à 4–6 chiffres',
    'step.otpSubmit': 'Confirmer le paiement',
    'step.otpRefused': 'Code refusé : {detail}',
    'step.approveTitle': 'Approuvez sur votre téléphone',
    'step.approveText':
      'Une demande de {amount} a été envoyée à votre compte {method}. Confirmez-la sur votre téléphone.',
    'step.openTitle': 'Terminez dans {method}',
    'step.openText': 'Ouvrez {method} pour confirmer le paiement de {amount}, puis revenez ici.',
    'step.open': 'Ouvrir {method}',
    'step.verifying': 'Vérification du paiement auprès de Djomy…',
    'step.portalTitle': 'Paiement en cours sur la page Djomy',
    'step.portalText':
      'Votre paiement de {amount} est toujours ouvert sur la page Djomy. Continuez-le là-bas ; cette page se met à jour d’elle-même.',
    'step.portal': 'Continuer le paiement',
    'step.unknownTitle': 'Ne payez pas une seconde fois',
    'step.unknownText':
      "La demande de paiement a peut-être déjà été envoyée à votre téléphone. Ne payez pas une seconde fois : cette page se mettra à jour d'elle-même dès que Djomy aura confirmé.",
    'step.status': 'Statut : {status}',
    'step.cancel': 'Annuler',
    'result.checking': 'Vérification du paiement…',
    'result.paid': 'Merci ! Paiement reçu',
    'result.paidText': 'Djomy a confirmé votre paiement. Votre commande est enregistrée.',
    'result.failed': 'Paiement échoué',
    'result.failedText': 'Le paiement n’a pas abouti. Votre panier est conservé : vous pouvez réessayer.',
    'result.cancelled': 'Paiement annulé',
    'result.cancelledText': 'Vous avez annulé le paiement. Votre panier est conservé.',
    'result.review': 'Paiement en vérification',
    'result.reviewText':
      'Djomy a signalé un paiement que le marchand doit vérifier avant de valider la commande.',
    'result.pending': 'Paiement en attente',
    'result.pendingText': 'Djomy n’a pas encore confirmé ce paiement. Cette page se met à jour toute seule.',
    'result.unknown': 'Paiement introuvable',
    'result.unknownText': 'Aucun paiement ne correspond à ce lien.',
    'result.error': 'Paiement impossible',
    'result.reference': 'Référence',
    'result.amount': 'Montant',
    'result.method': 'Moyen',
    'result.status': 'Statut vérifié',
    'result.id': 'Paiement n°',
    'result.back': 'Retour à la boutique',
    'error.invalid_form': 'Le formulaire est incomplet.',
    'error.invalid_product': 'Ce produit n’est pas disponible.',
    'error.invalid_phone': 'Ce numéro de téléphone est invalide.',
    'error.invalid_redirect': 'L’adresse de retour n’est pas autorisée.',
    'error.payment_refused': 'Djomy a refusé le paiement.',
    'error.payment_unavailable': 'Djomy est indisponible, réessayez dans un instant.',
    'error.not_configured': 'Le paiement n’est pas configuré.',
    'buy.title': 'Bouton d’achat sans JavaScript',
    'buy.intro':
      'Un simple formulaire HTML suffit : le Worker crée le paiement et envoie le client sur la page Djomy. Aucun script, aucun serveur.',
    'buy.product': 'Tasse Conakry',
    'buy.price': '25 000 GNF',
    'buy.button': 'Acheter avec Djomy',
    'buy.snippet': 'À copier-coller sur votre site',
    'buy.snippetHint':
      'Remplacez les adresses par celles de votre site ; son origine doit figurer dans ALLOWED_ORIGINS.',
  },
  en: {
    'lang.switch': 'Français',
    'lang.switchLabel': 'Passer en français',
    'shop.tagline': 'Crafts and goods from Guinea, paid with Djomy',
    'shop.products': 'Our products',
    'shop.loading': 'Loading the catalog…',
    'shop.loadError': 'The catalog is unavailable.',
    'shop.add': 'Add to cart',
    'shop.added': 'Added',
    'nav.buyButton': 'No-JavaScript buy button',
    'nav.docs': 'API documentation',
    'cart.title': 'Your cart',
    'cart.empty': 'Your cart is empty.',
    'cart.total': 'Total',
    'cart.less': 'Remove one {name}',
    'cart.more': 'Add one {name}',
    'cart.count': '{count} item(s)',
    'checkout.title': 'Checkout',
    'checkout.phone': "Payer's phone number",
    'checkout.phoneHint': 'For example 622 12 34 56 or +224 622 12 34 56',
    'checkout.how': 'How would you like to pay?',
    'checkout.gateway': 'Pay on the Djomy page',
    'checkout.gatewayHint': 'Orange Money, MTN MoMo, PayCard or bank card',
    'checkout.direct': 'Pay from my phone',
    'checkout.directHint': 'Your mobile wallet asks you to confirm',
    'checkout.method': 'Payment method',
    'checkout.pay': 'Pay {total}',
    'checkout.emptyCart': 'Add a product to your cart to pay.',
    'checkout.failed': 'The payment could not be started.',
    'checkout.network': 'The payment service cannot be reached. Check your connection and try again.',
    'step.creating': 'Creating the payment…',
    'step.redirect': "Taking you to Djomy's payment page…",
    'step.otpTitle': 'Confirmation code',
    'step.otpText': 'Enter the code you received by SMS to pay {amount} with {method}.',
    'step.otpLabel': '4–6 digit code',
    'step.otpSubmit': 'Confirm the payment',
    'step.otpRefused': 'Code refused: {detail}',
    'step.approveTitle': 'Approve on your phone',
    'step.approveText': 'A request for {amount} was sent to your {method} account. Confirm it on your phone.',
    'step.openTitle': 'Finish in {method}',
    'step.openText': 'Open {method} to confirm the payment of {amount}, then come back here.',
    'step.open': 'Open {method}',
    'step.verifying': 'Checking the payment with Djomy…',
    'step.portalTitle': 'Payment in progress on Djomy’s page',
    'step.portalText':
      'Your payment of {amount} is still open on Djomy’s page. Continue it there; this page updates by itself.',
    'step.portal': 'Continue the payment',
    'step.unknownTitle': 'Do not pay again',
    'step.unknownText':
      'The payment request may already be on your phone. Do not pay a second time: this page will update by itself once Djomy confirms.',
    'step.status': 'Status: {status}',
    'step.cancel': 'Cancel',
    'result.checking': 'Checking the payment…',
    'result.paid': 'Thank you! Payment received',
    'result.paidText': 'Djomy confirmed your payment. Your order is recorded.',
    'result.failed': 'Payment failed',
    'result.failedText': 'The payment did not go through. Your cart is kept: you can try again.',
    'result.cancelled': 'Payment cancelled',
    'result.cancelledText': 'You cancelled the payment. Your cart is kept.',
    'result.review': 'Payment under review',
    'result.reviewText': 'Djomy reported a payment the merchant must check before confirming the order.',
    'result.pending': 'Payment pending',
    'result.pendingText': 'Djomy has not confirmed this payment yet. This page updates by itself.',
    'result.unknown': 'Payment not found',
    'result.unknownText': 'No payment matches this link.',
    'result.error': 'Payment not possible',
    'result.reference': 'Reference',
    'result.amount': 'Amount',
    'result.method': 'Method',
    'result.status': 'Verified status',
    'result.id': 'Payment id',
    'result.back': 'Back to the shop',
    'error.invalid_form': 'The form is incomplete.',
    'error.invalid_product': 'This product is not available.',
    'error.invalid_phone': 'This phone number is invalid.',
    'error.invalid_redirect': 'The return address is not allowed.',
    'error.payment_refused': 'Djomy refused the payment.',
    'error.payment_unavailable': 'Djomy is unavailable, please retry in a moment.',
    'error.not_configured': 'Payments are not configured.',
    'buy.title': 'No-JavaScript buy button',
    'buy.intro':
      "A plain HTML form is enough: the Worker creates the payment and sends the customer to Djomy's page. No script, no server.",
    'buy.product': 'Conakry mug',
    'buy.price': 'GNF 25,000',
    'buy.button': 'Buy with Djomy',
    'buy.snippet': 'Copy and paste on your site',
    'buy.snippetHint':
      "Replace the addresses with your site's; its origin must be listed in ALLOWED_ORIGINS.",
  },
};

export const METHODS = {
  OM: 'Orange Money',
  MOMO: 'MTN MoMo',
  KULU: 'Kulu',
  PAYCARD: 'PayCard',
  SOUTRA_MONEY: 'Soutra Money',
  YMO: 'YMO',
  CARD: 'Carte bancaire',
};

const KEY = 'djomy-demo-lang';
const listeners = [];

export function lang() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'fr';
}

/** @example t('checkout.pay', { total: '50 000 GNF' }) */
export function t(key, vars = {}) {
  const text = STRINGS[lang()][key] ?? STRINGS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** GNF has no minor unit; Intl gives "75 000 GNF" in French and "GNF 75,000" in English. */
export function money(amount, currency = 'GNF') {
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'fr-FR', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(amount);
}

export function methodName(code) {
  return code === 'CARD' && lang() === 'en' ? 'Bank card' : (METHODS[code] ?? code ?? '—');
}

function translateStatic() {
  document.documentElement.lang = lang();
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
    node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]'))
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
}

/** Call `render` now and after every language switch. */
export function onLanguage(render) {
  listeners.push(render);
  render();
}

/** Wires the header's language button and translates the static text. */
export function setupLanguage() {
  const button = document.querySelector('[data-testid="lang-toggle"]');
  button?.addEventListener('click', () => {
    localStorage.setItem(KEY, lang() === 'en' ? 'fr' : 'en');
    translateStatic();
    for (const render of listeners) render();
  });
  translateStatic();
}
