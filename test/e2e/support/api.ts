/**
 * The tests' view of the running stack, from outside: the ledger through the
 * admin API, the simulator's truth (OTPs, transaction ids) through `/__sim`.
 */
import { inject } from 'vitest';

export const stack = inject('stack');

export interface LedgerEvent {
  from: string | null;
  to: string;
  source: string;
  at: string;
}

export interface Ledger {
  payment: {
    id: string;
    status: string;
    paid: boolean;
    flow: string;
    amount: number;
    currency: string;
    paymentMethod: string | null;
    reference: string | null;
    transactionId: string | null;
    successUrl: string | null;
    cancelUrl: string | null;
    items: { sku: string; quantity: number; unitAmount: number }[] | null;
  };
  events: LedgerEvent[];
}

/** What the simulator knows about a transaction (`GET /__sim/payments`). */
export interface SimPayment {
  transactionId: string;
  merchantPaymentReference: string;
  status: string;
  otp: string | null;
  mode: string;
  amount: number;
}

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `GET /api/admin/payments/{id}`: the ledger's record and its event history. */
export async function ledger(paymentId: string): Promise<Ledger> {
  const response = await fetch(`${stack.workerUrl}/api/admin/payments/${paymentId}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  if (!response.ok) throw new Error(`ledger ${paymentId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Ledger;
}

/** Waits until the ledger shows `status`, then returns the record. */
export function ledgerReaches(paymentId: string, status: string, timeoutMs = 15_000): Promise<Ledger> {
  return waitFor(
    `${paymentId} to be ${status} in the ledger`,
    async () => {
      const record = await ledger(paymentId);
      return record.payment.status === status ? record : undefined;
    },
    { timeoutMs },
  );
}

export async function simControl<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.simUrl}/__sim${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sim ${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The simulator's record of our payment (`merchantPaymentReference` = our id). */
export function simPaymentOf(paymentId: string): Promise<SimPayment> {
  return waitFor(`the simulator to know ${paymentId}`, async () => {
    const { payments } = await simControl<{ payments: SimPayment[] }>('GET', '/payments');
    return payments.find((payment) => payment.merchantPaymentReference === paymentId);
  });
}

/** `POST /api/payments` from outside a browser (no Origin header). */
export async function createPayment(body: unknown): Promise<{ id: string; amount: number; next: unknown }> {
  const response = await fetch(`${stack.workerUrl}/api/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; amount: number; next: unknown };
}
