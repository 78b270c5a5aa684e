/**
 * Pieces every page uses: the page context the router hands over, status
 * badges, message boxes for problems, and polling that pauses while the
 * tab is hidden and stops with the page.
 */
import { ApiError } from './api.js';
import { h, put } from './dom.js';
import { label, t } from './i18n.js';

/**
 * What the router gives a page. `signal` aborts when the page is left (or
 * the session ends): requests pass it, timers stop on it.
 *
 * @typedef {object} PageContext
 * @property {HTMLElement} main
 * @property {string[]} params path parts the route captured
 * @property {URLSearchParams} query the hash's query (#/payments?status=SUCCESS)
 * @property {'admin' | 'viewer'} role
 * @property {AbortSignal} signal
 * @property {(text: string) => void} announce says `text` in the polite live region
 * @property {(hash: string) => void} go
 */

/**
 * The page's heading, focusable so that a route change can move focus there.
 * @param {string} text
 * @param {import('./dom.js').Children[]} extra
 */
export function pageHeader(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), ...extra);
}

/**
 * A payment status, in words, coloured by outcome.
 * @param {string} status
 * @param {boolean} [flagged]
 */
export function statusBadge(status, flagged = false) {
  const tone = flagged
    ? 'warn'
    : status === 'SUCCESS'
      ? 'ok'
      : ['FAILED', 'CANCELLED', 'TIMEOUT'].includes(status)
        ? 'bad'
        : status === 'REFUNDED'
          ? 'muted'
          : 'open';
  return h(
    'span',
    { class: `badge ${tone}`, 'data-status': status },
    label('status', status),
    flagged ? ` · ${t('flag.review')}` : null,
  );
}

/**
 * What a failed request means to the person at the screen.
 * @param {unknown} error
 */
export function problemText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (error.status === 403) return t('error.forbidden', { detail: error.message });
    return t('error.generic', { status: error.status, detail: error.message });
  }
  return t('error.page', { detail: error instanceof Error ? error.message : String(error) });
}

/**
 * A message box (role=status or alert) that pages fill and clear.
 * @param {string} testid
 */
export function messageBox(testid) {
  const box = h('div', { class: 'message', 'data-testid': testid, role: 'status', hidden: true });
  return {
    box,
    /**
     * @param {'ok' | 'error' | 'info'} kind
     * @param {string} text
     * @param {{ path: string, message: string }[]} [errors] a 400's field errors
     */
    show(kind, text, errors = []) {
      box.hidden = false;
      box.className = `message ${kind}`;
      box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      put(
        box,
        h('p', {}, text),
        errors.length
          ? h(
              'ul',
              { class: 'errors' },
              errors.map((e) => h('li', {}, h('code', {}, e.path || '—'), ` : ${e.message}`)),
            )
          : null,
      );
    },
    /** @param {unknown} error */
    error(error) {
      this.show('error', problemText(error), error instanceof ApiError ? (error.problem.errors ?? []) : []);
    },
    clear() {
      box.hidden = true;
      box.replaceChildren();
    },
  };
}

/**
 * A placeholder that holds the space of what is loading (no layout jump).
 * @param {string} [className]
 */
export function loading(className = '') {
  return h('p', { class: `loading ${className}`, role: 'status' }, t('common.loading'));
}

/**
 * Runs `task` now, then again `ms` after each run ends (a setTimeout chain,
 * so slow answers never pile up). While the tab is hidden it waits; when the
 * tab shows again it runs at once. Stops when `signal` aborts.
 *
 * @param {AbortSignal} signal
 * @param {() => Promise<void>} task must not throw
 * @param {number} ms
 */
export function poll(signal, task, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let running = false;
  const run = async () => {
    clearTimeout(timer);
    if (signal.aborted || running) return;
    if (document.hidden) return; // resumed by visibilitychange
    running = true;
    try {
      await task();
    } finally {
      running = false;
    }
    if (!signal.aborted) timer = setTimeout(run, ms);
  };
  const onVisible = () => {
    if (!document.hidden) run();
  };
  document.addEventListener('visibilitychange', onVisible);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
  run();
}

/**
 * Whether an error only means the page was left mid-request.
 * @param {unknown} error
 */
export function isAbort(error) {
  return error instanceof DOMException && error.name === 'AbortError';
}
