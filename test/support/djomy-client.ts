/**
 * The Djomy client under test, pointed at the running simulator, and what
 * the test/djomy files feed it and read back: requests with fresh
 * references, a recording fetch, and the `DjomyError` a failed call throws.
 *
 * @example
 * const recorder = recordingFetch();
 * const djomy = newClient({ fetch: recorder.fetch });
 * const error = await rejection(djomy.createDirectPayment(directPayment({ amount: 1000.5 })));
 * expect(recorder.exchanges).toEqual([]);
 */
import { env } from 'cloudflare:workers';
import { DjomyClient, type DjomyClientOptions } from '../../src/djomy/client.ts';
import { DjomyError } from '../../src/djomy/errors.ts';
import {
  type DirectPaymentRequest,
  GATEWAY_METHODS,
  type GatewayPaymentRequest,
} from '../../src/djomy/schemas.ts';
import { TokenCache } from '../../src/djomy/token-cache.ts';
import { TEST_CREDENTIALS } from './constants.ts';
import { SIM_ORIGIN } from './sim.ts';

/** A payer phone per supported country, in Djomy's `00` + country code form (docs/djomy.md#phone-numbers). */
export const PHONES = { GN: '00224620123456', SL: '0023276123456', LR: '00231775123456' } as const;

/** A KV key for a token cache that no other test uses, so the cache starts cold. */
export const freshKey = () => `djomy-token:test:${crypto.randomUUID()}`;

/**
 * A client of the simulator with the test credentials, no partner domain, a
 * 5 s timeout, 10 ms backoff and a token cache of its own (`freshKey`);
 * `options` replace any of these, e.g. `{ timeoutMs: 300 }` or `{ fetch: recorder.fetch }`.
 */
export function newClient(options: Partial<DjomyClientOptions> = {}): DjomyClient {
  return new DjomyClient({
    baseUrl: SIM_ORIGIN,
    clientId: TEST_CREDENTIALS.clientId,
    clientSecret: TEST_CREDENTIALS.clientSecret,
    partnerDomain: null,
    timeoutMs: 5_000,
    tokens: new TokenCache(env.TOKENS, freshKey()),
    backoffMs: 10,
    ...options,
  });
}

/** One call the client made, as a recording fetch saw it. */
export interface Exchange {
  method: string;
  /** Parsed when read, so that a URL `fetch` itself refuses (e.g. port 99999) is still recorded. */
  readonly url: URL;
  headers: Headers;
  /** The raw body text, when there is one. */
  text: string | undefined;
  /** The body parsed as JSON, when there is one. */
  body: unknown;
  /** The raw answer, as the client received it (rejects when the fetch failed). */
  answer: Promise<string>;
}

/**
 * A `fetch` that notes each request and its answer, then forwards it to the
 * real `fetch`: `exchanges` in full, `urls` as the client wrote them, and
 * `bearers`, the Authorization header of each call that had one (the business calls).
 */
export function recordingFetch() {
  const exchanges: Exchange[] = [];
  const urls: string[] = [];
  const bearers: string[] = [];
  const recording: typeof fetch = (input, init) => {
    const href = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const body: unknown = text === undefined ? undefined : JSON.parse(text);
    const response = fetch(input, init);
    // Cloned before the client reads the body; a failed fetch is the client's to see, not ours.
    const answer = response.then((received) => received.clone().text());
    answer.catch(() => {});
    urls.push(href);
    const authorization = headers.get('authorization');
    if (authorization) bearers.push(authorization);
    exchanges.push({
      method: init?.method ?? 'GET',
      get url() {
        return new URL(href);
      },
      headers,
      text,
      body,
      answer,
    });
    return response;
  };
  return { exchanges, urls, bearers, fetch: recording };
}

/**
 * A direct payment with only the fields Djomy requires: 25 000 GNF by OM from
 * a Guinean phone, under a fresh `merchantPaymentReference`; `overrides` replace any field.
 */
export function directPayment(overrides: Partial<DirectPaymentRequest> = {}): DirectPaymentRequest {
  return {
    paymentMethod: 'OM',
    payerIdentifier: PHONES.GN,
    amount: 25_000,
    countryCode: 'GN',
    merchantPaymentReference: `pay_${crypto.randomUUID()}`,
    ...overrides,
  };
}

/** The same with every optional field set too: description, return and cancel URLs, flat metadata. */
export function completeDirectPayment(overrides: Partial<DirectPaymentRequest> = {}): DirectPaymentRequest {
  const required = directPayment();
  const back = `https://edge.example/return/${required.merchantPaymentReference}`;
  return {
    ...required,
    description: 'Commande 42',
    returnUrl: back,
    cancelUrl: back,
    metadata: { orderId: 'ORD-42', vip: true, items: 3 },
    ...overrides,
  };
}

/**
 * A gateway payment of 50 000 GNF for a Guinean payer, offering OM, MOMO and
 * CARD on the portal, with a description and a return URL; `overrides` replace any field.
 */
export function gatewayPayment(overrides: Partial<GatewayPaymentRequest> = {}): GatewayPaymentRequest {
  const id = `pay_${crypto.randomUUID()}`;
  return {
    amount: 50_000,
    countryCode: 'GN',
    payerNumber: PHONES.GN,
    allowedPaymentMethods: ['OM', 'MOMO', 'CARD'],
    description: 'Commande 43',
    merchantPaymentReference: id,
    returnUrl: `https://edge.example/return/${id}`,
    ...overrides,
  };
}

/** The same offering every gateway method, with a cancel URL and metadata too. */
export function completeGatewayPayment(
  overrides: Partial<GatewayPaymentRequest> = {},
): GatewayPaymentRequest {
  const base = gatewayPayment();
  return {
    ...base,
    allowedPaymentMethods: [...GATEWAY_METHODS],
    cancelUrl: base.returnUrl,
    metadata: { orderId: 'ORD-43' },
    ...overrides,
  };
}

/** The `DjomyError` that `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<DjomyError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DjomyError)) throw new Error(`expected a DjomyError, got ${String(error)}`);
  return error;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
