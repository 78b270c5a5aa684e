/**
 * The console's only way to the API. The session cookie is HttpOnly and goes
 * along by itself (same origin); the CSRF token lives in this module's memory
 * only, never in storage, and goes with every write. Any 401 means the
 * session is over: the app is told once and shows the sign-in form.
 */

/**
 * @typedef {{ type?: string, title?: string, status?: number, detail?: string,
 *   errors?: { path: string, message: string }[] }} Problem
 */

/** A refused or failed request, with its problem details (RFC 9457). */
export class ApiError extends Error {
  /**
   * @param {number} status 0 when the server could not be reached
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
  }
}

/** @type {string | null} */
let csrfToken = null;
/** @type {() => void} */
let sessionEnded = () => {};

/** @param {string | null} token */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** @param {() => void} handler */
export function onSessionEnded(handler) {
  sessionEnded = handler;
}

/**
 * @typedef {{ method?: 'GET' | 'POST' | 'PUT' | 'DELETE', body?: unknown, signal?: AbortSignal,
 *   accept?: number[] }} RequestOptions
 */

/**
 * JSON in, JSON out. Resolves with the body (null for 204); rejects with an
 * ApiError unless the status is 2xx or listed in `accept` (e.g. /healthz's 503).
 *
 * @example const { payments } = await api('/api/admin/payments?flagged=true', { signal })
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', body, signal, accept = [] } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && path !== '/api/session') {
    csrfToken = null;
    sessionEnded();
  }
  if (response.ok || accept.includes(response.status)) return data;
  throw new ApiError(response.status, data);
}

/**
 * A query string from a filter object, empty values left out.
 * @example query({ status: 'SUCCESS', q: '' }) // '?status=SUCCESS'
 * @param {Record<string, string | number | boolean | null | undefined>} params
 */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === '' || value === null || value === undefined || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
