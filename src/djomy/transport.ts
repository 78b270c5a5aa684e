/**
 * The one way this project talks HTTP to Djomy: a timeout on every call,
 * the envelope unwrapped and validated, every failure turned into a
 * `DjomyError`, and retries with exponential backoff and full jitter only
 * where repeating is safe.
 *
 * The retry rule (docs/money-safety.md):
 * - `idempotent` calls (GETs and `/v1/auth`) retry any transient fault;
 * - `unsafe` calls (creating a payment or a link, confirmOTP) are sent again
 *   only after a 429 whose `Retry-After` is at most 5 s (Djomy refused to
 *   look at it), and after a 401 once the token is refreshed (the client
 *   does that). Never after a thrown `fetch` (workerd reports a refused
 *   connection and a reset the same way, so "it never reached Djomy" cannot
 *   be proven), never after a 5xx (503 included), a timeout, or an answer
 *   lost while its body was read: Djomy may have prompted the payer, and a
 *   second POST would prompt them again.
 */
import type * as z from 'zod/mini';
import { DjomyError, type DjomyErrorKind } from './errors.ts';
import { Envelope } from './schemas.ts';

export type RetryPolicy = 'idempotent' | 'unsafe';

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Total tries per call, first one included. */
  attempts?: number;
  /** First backoff step; each retry doubles it, with full jitter, capped at 2 s. */
  backoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DjomyCall<T> {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  headers: Record<string, string>;
  retry: RetryPolicy;
  /** Schema of the envelope's `data`. */
  data: z.ZodMiniType<T>;
}

const MAX_BACKOFF_MS = 2_000;
const MAX_RETRY_AFTER_MS = 5_000;

export class Transport {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 200;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Sends `call`, retrying per its policy; resolves with the validated `data` or throws a `DjomyError`. */
  async send<T>(call: DjomyCall<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(call);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs } = outcome;
      if (attempt >= this.attempts || !shouldRetry(error, call.retry, retryAfterMs)) throw error;
      const backoff = Math.random() * Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** (attempt - 1));
      await this.sleep(retryAfterMs === undefined ? backoff : Math.min(MAX_RETRY_AFTER_MS, retryAfterMs));
    }
  }

  private async attempt<T>(
    call: DjomyCall<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: DjomyError; retryAfterMs?: number }> {
    const url = `${this.baseUrl}${call.path}${call.query?.size ? `?${call.query}` : ''}`;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: call.method,
        headers: {
          Accept: 'application/json',
          ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...call.headers,
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
      });
    } catch {
      const kind = signal.aborted ? 'timeout' : 'network';
      return { ok: false, error: new DjomyError({ kind, operation: call.operation }) };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    let text: string;
    try {
      text = await response.text();
    } catch {
      // Djomy answered and the answer was lost on the way (a reset mid-body): it acted on the call.
      const lost = interpret(call, response.status, '');
      const kind = signal.aborted ? 'timeout' : lost.ok ? 'bad_response' : lost.error.kind;
      const error = new DjomyError({
        kind,
        operation: call.operation,
        status: response.status,
        detail: 'the answer was lost while its body was read',
      });
      return { ok: false, error, retryAfterMs };
    }
    const result = interpret(call, response.status, text);
    if (result.ok) return result;
    return { ok: false, error: result.error, retryAfterMs };
  }
}

function shouldRetry(error: DjomyError, policy: RetryPolicy, retryAfterMs: number | undefined): boolean {
  if (policy === 'idempotent') return error.transient;
  return error.kind === 'rate_limited' && retryAfterMs !== undefined && retryAfterMs <= MAX_RETRY_AFTER_MS;
}

/** `Retry-After` in milliseconds (delta-seconds form), uncapped; undefined when absent or a date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function kindForStatus(status: number): DjomyErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'refused';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Turns one HTTP answer into data or a typed error. Pure, so every odd answer can be unit-tested. */
export function interpret<T>(
  call: Pick<DjomyCall<T>, 'operation' | 'data'>,
  status: number,
  text: string,
): { ok: true; value: T } | { ok: false; error: DjomyError } {
  const fail = (kind: DjomyErrorKind, detail?: string, fieldErrors?: string[]) => ({
    ok: false as const,
    error: new DjomyError({ kind, operation: call.operation, status, detail, fieldErrors }),
  });
  const json = parseJson(text);
  const envelope = json.ok ? Envelope.safeParse(json.value) : null;
  if (!envelope?.success) {
    // Not our JSON envelope: an edge page, a proxy error, a truncated body.
    // A non-JSON 403 is Djomy's edge refusing this caller (docs/djomy.md#edge-refusal-and-partner-domain).
    if (status === 403) return fail('edge_refused');
    if (status >= 200 && status < 300) return fail('bad_response');
    const kind = kindForStatus(status);
    return fail(kind === 'refused' ? 'bad_response' : kind);
  }
  const body = envelope.data;
  const detail = body.error?.details || body.error?.message || body.message || undefined;
  const fieldErrors = (body.error?.fieldsErrors ?? []).map((entry) =>
    typeof entry === 'string' ? entry : JSON.stringify(entry),
  );
  if (status >= 200 && status < 300) {
    if (!body.success) return fail('refused', detail, fieldErrors);
    const data = call.data.safeParse(body.data);
    return data.success ? { ok: true, value: data.data } : fail('bad_response', 'unexpected data shape');
  }
  // A JSON 403 comes from Djomy's application, not its edge: a permissions problem.
  if (status === 403) return fail('unauthorized', detail);
  return fail(kindForStatus(status), detail, fieldErrors);
}
