/**
 * The Worker's API as the benchmarks drive it: checkouts, the admin routes,
 * the pending page's polling, and Djomy webhooks signed with the Worker's own
 * `signWebhookBody`, as plain calls and as autocannon requests.
 *
 * The public routes are rate-limited per `CF-Connecting-IP`, and direct
 * payments per payer phone. Cloudflare sets that header in production;
 * `wrangler dev` takes it from the client. So every benchmark request carries
 * its own address and every checkout its own phone: the limits never decide a
 * figure (the rate limiter binding still runs on every request).
 */
import type { Request } from 'autocannon';
import { TERMINAL_STATUSES } from '../../src/djomy/schemas.ts';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { type BenchStack, call, expectCall, simControls } from './stack.ts';

let clients = 0;
/** A client address never used before in this process (10.0.0.1, 10.0.0.2, …). */
export function nextClientIp(): string {
  const n = ++clients;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

let phones = 0;
/** A checkout as the demo shop sends it: two catalog lines, a Guinean payer with a phone never used before. */
function checkoutBody(reference: string, flow = 'gateway', successUrl?: string) {
  return {
    flow,
    ...(flow === 'direct' ? { paymentMethod: 'OM' } : {}),
    items: [
      { sku: 'tasse', quantity: 2 },
      { sku: 'casquette', quantity: 1 },
    ],
    payer: { phone: `66${String(++phones % 10_000_000).padStart(7, '0')}` },
    reference,
    ...(successUrl ? { successUrl } : {}),
  };
}

/** The headers of one checkout: its own client address and Idempotency-Key. */
const checkoutHeaders = (reference: string) => ({
  'content-type': 'application/json',
  'cf-connecting-ip': nextClientIp(),
  'idempotency-key': reference,
});

export type LedgerPayment = { id: string; transactionId: string; amount: number };

export function createPayment(
  stack: BenchStack,
  reference: string,
  flow: 'gateway' | 'direct' = 'gateway',
  successUrl?: string,
): Promise<{ id: string; amount: number }> {
  return expectCall(201, 'POST', `${stack.workerUrl}/api/payments`, {
    body: checkoutBody(reference, flow, successUrl),
    headers: checkoutHeaders(reference),
  });
}

/** The admin bearer, from a client address of its own (the admin API is rate-limited per address). */
export const adminHeaders = (stack: BenchStack) => ({
  authorization: `Bearer ${stack.adminToken}`,
  'cf-connecting-ip': nextClientIp(),
});

const admin = async (stack: BenchStack, method: string, route: string) => {
  const url = `${stack.workerUrl}/api/admin/payments/${route}`;
  const headers = adminHeaders(stack);
  type Payment = { paid: boolean; transactionId: string | null };
  return (await expectCall<{ payment: Payment }>(200, method, url, { headers })).payment;
};
export const adminPayment = (stack: BenchStack, id: string) => admin(stack, 'GET', id);
/** `POST /api/admin/payments/{id}/verify`: one Djomy status call, answered when applied. */
export const adminVerify = (stack: BenchStack, id: string) => admin(stack, 'POST', `${id}/verify`);

/** Runs `task` for 0..count-1 with at most `limit` at once; the results in order. */
export async function mapConcurrently<T>(count: number, limit: number, task: (i: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/** Gateway payments paid at the simulator and verified, so that the ledger has them SUCCESS. */
export async function paidPayments(
  stack: BenchStack,
  prefix: string,
  count: number,
): Promise<LedgerPayment[]> {
  const payments = await mapConcurrently(count, 4, async (i) => {
    const created = await createPayment(stack, `${prefix}-${i}`);
    const { transactionId } = await adminPayment(stack, created.id);
    if (!transactionId) throw new Error(`payment ${created.id} has no Djomy transaction`);
    return { id: created.id, transactionId, amount: created.amount };
  });
  for (const payment of payments) {
    await simControls(stack).complete(payment.transactionId, 'SUCCESS');
    if (!(await adminVerify(stack, payment.id)).paid) throw new Error(`${payment.id} not paid after verify`);
  }
  return payments;
}

/** Polls `GET /api/payments/{id}` like the pending page (2 s, ×1.5, at most 10 s) until it is closed. */
export async function pollUntilClosed(stack: BenchStack, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2000, polls = 1; Date.now() < deadline; delay = Math.min(delay * 1.5, 10_000), polls++) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    const headers = { 'cf-connecting-ip': nextClientIp() };
    const view = await call<{ paid: boolean; status: string }>(
      'GET',
      `${stack.workerUrl}/api/payments/${id}`,
      { headers },
    );
    if (view.status !== 200) throw new Error(`poll ${id}: ${view.status}`);
    if ((TERMINAL_STATUSES as ReadonlySet<string>).has(view.body.status))
      return { paid: view.body.paid, polls };
  }
  throw new Error(`payment ${id} still open after ${timeoutMs / 1000} s`);
}

/**
 * An autocannon request that creates a new gateway payment each time (reference
 * `<prefix>-<n>`), and leaves its id in the connection's context (`paymentId`)
 * for the requests that follow it.
 */
export function checkoutRequest(prefix: string) {
  const tally = { sent: 0, created: [] as string[], failed: 0 };
  const request: Request = {
    setupRequest: (request) => {
      const reference = `${prefix}-${tally.sent++}`;
      const body = JSON.stringify(checkoutBody(reference));
      return { ...request, method: 'POST', path: '/api/payments', headers: checkoutHeaders(reference), body };
    },
    onResponse: (status, body, context) => {
      if (status !== 201) {
        tally.failed++;
        return;
      }
      const { id } = JSON.parse(body) as { id: string };
      tally.created.push(id);
      context.paymentId = id;
    },
  };
  return { request, tally };
}

export interface SignedEvent {
  eventId: string;
  body: string;
  signature: string;
}

/**
 * `count` distinct V2 events with ids `<prefix>-<n>`, each the status object
 * of a paid payment, spread round-robin over `payments`, signed before the run.
 */
export async function signedEvents(
  clientSecret: string,
  prefix: string,
  count: number,
  payments: LedgerPayment[],
): Promise<SignedEvent[]> {
  const at = new Date().toISOString();
  const events: SignedEvent[] = [];
  for (let n = 0; n < count; n++) {
    const { id, transactionId, amount } = payments[n % payments.length] as LedgerPayment;
    const fees = Math.round(amount / 100);
    const body =
      `{"eventType":"payment.success","eventId":"${prefix}-${n}","message":"Statut du paiement","data":{"payment":` +
      `{"transactionId":"${transactionId}","status":"SUCCESS","paidAmount":${amount},"receivedAmount":${amount - fees},` +
      `"fees":${fees},"paymentMethod":"OM","payerIdentifier":"00224622123456","currency":"GNF",` +
      `"merchantPaymentReference":"${id}","createdAt":"${at}","allowedPaymentMethods":` +
      `["OM","MOMO","KULU","SOUTRA_MONEY","PAYCARD","CARD"],"metadata":{}}},"paymentLinkReference":"",` +
      `"timestamp":"${at}","metadata":{}}`;
    events.push({ eventId: `${prefix}-${n}`, body, signature: await signWebhookBody(clientSecret, body) });
  }
  return events;
}

/**
 * An autocannon request that posts each event once, in order, and records the
 * answers. `overflow` counts requests that found the pool empty and re-sent the
 * last event (0 unless the pool was sized too small).
 */
export function webhookRequest(events: SignedEvent[]) {
  const tally = { sent: 0, accepted: [] as string[], failed: 0, overflow: 0 };
  const request: Request = {
    setupRequest: (request, context) => {
      const event = events[tally.sent] ?? (events.at(-1) as SignedEvent);
      if (tally.sent++ >= events.length) tally.overflow++;
      context.eventId = event.eventId;
      const headers = { 'content-type': 'application/json', 'x-webhook-signature': event.signature };
      return { ...request, method: 'POST', path: '/webhooks/djomy', headers, body: event.body };
    },
    onResponse: (status, _body, context) => {
      if (status === 200) tally.accepted.push(context.eventId as string);
      else tally.failed++;
    },
  };
  return { request, tally };
}
