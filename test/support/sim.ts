/**
 * Drives the Djomy simulator from tests. Every outbound fetch of a test lands
 * on the simulator (miniflare `outboundService`), whatever the host; the
 * simulator is one process shared by all test files, so each file starts
 * with `await sim.reset()`.
 *
 * @example
 * beforeAll(() => sim.reset())
 * const token = await djomyToken()
 * const res = await fetch(`${SIM_ORIGIN}/v1/payments`, { method: 'POST', headers: await djomyHeaders(token), body })
 */
import { type Schema, Validator } from '@cfworker/json-schema';
import type { ConfigPatch, SimConfig } from '../../sim/src/config.ts';
import type { PaymentStatus } from '../../sim/src/domain.ts';
import type { FaultSpec, FaultSpecInput } from '../../sim/src/faults.ts';
import type { LinkPayment } from '../../sim/src/link-payments.ts';
import type { MerchantDelivery } from '../../sim/src/merchant-inbox.ts';
import type { Payment, ReferenceCount } from '../../sim/src/store.ts';
import type { TelegramMessage } from '../../sim/src/telegram.ts';
import type { DeliveryRecord } from '../../sim/src/webhook-delivery.ts';
import type { WebhookMessage } from '../../sim/src/webhook-message.ts';
import { djomyApiKey } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS, TEST_HOSTS } from './constants.ts';

export const SIM_ORIGIN = `http://${TEST_HOSTS.djomy}`;

/** Payer numbers that choose the outcome (approve, decline, answer lost, late success…). */
export { TEST_NUMBERS, type TestBehaviour } from '../../sim/src/test-numbers.ts';
export type { ConfigPatch, FaultSpecInput, PaymentStatus, ReferenceCount, SimConfig };

/** What `/__sim/payments/{id}` reveals: the payment with its OTP, mode, flow and URLs. */
export type PaymentTruth = Payment & { currency: string };

export interface WebhookLog {
  pending: number;
  deliveries: DeliveryRecord[];
  /** Every webhook built, with its exact body and signature (also when `webhookUrl` is null). */
  events: WebhookMessage[];
}

export type Counters = Record<
  | 'auth'
  | 'createPayment'
  | 'createGateway'
  | 'confirmOtp'
  | 'status'
  | 'listPayments'
  | 'createLink'
  | 'getLink'
  | 'listLinks'
  | 'total',
  number
>;

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${SIM_ORIGIN}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sim ${method} ${path} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export const sim = {
  reset: () => control<{ ok: true }>('POST', '/reset'),
  getConfig: () => control<SimConfig>('GET', '/config'),
  config: (patch: ConfigPatch) => control<SimConfig>('PATCH', '/config', patch),
  faults: (spec: FaultSpecInput) => control<FaultSpec & { seed: number }>('PUT', '/faults', spec),
  getFaults: () => control<FaultSpec & { seed: number }>('GET', '/faults'),
  clearFaults: () => control<FaultSpec>('DELETE', '/faults'),
  counters: () => control<Counters>('GET', '/counters'),
  resetCounters: () => control<Counters>('DELETE', '/counters'),
  payment: (transactionId: string) => control<PaymentTruth>('GET', `/payments/${transactionId}`),
  payments: async () => (await control<{ payments: PaymentTruth[] }>('GET', '/payments')).payments,
  /**
   * Every Djomy payment per `merchantPaymentReference` (empty ones left out),
   * in creation order. A count above 1: one order got several payments, a
   * double charge if two succeed.
   */
  references: async () =>
    (await control<{ references: Record<string, ReferenceCount> }>('GET', '/references')).references,
  /** Sets any status (and optionally what was paid), even on a terminal payment; emits the webhook. */
  complete: (
    transactionId: string,
    status: Exclude<PaymentStatus, 'CREATED' | 'REDIRECTED'>,
    extra: { paidAmount?: number } = {},
  ) => control<PaymentTruth>('POST', `/payments/${transactionId}/complete`, { status, ...extra }),
  /** A payer pays on a link (default outcome SUCCESS). */
  payLink: (reference: string, body: LinkPayment = {}) =>
    control<PaymentTruth>('POST', `/links/${encodeURIComponent(reference)}/pay`, body),
  webhooks: () => control<WebhookLog>('GET', '/webhooks'),
  /** Waits (at most 30 s) until no webhook delivery is in flight. */
  drainWebhooks: () => control<WebhookLog>('POST', '/webhooks/drain'),
  replayWebhook: (eventId: string) => control<DeliveryRecord>('POST', '/webhooks/replay', { eventId }),
  merchantDeliveries: async () =>
    (await control<{ deliveries: MerchantDelivery[] }>('GET', '/merchant/deliveries')).deliveries,
  /** What the fake Telegram Bot API received, oldest first. */
  telegramMessages: async () =>
    (await control<{ messages: TelegramMessage[] }>('GET', '/telegram/messages')).messages,
};

/** `X-API-KEY` for the test credentials, plus the Bearer when a token is given. */
export async function djomyHeaders(token?: string): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    'x-api-key': await djomyApiKey(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret),
    ...(token && { authorization: `Bearer ${token}` }),
  };
}

/** A Djomy answer as tests read it: the HTTP status, the raw text, and the envelope when it is JSON. */
export interface DjomyAnswer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary envelope fields and check them with expect.
  body: any;
}

/**
 * Calls the simulator's Djomy API with the test credentials.
 *
 * @example const { status, body } = await djomy('POST', '/v1/payments', { token, body: { … } })
 */
export async function djomy(
  method: string,
  path: string,
  { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<DjomyAnswer> {
  const response = await fetch(`${SIM_ORIGIN}${path}`, {
    method,
    headers: { ...(await djomyHeaders(token)), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A fresh Bearer token from the simulator's `POST /v1/auth`. */
export async function djomyToken(): Promise<string> {
  const response = await fetch(`${SIM_ORIGIN}/v1/auth`, {
    method: 'POST',
    headers: await djomyHeaders(),
    body: '{}',
  });
  const body = (await response.json()) as { data?: { accessToken?: string } };
  if (!body.data?.accessToken) throw new Error(`sim auth failed: ${response.status}`);
  return body.data.accessToken;
}

/**
 * Why an answer does not match its afro.tools schema
 * (test/fixtures/afrotools-djomy): `response_schema` for a success,
 * `error_schema` for a refusal. Empty when it matches. One relaxation
 * (docs/djomy.md#envelope-and-errors): the response schemas type `error` as
 * an object, but the envelope carries `error: null` on success, so null is
 * accepted there.
 *
 * @example expect(djomySchemaErrors(verifyPayment, body)).toEqual([])
 */
export function djomySchemaErrors(
  fixture: { response_schema: unknown; error_schema: unknown },
  body: { success?: unknown } | null,
): string[] {
  const refusal = body?.success === false;
  const schema = structuredClone(refusal ? fixture.error_schema : fixture.response_schema) as Schema;
  const error = schema.properties?.error;
  if (!refusal && typeof error === 'object') error.type = ['object', 'null'];
  const result = new Validator(schema, '2019-09', false).validate(body);
  return result.errors
    .filter((e) => e.keyword !== 'properties' && e.keyword !== 'items')
    .map((e) => `${e.instanceLocation}: ${e.error}`);
}
