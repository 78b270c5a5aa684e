/**
 * The Djomy client: every Djomy call this project makes (docs/djomy.md#endpoints),
 * with the headers of docs/djomy.md#authentication (`X-API-KEY` on every call,
 * the Bearer on every business call, `X-PARTNER-DOMAIN` when configured) and one
 * re-authentication when Djomy answers 401. No Hono, no D1: it only needs `fetch`
 * and a token cache.
 *
 * @example
 * const djomy = new DjomyClient({ baseUrl, clientId, clientSecret, partnerDomain: null, timeoutMs: 10_000, tokens })
 * const { transactionId, redirectUrl } = await djomy.createGatewayPayment({ … })
 */
import type * as z from 'zod/mini';
import { DjomyError } from './errors.ts';
import {
  AuthData,
  ConfirmOtpRequest,
  type CreatedPayment,
  CreatedPaymentData,
  CreateLinkRequest,
  DirectPaymentRequest,
  type DjomyLink,
  type DjomyPaymentStatus,
  GatewayPaymentRequest,
  LinkData,
  LinkPage,
  type ListPaymentsQuery,
  PaymentPage,
  PaymentStatusData,
} from './schemas.ts';
import { djomyApiKey } from './signature.ts';
import type { IssuedToken, TokenCache } from './token-cache.ts';
import { type DjomyCall, Transport } from './transport.ts';

export interface DjomyClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  partnerDomain: string | null;
  timeoutMs: number;
  tokens: TokenCache;
  /** Tries per call for the retry policy (default 3). */
  attempts?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
}

/**
 * Assumed when `expiresIn` is missing or nonsense: the most common default
 * (docs/djomy.md#authentication).
 */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

type BusinessCall<T> = Omit<DjomyCall<T>, 'headers'>;

export class DjomyClient {
  private readonly transport: Transport;
  private readonly tokens: TokenCache;
  private readonly options: DjomyClientOptions;
  private apiKey: Promise<string> | null = null;

  constructor(options: DjomyClientOptions) {
    this.options = options;
    this.tokens = options.tokens;
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      attempts: options.attempts,
      backoffMs: options.backoffMs,
      fetch: options.fetch,
    });
  }

  /**
   * `POST /v1/auth`: a fresh bearer token. Business calls go through the cache;
   * this is public for the diagnostics' live credential check.
   */
  async authenticate(): Promise<IssuedToken> {
    const data = await this.transport.send({
      operation: 'authenticate',
      method: 'POST',
      path: '/v1/auth',
      body: {},
      headers: await this.baseHeaders(),
      retry: 'idempotent',
      data: AuthData,
    });
    const lifetime = Number(data.expiresIn);
    return {
      accessToken: data.accessToken,
      lifetimeSeconds: Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_TOKEN_LIFETIME_SECONDS,
    };
  }

  /** `POST /v1/payments`: the payer's wallet is prompted (or an OTP is sent, or a URL must be opened). */
  async createDirectPayment(request: DirectPaymentRequest): Promise<CreatedPayment> {
    return this.call({
      operation: 'createDirectPayment',
      method: 'POST',
      path: '/v1/payments',
      body: validRequest('createDirectPayment', DirectPaymentRequest, request),
      retry: 'unsafe',
      data: CreatedPaymentData,
    });
  }

  /** `POST /v1/payments/gateway`: Djomy's hosted portal; send the payer to `redirectUrl`. */
  async createGatewayPayment(request: GatewayPaymentRequest): Promise<CreatedPayment> {
    return this.call({
      operation: 'createGatewayPayment',
      method: 'POST',
      path: '/v1/payments/gateway',
      body: validRequest('createGatewayPayment', GatewayPaymentRequest, request),
      retry: 'unsafe',
      data: CreatedPaymentData,
    });
  }

  /**
   * `POST /v1/payments/{transactionId}/confirmOTP` with exactly `{oneTimePin}`
   * (docs/djomy.md#confirmotp).
   */
  async confirmOtp(transactionId: string, oneTimePin: string): Promise<DjomyPaymentStatus> {
    return this.call({
      operation: 'confirmOtp',
      method: 'POST',
      path: `/v1/payments/${encodeURIComponent(transactionId)}/confirmOTP`,
      body: validRequest('confirmOtp', ConfirmOtpRequest, { oneTimePin }),
      retry: 'unsafe',
      data: PaymentStatusData,
    });
  }

  /** `GET /v1/payments/{transactionId}/status`: the only source of truth (docs/djomy.md#statuses). */
  getPaymentStatus(transactionId: string): Promise<DjomyPaymentStatus> {
    return this.call({
      operation: 'getPaymentStatus',
      method: 'GET',
      path: `/v1/payments/${encodeURIComponent(transactionId)}/status`,
      retry: 'idempotent',
      data: PaymentStatusData,
    });
  }

  /** `GET /v1/payments`, one page, with flat Spring-style paging (docs/djomy.md#lists). */
  listPayments(query: ListPaymentsQuery = {}): Promise<{ items: DjomyPaymentStatus[]; last: boolean }> {
    const params = new URLSearchParams({
      page: String(query.page ?? 0),
      size: String(query.size ?? 100),
      sortBy: 'createdAt',
      sortDirection: 'desc',
    });
    if (query.statuses?.length) params.set('statuses', query.statuses.join(','));
    if (query.period) {
      params.set('startDate', query.period.startDate);
      params.set('endDate', query.period.endDate);
    }
    return this.call({
      operation: 'listPayments',
      method: 'GET',
      path: '/v1/payments',
      query: params,
      retry: 'idempotent',
      data: PaymentPage,
    });
  }

  /** `POST /v1/links`. */
  async createLink(request: CreateLinkRequest): Promise<DjomyLink> {
    return this.call({
      operation: 'createLink',
      method: 'POST',
      path: '/v1/links',
      body: validRequest('createLink', CreateLinkRequest, request),
      retry: 'unsafe',
      data: LinkData,
    });
  }

  /** `GET /v1/links/{paymentLinkReference}`; the opaque reference is URL-encoded. */
  getLink(reference: string): Promise<DjomyLink> {
    return this.call({
      operation: 'getLink',
      method: 'GET',
      path: `/v1/links/${encodeURIComponent(reference)}`,
      retry: 'idempotent',
      data: LinkData,
    });
  }

  /** `GET /v1/links`. */
  listLinks(): Promise<{ items: DjomyLink[]; last: boolean }> {
    return this.call({
      operation: 'listLinks',
      method: 'GET',
      path: '/v1/links',
      retry: 'idempotent',
      data: LinkPage,
    });
  }

  private async baseHeaders(): Promise<Record<string, string>> {
    const { clientId, clientSecret, partnerDomain } = this.options;
    this.apiKey ??= djomyApiKey(clientId, clientSecret);
    const headers: Record<string, string> = { 'X-API-KEY': await this.apiKey };
    if (partnerDomain) headers['X-PARTNER-DOMAIN'] = partnerDomain;
    return headers;
  }

  /** A business call with the cached token; on 401 the token is dropped and the call is tried once more. */
  private async call<T>(call: BusinessCall<T>): Promise<T> {
    const headers = await this.baseHeaders();
    const issue = () => this.authenticate();
    const send = (token: string) =>
      this.transport.send({ ...call, headers: { ...headers, Authorization: `Bearer ${token}` } });
    const token = await this.tokens.get(issue);
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof DjomyError) || error.kind !== 'unauthorized') throw error;
      await this.tokens.invalidate(token);
      return send(await this.tokens.get(issue));
    }
  }
}

/** Our own requests are checked against Djomy's rules before they leave, so a bug is a clear refusal, not a mystery. */
function validRequest<T>(operation: string, schema: z.ZodMiniType<T>, request: T): T {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  const fieldErrors = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new DjomyError({ kind: 'refused', operation, detail: 'invalid request', fieldErrors });
}
