/**
 * RFC 9457 problem details: the one shape of every error this Worker
 * answers. `type` points at the problem's section of `/docs`.
 */

import type { DjomyError } from '../djomy/errors.ts';
import type { FieldError } from '../lib/field-error.ts';

/** Every problem type this Worker answers, documented at `/docs#problem-<slug>`. */
export const PROBLEM_TYPES = {
  validation: 'The request is invalid; `errors` lists each field with what is wrong.',
  'not-found': 'No such payment, product or link.',
  conflict:
    'The request contradicts the current state (e.g. an OTP for a gateway payment, an Idempotency-Key reused with another body).',
  'in-progress': 'A request with the same Idempotency-Key is still running; retry after Retry-After.',
  unauthorized:
    'Admin routes need Authorization: Bearer <ADMIN_TOKEN> (or <VIEWER_TOKEN> for reading), or a console session (POST /api/session).',
  forbidden:
    "The cashier's token (VIEWER_TOKEN) reads and may ask Djomy again; every other change needs ADMIN_TOKEN.",
  'csrf-failed':
    'A change made with the console session needs the X-CSRF-Token header from GET /api/session, from a page of this origin.',
  'origin-not-allowed':
    'The browser origin (named in `detail`) is not in ALLOWED_ORIGINS, or is not a valid origin.',
  'rate-limited': 'Too many requests from this IP; retry after Retry-After.',
  'too-large': 'The body is over the limit (16 KiB for the API, 64 KiB for webhooks and MCP).',
  'unsupported-media-type': 'Send application/json.',
  'method-not-allowed':
    'MCP is POST only here: the server is stateless and answers JSON, so it offers no SSE stream (GET) and no session to end (DELETE).',
  'not-acceptable': 'MCP answers application/json only: send an Accept that allows it (or none).',
  'unsupported-protocol-version':
    'The MCP-Protocol-Version header names a revision this server does not speak (2025-06-18 and 2025-11-25 are).',
  misconfigured: 'A setting this route needs is missing or invalid; /healthz names it.',
  'djomy-refused': "Djomy refused the request; `detail` is Djomy's own message.",
  'otp-refused': 'Djomy refused the one-time code (wrong or expired); the payer may type it again.',
  'otp-attempts-exhausted':
    'Five codes already reached Djomy for this payment; no more are sent. The payer starts a new payment.',
  'too-many-prompts':
    "This phone already had PROMPTS_PER_PHONE direct payments in the last 10 minutes; nothing was sent to the payer's phone. Retry later.",
  'create-outcome-unknown':
    "Djomy's answer to the creation was lost and Djomy's list does not show the payment yet. Nothing is sent again: the payer must not pay again; the payment updates by itself once Djomy reports it. Retrying with the same Idempotency-Key looks again.",
  'djomy-bad-answer':
    'Djomy created the transaction (it is recorded) but answered without a URL the payer can safely follow. Retry later.',
  'payment-closed': 'This payment is closed; start a new one.',
  'djomy-unavailable': 'Djomy did not answer properly after retries; retry with the same Idempotency-Key.',
  'djomy-configuration':
    "Djomy refused this Worker: wrong credentials, or its edge refused the Worker's IP or partner domain. See /api/admin/diagnostics.",
  'alert-failed':
    "Telegram refused the test alert; `detail` is Telegram's own answer (a wrong token, a chat that never wrote to the bot).",
  'bad-signature': 'A webhook without a valid X-Webhook-Signature; nothing was stored.',
  'not-stored': 'A webhook could not be stored or queued; the sender should retry.',
  'storage-unavailable':
    'D1 refused the write (its daily quota spent, or an outage); nothing was half-written. Retry after Retry-After; /healthz reports it.',
  internal: 'An unexpected error; the request id helps find it in the logs.',
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export interface ProblemInit {
  status: number;
  /** Becomes the `type` URI. */
  slug: ProblemSlug;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Extra members, e.g. the `paymentId` a retry can refer to. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Thrown anywhere under a route; rendered by the app's error handler. */
export class Problem extends Error {
  override readonly name = 'Problem';
  readonly init: ProblemInit;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.init = init;
  }
}

/**
 * @example return problemResponse({ status: 404, slug: 'not-found', title: 'Payment not found' }, requestId)
 */
export function problemResponse(init: ProblemInit, requestId: string): Response {
  const body = {
    type: `/docs#problem-${init.slug}`,
    title: init.title,
    status: init.status,
    ...(init.detail ? { detail: init.detail } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extensions,
    requestId,
  };
  return new Response(JSON.stringify(body), {
    status: init.status,
    headers: { 'Content-Type': 'application/problem+json', ...init.headers },
  });
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid.') =>
    new Problem({ status: 400, slug: 'validation', title: 'Invalid request', detail, errors }),
  notFound: (what: string) => new Problem({ status: 404, slug: 'not-found', title: `${what} not found` }),
  conflict: (detail: string) => new Problem({ status: 409, slug: 'conflict', title: 'Conflict', detail }),
  unauthorized: () =>
    new Problem({
      status: 401,
      slug: 'unauthorized',
      title: 'Unauthorized',
      detail: 'Send Authorization: Bearer <ADMIN_TOKEN>, or sign in at /admin/.',
      headers: { 'WWW-Authenticate': 'Bearer realm="djomy-edge admin"' },
    }),
  forbidden: () =>
    new Problem({
      status: 403,
      slug: 'forbidden',
      title: 'Forbidden',
      detail: 'The cashier role reads and may ask Djomy again; this change needs the admin.',
    }),
  csrf: (detail: string) =>
    new Problem({ status: 403, slug: 'csrf-failed', title: 'Cross-site request refused', detail }),
  misconfigured: (settings: string[]) =>
    new Problem({
      status: 503,
      slug: 'misconfigured',
      title: 'Service not configured',
      detail: `This route needs settings that are missing or invalid: ${settings.join(', ')}. See /healthz.`,
      headers: { 'Retry-After': '60' },
    }),
};

/** The settings Djomy needs; a 503 for a missing one names those `/healthz` reports. */
export const DJOMY_SETTINGS: ReadonlySet<string> = new Set([
  'DJOMY_BASE_URL',
  'DJOMY_CLIENT_ID',
  'DJOMY_CLIENT_SECRET',
  'PUBLIC_URL',
]);

/**
 * A Djomy fault as a problem: not configured, or Djomy refusing this Worker
 * (credentials, its edge) → 503; Djomy unreachable or answering nonsense → 502.
 * `missing` names the settings at fault when Djomy is not configured.
 *
 * @example throw djomyProblem(error, { paymentId: payment.id })
 */
export function djomyProblem(
  error: DjomyError,
  { paymentId, missing = [] }: { paymentId?: string; missing?: string[] } = {},
): Problem {
  const extensions = paymentId ? { paymentId } : undefined;
  if (error.kind === 'not_configured') {
    return problems.misconfigured(missing.length > 0 ? missing : [...DJOMY_SETTINGS]);
  }
  if (error.configuration) {
    return new Problem({
      status: 503,
      slug: 'djomy-configuration',
      title: 'Djomy refused this service',
      detail:
        error.kind === 'edge_refused'
          ? "Djomy's edge refused this Worker (IP or partner domain not allowed). See GET /api/admin/diagnostics."
          : 'Djomy refused the credentials. See GET /api/admin/diagnostics.',
      extensions,
      headers: { 'Retry-After': '60' },
    });
  }
  return new Problem({
    status: 502,
    slug: 'djomy-unavailable',
    title: 'Djomy is unavailable',
    detail: 'Djomy did not answer properly. Retry with the same Idempotency-Key.',
    extensions,
    headers: { 'Retry-After': '5' },
  });
}
