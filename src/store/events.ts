/** D1 queries for `payment_events`: the append-only history of every payment. */
import type { PaymentStatus } from '../djomy/schemas.ts';
import type { EventSource } from '../payments/model/messages.ts';

export interface PaymentEvent {
  id: number;
  from: PaymentStatus | null;
  to: PaymentStatus;
  source: EventSource;
  detail: Record<string, unknown> | null;
  at: string;
}

export interface NewEvent {
  paymentId: string;
  from: PaymentStatus | null;
  to: PaymentStatus;
  source: EventSource;
  detail: Record<string, unknown> | null;
  at: number;
  /**
   * Insert only if the status UPDATE earlier in the same batch applied: that
   * UPDATE stamps the payment with this random id. (A version number is not
   * enough: a concurrent writer that won the race also produces version + 1.)
   * Omit for a brand-new payment.
   */
  guard?: string;
  /** Insert only if the payment exists (a new payment's INSERT may have been refused in the same batch). */
  ifPaymentExists?: boolean;
}

export function eventInsert(db: D1Database, event: NewEvent): D1PreparedStatement {
  const detail = event.detail ? JSON.stringify(event.detail) : null;
  if (event.ifPaymentExists) {
    return db
      .prepare(
        `INSERT INTO payment_events (payment_id, from_status, to_status, source, detail, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM payments WHERE id = ?1)`,
      )
      .bind(event.paymentId, event.from, event.to, event.source, detail, event.at);
  }
  if (event.guard === undefined) {
    return db
      .prepare(
        'INSERT INTO payment_events (payment_id, from_status, to_status, source, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(event.paymentId, event.from, event.to, event.source, detail, event.at);
  }
  return db
    .prepare(
      `INSERT INTO payment_events (payment_id, from_status, to_status, source, detail, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM payments WHERE id = ?1 AND transition_id = ?7)`,
    )
    .bind(event.paymentId, event.from, event.to, event.source, detail, event.at, event.guard);
}

export async function listEvents(db: D1Database, paymentId: string): Promise<PaymentEvent[]> {
  const { results } = await db
    .prepare(
      'SELECT id, from_status, to_status, source, detail, created_at FROM payment_events WHERE payment_id = ? ORDER BY id',
    )
    .bind(paymentId)
    .all<{
      id: number;
      from_status: PaymentStatus | null;
      to_status: PaymentStatus;
      source: EventSource;
      detail: string | null;
      created_at: number;
    }>();
  return results.map((row) => ({
    id: row.id,
    from: row.from_status,
    to: row.to_status,
    source: row.source,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
    at: new Date(row.created_at).toISOString(),
  }));
}
