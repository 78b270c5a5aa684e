/**
 * The merchant console at /admin/: sign-in, the session, the chrome (role,
 * language, sign-out, navigation) and the hash router. Each page is its own
 * module under pages/, loaded when first visited, so the first load stays
 * small on a slow connection.
 *
 * The session is an HttpOnly cookie set by `POST /api/session`; this page
 * never sees or stores the token after sending it, and keeps the CSRF token
 * in memory only (lib/api.js).
 */
import { ApiError, api, onSessionEnded, setCsrfToken } from './lib/api.js';
import { h, put } from './lib/dom.js';
import { lang, setLang, t, translateStatic } from './lib/i18n.js';

/** @typedef {import('./lib/ui.js').PageContext} PageContext */
/** @typedef {{ mount(ctx: PageContext): Promise<void> }} PageModule */

const main = /** @type {HTMLElement} */ (document.querySelector('main'));
const nav = /** @type {HTMLElement} */ (document.querySelector('[data-testid="nav"]'));
const roleBadge = /** @type {HTMLElement} */ (document.querySelector('[data-testid="role"]'));
const signOutButton = /** @type {HTMLButtonElement} */ (document.querySelector('[data-testid="sign-out"]'));
const langButton = /** @type {HTMLButtonElement} */ (document.querySelector('[data-testid="lang-toggle"]'));
const liveStatus = /** @type {HTMLElement} */ (document.querySelector('[data-testid="live-status"]'));

/** @type {Record<string, () => Promise<PageModule>>} */
const PAGES = {
  today: () => import('./pages/today.js'),
  payments: () => import('./pages/payments.js'),
  payment: () => import('./pages/payment.js'),
  links: () => import('./pages/links.js'),
  poster: () => import('./pages/poster.js'),
  products: () => import('./pages/products.js'),
  counter: () => import('./pages/counter.js'),
  health: () => import('./pages/health.js'),
};

/** @type {[RegExp, string][]} */
const ROUTES = [
  [/^\/today$/, 'today'],
  [/^\/payments$/, 'payments'],
  [/^\/payments\/(pay_[a-z2-7]{32})$/, 'payment'],
  [/^\/links$/, 'links'],
  [/^\/links\/([^/]{1,200})\/poster$/, 'poster'],
  [/^\/products$/, 'products'],
  [/^\/counter$/, 'counter'],
  [/^\/health$/, 'health'],
];

/** @typedef {{ page: string | null, params: string[], query: URLSearchParams }} Route */

/** @returns {Route} */
function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/today';
  const [path = '', search = ''] = hash.split('?');
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(path);
    if (match)
      return { page, params: match.slice(1).map(decodeURIComponent), query: new URLSearchParams(search) };
  }
  return { page: null, params: [], query: new URLSearchParams(search) };
}

/** @type {{ role: 'admin' | 'viewer' } | null} */
let session = null;
/** @type {AbortController | null} */
let pageLife = null;
let mounted = 0;

// Start fetching the first page's module while the session is checked.
const firstPage = currentRoute().page;
const preloaded = firstPage ? PAGES[firstPage]?.().catch(() => null) : null;

/** Leaves the current page: its requests are aborted, its timers stop. */
function leavePage() {
  pageLife?.abort();
  pageLife = null;
  document.body.classList.remove('counter-mode');
}

async function showRoute() {
  if (!session) return;
  leavePage();
  const route = currentRoute();
  const life = new AbortController();
  pageLife = life;
  const first = mounted++ === 0;
  for (const link of nav.querySelectorAll('a')) {
    if (
      link.dataset.page ===
      (route.page === 'payment' ? 'payments' : route.page === 'poster' ? 'links' : route.page)
    )
      link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.body.classList.toggle('counter-mode', route.page === 'counter');
  main.setAttribute('aria-busy', 'true');
  if (!route.page) {
    put(
      main,
      h('h1', { tabindex: '-1' }, t('error.notFound')),
      h('p', {}, h('a', { href: '#/today' }, t('nav.today'))),
    );
    main.removeAttribute('aria-busy');
    return;
  }
  try {
    const module = /** @type {PageModule} */ (
      (first && route.page === firstPage && (await preloaded)) || (await PAGES[route.page]?.())
    );
    if (life.signal.aborted) return;
    put(main);
    await module.mount({
      main,
      params: route.params,
      query: route.query,
      role: session.role,
      signal: life.signal,
      announce: (text) => {
        liveStatus.textContent = text;
      },
      go: (hash) => {
        location.hash = hash;
      },
    });
  } catch (error) {
    if (life.signal.aborted) return;
    put(
      main,
      h('h1', { tabindex: '-1' }, t('app.title')),
      h('p', { class: 'message error', role: 'alert' }, t('error.page', { detail: describe(error) })),
      h('button', { type: 'button', onclick: () => showRoute() }, t('common.retry')),
    );
  } finally {
    if (!life.signal.aborted) main.removeAttribute('aria-busy');
  }
  if (life.signal.aborted) return;
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? ''} — ${t('app.title')}`;
  // Screen readers follow the page change; not on first load, where focus belongs to the browser.
  if (!first && heading instanceof HTMLElement) heading.focus();
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The signed-in chrome, or none.
 * @param {{ role: 'admin' | 'viewer' } | null} next
 */
function setSession(next) {
  session = next;
  nav.hidden = !next;
  signOutButton.hidden = !next;
  roleBadge.hidden = !next;
  if (next) {
    roleBadge.textContent = t(`role.${next.role}`);
    roleBadge.setAttribute('aria-label', t('role.label', { role: t(`role.${next.role}`) }));
    roleBadge.dataset.role = next.role;
  }
}

/** Why the sign-in form shows, kept as a key so that a language switch can say it again. */
/** @type {string | undefined} */
let signInNotice;

/**
 * The sign-in form; `notice` (a string key) explains why it shows: session ended, signed out.
 * @param {string} [notice]
 */
function showSignIn(notice) {
  signInNotice = notice;
  leavePage();
  setSession(null);
  setCsrfToken(null);
  main.removeAttribute('aria-busy');
  const token = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    required: true,
    autocomplete: 'current-password',
    spellcheck: 'false',
    'data-testid': 'signin-token',
  });
  const message = h('div', {
    class: 'message',
    'data-testid': 'signin-message',
    role: 'alert',
    hidden: !notice,
  });
  if (notice) {
    message.classList.add(notice === 'signin.ended' ? 'ended' : 'info');
    message.textContent = t(notice);
  }
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'signin-submit' },
    t('signin.submit'),
  );
  /** @param {SubmitEvent} event */
  const onSubmit = async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = t('signin.busy');
    message.hidden = true;
    try {
      const opened = await api('/api/session', { method: 'POST', body: { token: token.value } });
      token.value = '';
      signInNotice = undefined;
      start(opened);
    } catch (error) {
      message.hidden = false;
      message.className = 'message error';
      message.textContent =
        error instanceof ApiError && error.status === 401
          ? t('signin.wrong')
          : error instanceof ApiError && error.status === 429
            ? t('signin.tooMany')
            : error instanceof ApiError && error.status === 0
              ? t('error.network')
              : t('signin.failed', { detail: describe(error) });
      submit.disabled = false;
      submit.textContent = t('signin.submit');
      token.focus();
    }
  };
  put(
    main,
    h(
      'section',
      { class: 'signin', 'data-testid': 'signin' },
      h('h1', { tabindex: '-1' }, t('signin.title')),
      message,
      h(
        'form',
        { onsubmit: onSubmit, 'data-testid': 'signin-form' },
        h('p', {}, t('signin.intro')),
        h('div', { class: 'field' }, h('label', { for: 'token' }, t('signin.token')), token),
        submit,
      ),
    ),
  );
  document.title = `${t('signin.title')} — ${t('app.title')}`;
  if (notice) message.focus();
  else token.focus();
}

/**
 * Signed in: keep the CSRF token in memory, show the chrome and the page.
 * @param {{ role: 'admin' | 'viewer', csrfToken: string }} opened
 */
function start(opened) {
  setCsrfToken(opened.csrfToken);
  setSession({ role: opened.role });
  showRoute();
}

onSessionEnded(() => {
  if (session) showSignIn('signin.ended');
});

signOutButton.addEventListener('click', async () => {
  signOutButton.disabled = true;
  try {
    await api('/api/session', { method: 'DELETE' });
    showSignIn('signin.signedOut');
  } catch (error) {
    liveStatus.textContent = describe(error);
  } finally {
    signOutButton.disabled = false;
  }
});

langButton.addEventListener('click', () => {
  setLang(lang === 'fr' ? 'en' : 'fr');
  langButton.lang = lang === 'fr' ? 'en' : 'fr';
  if (session) {
    setSession(session);
    showRoute();
  } else if (main.querySelector('[data-testid="signin"]')) {
    showSignIn(signInNotice);
  }
});

window.addEventListener('hashchange', () => {
  if (session) showRoute();
});

translateStatic();
langButton.lang = lang === 'fr' ? 'en' : 'fr';
try {
  start(await api('/api/session'));
} catch (error) {
  showSignIn(error instanceof ApiError && error.status !== 401 ? 'error.network' : undefined);
}
