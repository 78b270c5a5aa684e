/**
 * Calls the Worker under test through its real `fetch`, as a browser, a
 * site's server or an admin would, plus the waits that queue-driven tests need
 * and a look at the ledger (D1) to check what a request wrote.
 */
import { env, exports } from 'cloudflare:workers';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS, TEST_HOSTS } from './constants.ts';
import { sim } from './sim.ts';

export const EDGE = `http://${TEST_HOSTS.edge}`;
export const SHOP = `https://${TEST_HOSTS.shop}`;

let clientCount = 0;

/** A client IP of its own, so the public rate limit only bites where a test wants it. */
export function freshIp(): string {
  clientCount++;
  return `10.${(clientCount >> 16) & 255}.${(clientCount >> 8) & 255}.${clientCount & 255}`;
}

export interface CallInit extends Omit<RequestInit, 'body'> {
  json?: unknown;
  body?: BodyInit | null;
  ip?: string;
}

/** One request to the Worker. JSON bodies get their Content-Type; each call gets its own IP unless given one. */
export function call(path: string, init: CallInit = {}): Promise<Response> {
  const { json, ip, headers, ...rest } = init;
  const merged = new Headers(headers);
  merged.set('cf-connecting-ip', ip ?? freshIp());
  if (json !== undefined) merged.set('content-type', 'application/json');
  return exports.default.fetch(
    new Request(`${EDGE}${path}`, {
      ...rest,
      headers: merged,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      redirect: 'manual',
    }),
  );
}

/** The same with `Authorization: Bearer <ADMIN_TOKEN>`. */
export function admin(path: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${TEST_CREDENTIALS.adminToken}`);
  return call(path, { ...init, headers });
}

/** The same with `Authorization: Bearer <VIEWER_TOKEN>`: the cashier. */
export function viewer(path: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${TEST_CREDENTIALS.viewerToken}`);
  return call(path, { ...init, headers });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers field by field with expect.
export async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

export const CATALOG = [
  { sku: 'tshirt', name: 'T-shirt Djomy', amount: 75_000 },
  { sku: 'cap', name: 'Casquette', amount: 30_000 },
  { sku: 'mug', name: 'Tasse', amount: 15_000 },
] as const;

/**
 * The start of every test file that talks to the simulator: it is one process
 * shared by all files, so reset it; keep its webhooks off unless the file
 * tests them (they would call back into the Worker and move counters); seed
 * the catalog (D1 is fresh per file).
 */
export async function freshStart({ simWebhooks = false } = {}): Promise<void> {
  await sim.reset();
  if (!simWebhooks) await sim.config({ webhookUrl: null });
  await seedCatalog();
}

export async function seedCatalog(): Promise<void> {
  for (const product of CATALOG) {
    const response = await admin(`/api/admin/products/${product.sku}`, {
      method: 'PUT',
      json: { name: product.name, amount: product.amount },
    });
    if (response.status >= 300)
      throw new Error(`seed ${product.sku}: ${response.status} ${await response.text()}`);
  }
}

/** A valid gateway order; override any field. */
export function gatewayOrder(overrides: Record<string, unknown> = {}) {
  return {
    flow: 'gateway',
    items: [{ sku: 'cap', quantity: 2 }],
    payer: { phone: '+224 622 12 34 56' },
    reference: 'order-1',
    successUrl: `${SHOP}/merci`,
    cancelUrl: `${SHOP}/panier`,
    ...overrides,
  };
}

let phones = 0;

/**
 * A payer phone no other order of this test file uses (`623……`): at most
 * PROMPTS_PER_PHONE direct prompts go to one phone in 10 minutes.
 */
export function freshPhone(): string {
  phones++;
  return `623${String(phones).padStart(6, '0')}`;
}

/** A valid direct order, to a fresh phone; override any field. */
export function directOrder(overrides: Record<string, unknown> = {}) {
  return {
    flow: 'direct',
    paymentMethod: 'OM',
    items: [{ sku: 'mug', quantity: 1 }],
    payer: { phone: freshPhone() },
    reference: 'order-2',
    ...overrides,
  };
}

/** The Djomy transaction id of one of our payments (admin view). */
export async function transactionOf(paymentId: string): Promise<string> {
  const { payment } = await json(admin(`/api/admin/payments/${paymentId}`));
  if (!payment.transactionId) throw new Error(`payment ${paymentId} has no transaction`);
  return payment.transactionId;
}

/** How many payments the ledger holds: compare before and after to see that a request wrote none. */
export async function countPayments(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM payments').first<{ n: number }>())?.n ?? 0;
}

/** Polls `check` until it returns a truthy value (queues and webhooks are asynchronous). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The public view once it satisfies `predicate`. */
export function waitForPayment(
  id: string,
  // biome-ignore lint/suspicious/noExplicitAny: the public view as JSON.
  predicate: (payment: any) => boolean,
  timeoutMs?: number,
  // biome-ignore lint/suspicious/noExplicitAny: the public view as JSON.
): Promise<any> {
  return waitFor(async () => {
    const payment = await json(call(`/api/payments/${id}`));
    return predicate(payment) ? payment : null;
  }, timeoutMs);
}

/**
 * A Djomy webhook about `transactionId`, signed with the test secret and
 * posted to the Worker, as Djomy would send it (V2 envelope).
 */
export async function postDjomyWebhook(eventType: string, transactionId: string): Promise<Response> {
  const status = eventType.split('.')[1]?.toUpperCase();
  const body = JSON.stringify({
    eventType,
    eventId: crypto.randomUUID(),
    message: 'Statut du paiement',
    data: { payment: { transactionId, status } },
    paymentLinkReference: '',
    timestamp: new Date().toISOString(),
    metadata: {},
  });
  return call('/webhooks/djomy', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-webhook-signature': await signWebhookBody(TEST_CREDENTIALS.clientSecret, body),
    },
  });
}

/** The payment as the admin API shows it, with its events (and transactions, where the API lists them). */
// biome-ignore lint/suspicious/noExplicitAny: the admin view as JSON.
export async function ledgerOf(id: string): Promise<any> {
  return json(admin(`/api/admin/payments/${id}`));
}
