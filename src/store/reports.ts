/**
 * What the merchant's console and tools read about the ledger as a whole:
 * revenue per day, what needs a human, payments verified since a moment.
 */
import { OPEN_STATUSES } from '../payments/model/status.ts';

const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export interface DayRevenue {
  /** `YYYY-MM-DD` (UTC, which is Guinea's time). */
  day: string;
  currency: string;
  paidCount: number;
  paidAmount: number;
}

/** Paid payments per day they were paid, and per currency, since `since`. */
export async function revenueByDay(db: D1Database, since: number): Promise<DayRevenue[]> {
  const { results } = await db
    .prepare(
      `SELECT strftime('%Y-%m-%d', paid_at / 1000, 'unixepoch') AS day, currency,
         count(*) AS paid_count, sum(amount) AS paid_amount
       FROM payments WHERE paid = 1 AND paid_at >= ?1
       GROUP BY day, currency ORDER BY day, currency`,
    )
    .bind(since)
    .all<{ day: string; currency: string; paid_count: number; paid_amount: number }>();
  return results.map((r) => ({
    day: r.day,
    currency: r.currency,
    paidCount: r.paid_count,
    paidAmount: r.paid_amount,
  }));
}

export interface Attention {
  /** Payments flagged, or with a flagged transaction (a mismatched amount, a duplicate charge). */
  flagged: number;
  /** Transactions that charged an order already paid: money to refund. */
  duplicateCharges: number;
  /** Jobs that exhausted their retries since `since`. */
  deadLetters: number;
  /** Payments still open after their expiry. */
  stuckOpen: number;
}

/** What needs a human, in one round trip. */
export async function attention(
  db: D1Database,
  { now, since }: { now: number; since: number },
): Promise<Attention> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT count(*) FROM (SELECT id FROM payments WHERE flag IS NOT NULL
            UNION SELECT payment_id FROM payment_transactions WHERE flag IS NOT NULL)) AS flagged,
         (SELECT count(*) FROM payment_transactions WHERE flag = 'duplicate_charge') AS duplicate_charges,
         (SELECT count(*) FROM dead_letters WHERE created_at >= ?2) AS dead_letters,
         (SELECT count(*) FROM payments WHERE status IN ${OPEN_SQL} AND expires_at < ?1) AS stuck_open`,
    )
    .bind(now, since)
    .first<{ flagged: number; duplicate_charges: number; dead_letters: number; stuck_open: number }>();
  return {
    flagged: row?.flagged ?? 0,
    duplicateCharges: row?.duplicate_charges ?? 0,
    deadLetters: row?.dead_letters ?? 0,
    stuckOpen: row?.stuck_open ?? 0,
  };
}

export interface VerifiedPayment {
  /** The event's id: the cursor to continue from. */
  eventId: number;
  paymentId: string;
  amount: number;
  currency: string;
  paymentMethod: string | null;
  reference: string | null;
  at: number;
}

/** Payments that became paid after event `after`, oldest first. */
export async function verifiedSince(
  db: D1Database,
  after: number,
  limit: number,
): Promise<VerifiedPayment[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id AS event_id, e.payment_id, e.created_at, p.amount, p.currency, p.payment_method, p.reference
       FROM payment_events e JOIN payments p ON p.id = e.payment_id
       WHERE e.id > ?1 AND e.to_status = 'SUCCESS' AND e.from_status IS NOT 'SUCCESS' AND p.paid = 1
       ORDER BY e.id LIMIT ?2`,
    )
    .bind(after, limit)
    .all<{
      event_id: number;
      payment_id: string;
      created_at: number;
      amount: number;
      currency: string;
      payment_method: string | null;
      reference: string | null;
    }>();
  return results.map((r) => ({
    eventId: r.event_id,
    paymentId: r.payment_id,
    amount: r.amount,
    currency: r.currency,
    paymentMethod: r.payment_method,
    reference: r.reference,
    at: r.created_at,
  }));
}

/** The newest event id: where a live view starts. */
export async function latestEventId(db: D1Database): Promise<number> {
  const row = await db.prepare('SELECT max(id) AS id FROM payment_events').first<{ id: number | null }>();
  return row?.id ?? 0;
}
