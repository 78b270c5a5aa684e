/**
 * The console's two languages: French first (the merchants are in Guinea),
 * English on request. Only the choice of language is remembered
 * (localStorage); nothing else the console knows is ever stored.
 *
 * Shared words live here; each page module adds its own with `addStrings`,
 * so a page's words load with the page.
 */

/** @typedef {'fr' | 'en'} Lang */
/** @typedef {Record<string, string>} Dictionary */

const KEY = 'djomy-console-lang';

/** @type {Record<Lang, Dictionary>} */
const STRINGS = {
  fr: {
    'app.title': 'Console Djomy',
    'app.loading': 'Chargement…',
    'lang.switch': 'English',
    'lang.label': 'Switch to English',
    'nav.label': 'Pages de la console',
    'nav.today': 'Aujourd’hui',
    'nav.payments': 'Paiements',
    'nav.links': 'Liens',
    'nav.products': 'Produits',
    'nav.counter': 'Comptoir',
    'nav.health': 'Santé',
    'role.admin': 'Marchand',
    'role.viewer': 'Caissier',
    'role.label': 'Rôle : {role}',
    signout: 'Se déconnecter',
    'signin.title': 'Connexion à la console',
    'signin.intro': 'Entrez le jeton d’accès du marchand ou du caissier.',
    'signin.token': 'Jeton d’accès',
    'signin.submit': 'Se connecter',
    'signin.busy': 'Connexion…',
    'signin.wrong': 'Ce jeton n’est pas valide. Vérifiez-le et réessayez.',
    'signin.tooMany': 'Trop d’essais, réessayez dans une minute',
    'signin.ended': 'Session terminée — reconnectez-vous',
    'signin.signedOut': 'Vous êtes déconnecté.',
    'signin.failed': 'Connexion impossible : {detail}',
    'error.network': 'Le serveur est injoignable. Vérifiez la connexion ; nouvel essai automatique.',
    'error.generic': 'Erreur {status} : {detail}',
    'error.forbidden': 'Refusé : {detail}',
    'error.page': 'Cette page n’a pas pu s’afficher : {detail}',
    'error.notFound': 'Page introuvable.',
    'common.updated': 'Mis à jour à {time}',
    'common.loading': 'Chargement…',
    'common.retry': 'Réessayer',
    'common.back': 'Retour',
    'common.none': 'Aucun',
    'common.yes': 'oui',
    'common.no': 'non',
    'common.payments': '{count} paiement(s)',
    'common.freeAmount': 'Montant libre',
    'status.CREATED': 'Créé',
    'status.PENDING': 'En attente',
    'status.REDIRECTED': 'Sur la page Djomy',
    'status.SUCCESS': 'Réussi',
    'status.CAPTURED': 'Capturé',
    'status.FAILED': 'Échoué',
    'status.CANCELLED': 'Annulé',
    'status.TIMEOUT': 'Expiré',
    'status.REFUNDED': 'Remboursé',
    'flow.gateway': 'Page Djomy',
    'flow.direct': 'Direct (téléphone)',
    'flow.link': 'Lien de paiement',
    'flow.external': 'Externe',
    'method.OM': 'Orange Money',
    'method.MOMO': 'MTN MoMo',
    'method.KULU': 'Kulu',
    'method.PAYCARD': 'PayCard',
    'method.SOUTRA_MONEY': 'Soutra Money',
    'method.YMO': 'YMO',
    'method.CARD': 'Carte bancaire',
    'flag.review': 'À vérifier',
  },
  en: {
    'app.title': 'Djomy console',
    'app.loading': 'Loading…',
    'lang.switch': 'Français',
    'lang.label': 'Passer en français',
    'nav.label': 'Console pages',
    'nav.today': 'Today',
    'nav.payments': 'Payments',
    'nav.links': 'Links',
    'nav.products': 'Products',
    'nav.counter': 'Counter',
    'nav.health': 'Health',
    'role.admin': 'Merchant',
    'role.viewer': 'Cashier',
    'role.label': 'Role: {role}',
    signout: 'Sign out',
    'signin.title': 'Sign in to the console',
    'signin.intro': 'Enter the merchant’s or the cashier’s access token.',
    'signin.token': 'Access token',
    'signin.submit': 'Sign in',
    'signin.busy': 'Signing in…',
    'signin.wrong': 'This token is not valid. Check it and try again.',
    'signin.tooMany': 'Too many attempts, try again in a minute',
    'signin.ended': 'Session ended — sign in again',
    'signin.signedOut': 'You are signed out.',
    'signin.failed': 'Cannot sign in: {detail}',
    'error.network': 'The server cannot be reached. Check the connection; retrying by itself.',
    'error.generic': 'Error {status}: {detail}',
    'error.forbidden': 'Refused: {detail}',
    'error.page': 'This page could not be shown: {detail}',
    'error.notFound': 'No such page.',
    'common.updated': 'Updated at {time}',
    'common.loading': 'Loading…',
    'common.retry': 'Retry',
    'common.back': 'Back',
    'common.none': 'None',
    'common.yes': 'yes',
    'common.no': 'no',
    'common.payments': '{count} payment(s)',
    'common.freeAmount': 'Any amount',
    'status.CREATED': 'Created',
    'status.PENDING': 'Pending',
    'status.REDIRECTED': 'On the Djomy page',
    'status.SUCCESS': 'Succeeded',
    'status.CAPTURED': 'Captured',
    'status.FAILED': 'Failed',
    'status.CANCELLED': 'Cancelled',
    'status.TIMEOUT': 'Expired',
    'status.REFUNDED': 'Refunded',
    'flow.gateway': 'Djomy page',
    'flow.direct': 'Direct (phone)',
    'flow.link': 'Payment link',
    'flow.external': 'External',
    'method.OM': 'Orange Money',
    'method.MOMO': 'MTN MoMo',
    'method.KULU': 'Kulu',
    'method.PAYCARD': 'PayCard',
    'method.SOUTRA_MONEY': 'Soutra Money',
    'method.YMO': 'YMO',
    'method.CARD': 'Bank card',
    'flag.review': 'To check',
  },
};

/** @returns {Lang} */
function stored() {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

/** @type {Lang} */
export let lang = stored();

/**
 * Adds a page's words.
 * @param {Record<Lang, Dictionary>} strings
 */
export function addStrings(strings) {
  Object.assign(STRINGS.fr, strings.fr);
  Object.assign(STRINGS.en, strings.en);
}

/**
 * @example t('common.payments', { count: 3 })
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(key, vars = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/**
 * A label for an API code (status, method, flow), the code itself when unknown.
 * @param {string} prefix
 * @param {string | null | undefined} code
 */
export function label(prefix, code) {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  return key in STRINGS[lang] ? t(key) : code;
}

/** Static text of the page: `data-i18n` (text) and `data-i18n-aria-label`. */
export function translateStatic() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = t(/** @type {string} */ (node.getAttribute('data-i18n')));
  }
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(/** @type {string} */ (node.getAttribute('data-i18n-aria-label'))));
  }
}

/**
 * Switches language, remembers only that choice.
 * @param {Lang} next
 */
export function setLang(next) {
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {}
  translateStatic();
}
