/**
 * The payer's pages in two languages, French first (the payers are in
 * Guinea); only the choice of language is remembered (localStorage). Static
 * text carries `data-i18n="key"`; scripts call `t()`. Each page adds its own
 * strings (`addStrings`), so it loads only what it shows. Amounts and dates are
 * formatted for Guinea (`fr-GN`, `Africa/Conakry`) whatever the device's zone,
 * so a receipt reads the same on every phone. Also the pages' small shared
 * helpers: the payment id of the URL, a text-only element builder, API calls.
 */

const STRINGS = {
  fr: {
    lang: 'English',
    langLabel: 'Switch to English',
    by: 'Paiement sécurisé par Djomy',
    loading: 'Chargement…',
    notFound: 'Paiement introuvable',
    unreachable: 'Connexion impossible. Nouvel essai dans quelques secondes…',
  },
  en: {
    lang: 'Français',
    langLabel: 'Passer en français',
    by: 'Payment secured by Djomy',
    loading: 'Loading…',
    notFound: 'Payment not found',
    unreachable: 'Cannot connect. Trying again in a few seconds…',
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

/** A page adds its own strings to the shared ones: each page loads only what it shows. */
export function addStrings(table) {
  Object.assign(STRINGS.fr, table.fr);
  Object.assign(STRINGS.en, table.en);
}

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
