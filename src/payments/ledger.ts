/**
 * Reading the ledger, for the merchant's console, the admin API and the MCP
 * tools alike (one implementation): a page of payments, one payment with its
 * history, a CSV export of every matching payment, revenue per day and what
 * needs a human, payments verified since a moment, the links with their
 * totals — and sending a payment's merchant event again.
 */
import { randomId } from '../lib/ids.ts';
import { listEvents, type PaymentEvent } from '../store/events.ts';
import { listLinksWithTotals } from '../store/links.ts';
import { getOutbox, listOutboxForPayment, reopenOutbox } from '../store/outbox.ts';
import { CSV_COLUMNS, paymentCsvPage } from '../store/payment-csv.ts';
import { listPayments, listTransactions } from '../store/payments.ts';
import { attention, latestEventId, revenueByDay, verifiedSince } from '../store/reports.ts';
import { type DeliveryOutcome, deliverNotification } from './deliver-notification.ts';
import type { PaymentDeps } from './deps.ts';
import { merchantEventBody } from './model/merchant-event.ts';
import type { Payment } from './model/payment.ts';
import type { PaymentFilter } from './model/payment-filter.ts';
import type { MerchantEvent } from './model/status.ts';
import {
  decodeCursor,
  encodeCursor,
  paymentRecord,
  paymentSummary,
  type Role,
  revealsPhones,
} from './views.ts';

/** The CSV's header row, for the API's description. */
export { CSV_COLUMNS };

const DAY = 86_400_000;

export type PageOutcome =
  | { kind: 'page'; payments: ReturnType<typeof paymentSummary>[]; nextCursor: string | null }
  | { kind: 'bad_cursor' };

/**
 * @example const outcome = await listPaymentPage(deps, { flagged: true }, { limit: 20 })
 */
export async function listPaymentPage(
  deps: PaymentDeps,
  filter: PaymentFilter,
  page: { limit: number; cursor?: string },
): Promise<PageOutcome> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  if (after === null) return { kind: 'bad_cursor' };
  const rows = await listPayments(deps.db, { ...filter, limit: page.limit + 1, after, now: deps.now() });
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    kind: 'page',
    payments: shown.map(paymentSummary),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null,
  };
}

/** One payment with its event history, merchant notifications and Djomy transactions; null when unknown. */
export async function paymentDetail(deps: PaymentDeps, payment: Payment, role: Role) {
  const [events, notifications, transactions] = await Promise.all([
    listEvents(deps.db, payment.id),
    listOutboxForPayment(deps.db, payment.id),
    listTransactions(deps.db, payment.id),
  ]);
  return {
    payment: paymentRecord(payment, role),
    events: events satisfies PaymentEvent[],
    notifications: notifications.map(({ payload: _payload, ...row }) => row),
    transactions: transactions.map((t) => ({
      transactionId: t.transactionId,
      status: t.status,
      origin: t.origin,
      current: t.transactionId === payment.transactionId,
      paidAmount: t.paidAmount,
      flag: t.flag,
      verifiedAt: t.verifiedAt ? new Date(t.verifiedAt).toISOString() : null,
      createdAt: new Date(t.createdAt).toISOString(),
    })),
  };
}

// ── CSV ──────────────────────────────────────────────────────────────────────

/**
 * Payments per D1 round trip: 10,000 take 4, well within an invocation's 50
 * queries. Bigger pages cost less CPU per row (each round trip has a fixed
 * cost); a page of 2,500 lines is about 450 KB, far under D1's 2 MB a row.
 */
const CSV_PAGE = 2500;

/**
 * Every payment matching `filter`, newest first, as UTF-8 CSV with a BOM (so
 * spreadsheet programs read the accents right) and a header row. Streamed
 * page by page over the keyset, never held whole.
 *
 * @example return new Response(exportPaymentsCsv(deps, filter, 'admin'), { headers: { 'Content-Type': 'text/csv' } })
 */
export function exportPaymentsCsv(
  deps: PaymentDeps,
  filter: PaymentFilter,
  role: Role,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { createdAt: number; id: string } | undefined;
  let started = false;
  // One present for the whole export, so that every page agrees on what is stuck.
  const now = deps.now();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`));
        return;
      }
      const page = await paymentCsvPage(
        deps.db,
        { ...filter, limit: CSV_PAGE, after, now },
        { maskPhones: !revealsPhones(role) },
      );
      if (page.lines) controller.enqueue(encoder.encode(page.lines));
      if (page.next) after = page.next;
      else controller.close();
    },
  });
}

// ── Summary and live ─────────────────────────────────────────────────────────

/**
 * Paid payments per day (by when they were paid) and per currency over the
 * last `days` days, totals per currency, and what needs a human.
 */
export async function ledgerSummary(deps: PaymentDeps, days: number) {
  const now = deps.now();
  const since = Date.parse(`${new Date(now - (days - 1) * DAY).toISOString().slice(0, 10)}T00:00:00Z`);
  const [byDay, needs] = await Promise.all([
    revenueByDay(deps.db, since),
    attention(deps.db, { now, since }),
  ]);
  const totals = new Map<string, { currency: string; paidCount: number; paidAmount: number }>();
  for (const day of byDay) {
    const total = totals.get(day.currency) ?? { currency: day.currency, paidCount: 0, paidAmount: 0 };
    total.paidCount += day.paidCount;
    total.paidAmount += day.paidAmount;
    totals.set(day.currency, total);
  }
  return {
    from: new Date(since).toISOString().slice(0, 10),
    to: new Date(now).toISOString().slice(0, 10),
    days: byDay,
    totals: [...totals.values()],
    attention: needs,
  };
}

/**
 * Payments verified as paid after event `after` (the counter's feed); without
 * `after`, none and the cursor to start from, so a new screen shows only
 * what arrives.
 */
export async function paymentsVerifiedSince(deps: PaymentDeps, after: number | undefined) {
  if (after === undefined) return { payments: [], cursor: await latestEventId(deps.db) };
  const found = await verifiedSince(deps.db, after, 50);
  return {
    payments: found.map((p) => ({ ...p, at: new Date(p.at).toISOString() })),
    cursor: found.at(-1)?.eventId ?? after,
  };
}

/** The payment links, newest first, with uses and what was paid on each. */
export async function linksWithTotals(deps: PaymentDeps) {
  return listLinksWithTotals(deps.db, 100);
}

// ── Sending an event again ───────────────────────────────────────────────────

/** The merchant event a payment's current state announces, if it is closed. */
export function currentEvent(payment: Payment): MerchantEvent | null {
  if (payment.status === 'SUCCESS') return payment.paid ? 'payment.succeeded' : 'payment.flagged';
  if (payment.status === 'REFUNDED') return 'payment.refunded';
  if (payment.status === 'FAILED' || payment.status === 'CANCELLED' || payment.status === 'TIMEOUT')
    return 'payment.failed';
  return null;
}

export type ResendOutcome =
  | {
      kind: 'sent';
      type: MerchantEvent;
      /** The notification after this attempt: `delivered`, or `pending` with the error it met. */
      notification: { id: string; state: string; attempts: number; lastError: string | null };
      delivery: DeliveryOutcome;
    }
  | { kind: 'not_closed' }
  | { kind: 'no_channel' };

/**
 * Delivers the payment's current merchant event again, now, with its original
 * `webhook-id` and body (the merchant deduplicates on the id); writes the
 * event first if it was never written (a payment closed before
 * `MERCHANT_WEBHOOK_URL` was set).
 */
export async function resendNotification(deps: PaymentDeps, payment: Payment): Promise<ResendOutcome> {
  const type = currentEvent(payment);
  if (!type) return { kind: 'not_closed' };
  if (!deps.config.merchantWebhook) return { kind: 'no_channel' };
  const now = deps.now();
  const row = await reopenOutbox(deps.db, {
    id: randomId('msg_', 16),
    paymentId: payment.id,
    type,
    eventKey: type,
    channel: 'webhook',
    payload: JSON.stringify(merchantEventBody(payment, type, null, now)),
    createdAt: now,
  });
  const delivery = await deliverNotification(deps, row);
  const after = (await getOutbox(deps.db, row.id)) ?? row;
  return {
    kind: 'sent',
    type,
    notification: { id: after.id, state: after.state, attempts: after.attempts, lastError: after.lastError },
    delivery,
  };
}
