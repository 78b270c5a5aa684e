/**
 * The Worker's API as the benchmarks drive it: checkout bodies, distinct
 * client addresses, and helpers that prepare payments for a measurement.
 *
 * The public routes are rate-limited per `CF-Connecting-IP` (60 / 10 s).
 * Cloudflare sets that header in production; `wrangler dev` takes it from the
 * client, so every benchmark request carries its own address and the limiter
 * never decides a figure.
 */
import type { Request } from 'autocannon';
import { type BenchStack, call, expectCall, simControls } from './stack.ts';

let clients = 0;

/** A client address never used before in this process (10.0.0.1, 10.0.0.2, …). */
export function nextClientIp(): string {
  const n = ++clients;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A checkout as the demo shop sends it: two catalog lines, a Guinean payer. */
export function checkoutBody(
  reference: string,
  flow: 'gateway' | 'direct' = 'gateway',
  successUrl?: string,
): Record<string, unknown> {
  return {
    flow,
    ...(flow === 'direct' ? { paymentMethod: 'OM' } : {}),
    items: [
      { sku: 'tasse', quantity: 2 },
      { sku: 'casquette', quantity: 1 },
    ],
    payer: { phone: '622123456' },
    reference,
    ...(successUrl ? { successUrl } : {}),
  };
}

/** The headers of one checkout request: its own client address and Idempotency-Key. */
export function checkoutHeaders(reference: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'cf-connecting-ip': nextClientIp(),
    'idempotency-key': reference,
  };
}

export interface CreatedPayment {
  id: string;
  status: string;
  amount: number;
  next: { type: string; url?: string } | null;
}

export interface AdminPayment {
  id: string;
  status: string;
  paid: boolean;
  transactionId: string | null;
  verifyCount: number;
}

export async function createPayment(
  stack: BenchStack,
  reference: string,
  flow: 'gateway' | 'direct' = 'gateway',
  successUrl?: string,
): Promise<CreatedPayment> {
  return expectCall<CreatedPayment>(201, 'POST', `${stack.workerUrl}/api/payments`, {
    body: checkoutBody(reference, flow, successUrl),
    headers: checkoutHeaders(reference),
  });
}

export function adminHeaders(stack: BenchStack): Record<string, string> {
  return { authorization: `Bearer ${stack.adminToken}` };
}

export async function adminPayment(stack: BenchStack, id: string): Promise<AdminPayment> {
  const body = await expectCall<{ payment: AdminPayment }>(
    200,
    'GET',
    `${stack.workerUrl}/api/admin/payments/${id}`,
    { headers: adminHeaders(stack) },
  );
  return body.payment;
}

/** `POST /api/admin/payments/{id}/verify`: one Djomy status call, answered when applied. */
export async function adminVerify(stack: BenchStack, id: string): Promise<AdminPayment> {
  const body = await expectCall<{ payment: AdminPayment }>(
    200,
    'POST',
    `${stack.workerUrl}/api/admin/payments/${id}/verify`,
    { headers: adminHeaders(stack) },
  );
  return body.payment;
}

/** Runs `task` for 0..count-1 with at most `limit` at once; the results in order. */
export async function mapConcurrently<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

export interface LedgerPayment {
  id: string;
  transactionId: string;
  amount: number;
}

/** Gateway payments created through the API and left open at Djomy (CREATED). */
export async function openPayments(
  stack: BenchStack,
  prefix: string,
  count: number,
): Promise<LedgerPayment[]> {
  return mapConcurrently(count, 4, async (i) => {
    const created = await createPayment(stack, `${prefix}-${i}`);
    const record = await adminPayment(stack, created.id);
    if (!record.transactionId) throw new Error(`payment ${created.id} has no Djomy transaction`);
    return { id: created.id, transactionId: record.transactionId, amount: created.amount };
  });
}

/** Gateway payments paid at the simulator and verified, so the ledger has them SUCCESS. */
export async function paidPayments(
  stack: BenchStack,
  prefix: string,
  count: number,
): Promise<LedgerPayment[]> {
  const sim = simControls(stack);
  const payments = await openPayments(stack, prefix, count);
  for (const payment of payments) {
    await sim.complete(payment.transactionId, 'SUCCESS');
    const verified = await adminVerify(stack, payment.id);
    if (!verified.paid) throw new Error(`payment ${payment.id} is not paid after verify`);
  }
  return payments;
}

/** Polls `GET /api/payments/{id}` like the pending page does (2 s, ×1.5, at most 10 s) until it is closed. */
export async function pollUntilClosed(
  stack: BenchStack,
  id: string,
  timeoutMs = 60_000,
): Promise<{ paid: boolean; status: string; polls: number }> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2000;
  let polls = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    polls++;
    const view = await call<{ paid: boolean; status: string }>(
      'GET',
      `${stack.workerUrl}/api/payments/${id}`,
      {
        headers: { 'cf-connecting-ip': nextClientIp() },
      },
    );
    if (view.status !== 200) throw new Error(`poll ${id}: ${view.status}`);
    if (['SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED'].includes(view.body.status)) {
      return { ...view.body, polls };
    }
    delay = Math.min(delay * 1.5, 10_000);
  }
  throw new Error(`payment ${id} still open after ${timeoutMs / 1000} s`);
}

/** What happened to the checkouts an autocannon request sent. */
export interface CheckoutTally {
  sent: number;
  /** Ids of the payments answered 201. */
  created: string[];
  failed: number;
}

/**
 * An autocannon request that creates a new gateway payment each time, with its
 * own reference (`<prefix>-<n>`), Idempotency-Key and client address; the
 * created id is left in the connection's context (`paymentId`) for the
 * requests that follow it.
 */
export function checkoutRequest(prefix: string): { request: Request; tally: CheckoutTally } {
  const tally: CheckoutTally = { sent: 0, created: [], failed: 0 };
  const request: Request = {
    method: 'POST',
    path: '/api/payments',
    setupRequest: (request) => {
      const reference = `${prefix}-${tally.sent++}`;
      return {
        ...request,
        method: 'POST',
        path: '/api/payments',
        headers: checkoutHeaders(reference),
        body: JSON.stringify(checkoutBody(reference)),
      };
    },
    onResponse: (status, body, context) => {
      if (status !== 201) {
        tally.failed++;
        return;
      }
      const id = (JSON.parse(body) as { id: string }).id;
      tally.created.push(id);
      context.paymentId = id;
    },
  };
  return { request, tally };
}
