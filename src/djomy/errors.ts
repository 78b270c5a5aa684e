/**
 * What can go wrong when calling Djomy, as values a caller can act on
 * (docs/djomy.md#envelope-and-errors). Every failure of the client is a
 * `DjomyError`; nothing else escapes it.
 */

export type DjomyErrorKind =
  /** 400/409/422, or a 2xx with `success:false`: Djomy refused the request. Not retried. */
  | 'refused'
  /** 404: unknown transaction or link (or another merchant's). */
  | 'not_found'
  /** 401 on `/v1/auth`, or twice in a row on a business call: the credentials are wrong. */
  | 'unauthorized'
  /** 403 with a non-JSON body: Djomy's edge refused this caller (IP or partner domain). Configuration, never retried. */
  | 'edge_refused'
  /** 429 after retries. */
  | 'rate_limited'
  /** 5xx, or a body that is not the JSON envelope we expect, after retries. */
  | 'server'
  | 'bad_response'
  /** No answer in time. For a POST the outcome at Djomy is unknown. */
  | 'timeout'
  /** The Djomy settings are missing or malformed: nothing was sent. */
  | 'not_configured'
  /** The connection failed before any answer. */
  | 'network';

export interface DjomyErrorInit {
  kind: DjomyErrorKind;
  /** The Djomy operation, e.g. `createGatewayPayment`. */
  operation: string;
  /** HTTP status from Djomy, when there was an answer. */
  status?: number;
  /** Djomy's text for people (`error.details`, else `error.message`, else `message`). */
  detail?: string;
  /** Djomy's `error.fieldsErrors`. */
  fieldErrors?: string[];
}

const TRANSIENT: ReadonlySet<DjomyErrorKind> = new Set([
  'rate_limited',
  'server',
  'bad_response',
  'timeout',
  'network',
]);

export class DjomyError extends Error {
  override readonly name = 'DjomyError';
  readonly kind: DjomyErrorKind;
  readonly operation: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly fieldErrors: string[];

  constructor(init: DjomyErrorInit) {
    super(`Djomy ${init.operation}: ${init.kind}${init.status ? ` (HTTP ${init.status})` : ''}`);
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
  }

  /** Worth trying again later (a queue retry, a new request). */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }

  /** The operator must change a setting (credentials, partner domain, egress IP) before this can work. */
  get configuration(): boolean {
    return this.kind === 'unauthorized' || this.kind === 'edge_refused' || this.kind === 'not_configured';
  }

  /**
   * A POST whose effect at Djomy is unknown: it may have created a payment or
   * pushed a prompt to the payer's phone, so it must not be blindly repeated.
   * Any thrown `fetch` counts (a refused connection cannot be told from a
   * reset after Djomy acted), as does any 5xx: a 503 from a proxy in front of
   * Djomy may come after Djomy processed the call.
   */
  get outcomeUnknown(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      this.kind === 'server' ||
      // Djomy answered 2xx, so it most likely acted, but the answer could not be read (truncated, lost, wrong shape).
      (this.kind === 'bad_response' && this.status !== undefined && this.status >= 200 && this.status < 300)
    );
  }
}

export function isDjomyError(error: unknown): error is DjomyError {
  return error instanceof DjomyError;
}
