/**
 * Finding, in Djomy's own list, what a create call did when its answer was
 * lost. Every payment we create carries our payment id as its
 * `merchantPaymentReference`, so the list tells whether Djomy created it.
 * The list is only a pointer: what the transaction's status is, and so
 * whether the order is paid, is then asked of the status endpoint.
 */
import type { DjomyPaymentStatus } from '../djomy/schemas.ts';
import { PAYMENT_STATUSES } from '../djomy/schemas.ts';
import type { PaymentDeps } from './deps.ts';
import type { EventSource } from './model/messages.ts';
import type { Payment } from './model/payment.ts';
import { applyAnswer } from './verify-payment.ts';

const DAY = 86_400_000;
/** Djomy's clock and ours may differ a little. */
const CLOCK_SKEW = 5 * 60_000;

export interface ListSearch {
  /** Our payment id → the Djomy transactions found for it, newest first. */
  found: Map<string, string[]>;
  /** Payments whose creation time the search reached: not found there means Djomy did not create them. */
  covered: Set<string>;
  /** List pages read (each one Djomy call). */
  pages: number;
}

/**
 * Reads at most `maxPages` pages of Djomy's list (newest first, 100 per page)
 * over the days the payments were created in, and matches them by reference.
 *
 * @example const { found } = await searchDjomyList(deps, [payment], { maxPages: 3 })
 */
export async function searchDjomyList(
  deps: PaymentDeps,
  payments: readonly Payment[],
  { maxPages }: { maxPages: number },
): Promise<ListSearch> {
  const search: ListSearch = { found: new Map(), covered: new Set(), pages: 0 };
  if (!deps.djomy || payments.length === 0) return search;
  const wanted = new Map(payments.map((p) => [p.id, p]));
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const oldest = Math.min(...payments.map((p) => p.createdAt));
  const period = { startDate: day(oldest - DAY), endDate: day(deps.now() + DAY) };
  let reachedBefore = Number.POSITIVE_INFINITY;
  let last = false;
  for (let page = 0; page < maxPages && !last; page++) {
    const result = await deps.djomy.listPayments({
      page,
      size: 100,
      statuses: [...PAYMENT_STATUSES],
      period,
    });
    search.pages++;
    last = result.last;
    for (const item of result.items) {
      const reference = item.merchantPaymentReference ?? '';
      if (wanted.has(reference)) {
        const found = search.found.get(reference) ?? [];
        if (!found.includes(item.transactionId)) found.push(item.transactionId);
        search.found.set(reference, found);
      }
      const at = item.createdAt ? Date.parse(item.createdAt) : Number.NaN;
      if (Number.isFinite(at)) reachedBefore = Math.min(reachedBefore, at);
    }
    // Every payment's creation time reached: older pages cannot hold their transactions.
    if (payments.every((p) => reachedBefore < p.createdAt - CLOCK_SKEW)) break;
  }
  for (const payment of payments) {
    if (last || reachedBefore < payment.createdAt - CLOCK_SKEW) search.covered.add(payment.id);
  }
  return search;
}

/**
 * Looks for the transaction of one payment and, when Djomy did create it,
 * adopts it after asking its status. Returns the payment as written, or null
 * when the list does not show it. Djomy faults are thrown.
 */
export async function lookForCreation(
  deps: PaymentDeps,
  payment: Payment,
  source: EventSource,
): Promise<Payment | null> {
  const { found } = await searchDjomyList(deps, [payment], { maxPages: 3 });
  const transactionId = found.get(payment.id)?.at(-1);
  if (!transactionId || !deps.djomy) return null;
  return adoptFound(deps, payment, transactionId, source);
}

/** Asks the status endpoint about a transaction found in the list, and applies the answer. */
export async function adoptFound(
  deps: PaymentDeps,
  payment: Payment,
  transactionId: string,
  source: EventSource,
): Promise<Payment> {
  const answer: DjomyPaymentStatus = await (deps.djomy as NonNullable<PaymentDeps['djomy']>).getPaymentStatus(
    transactionId,
  );
  return (await applyAnswer(deps, payment, answer, source)).payment;
}
