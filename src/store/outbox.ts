/**
 * D1 queries for the merchant outbox. A row is written in the same batch as
 * the status change it announces, so an event can never be lost
 * between the ledger and the queue: the cron re-enqueues rows left pending.
 */

import type { OutboxChannel, OutboxDraft } from '../payments/model/merchant-event.ts';

export type OutboxState = 'pending' | 'delivered' | 'gone' | 'failed';

export interface OutboxRow extends OutboxDraft {
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: number | null;
  deliveredAt: number | null;
  /** Not tried again before this: a delivery holds it, or the channel asked to wait. */
  nextAttemptAt: number | null;
}

/**
 * Inserts the row only when the status change stamped `guard` in the same
 * batch applied (see `eventInsert`); one row per (payment, event key,
 * channel), so a replayed transition adds nothing.
 */
export function outboxInsert(db: D1Database, draft: OutboxDraft, guard: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO outbox (id, payment_id, type, event_key, channel, payload, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM payments WHERE id = ?2 AND transition_id = ?8)
       ON CONFLICT (payment_id, event_key, channel) DO NOTHING`,
    )
    .bind(
      draft.id,
      draft.paymentId,
      draft.type,
      draft.eventKey,
      draft.channel,
      draft.payload,
      draft.createdAt,
      guard,
    );
}

interface Row {
  id: string;
  payment_id: string;
  type: string;
  event_key: string;
  channel: OutboxChannel;
  payload: string;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  last_attempt_at: number | null;
  delivered_at: number | null;
  next_attempt_at: number | null;
}

function toOutbox(row: Row): OutboxRow {
  return {
    id: row.id,
    paymentId: row.payment_id,
    type: row.type,
    eventKey: row.event_key,
    channel: row.channel,
    payload: row.payload,
    createdAt: row.created_at,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    nextAttemptAt: row.next_attempt_at,
  };
}

export async function getOutbox(db: D1Database, id: string): Promise<OutboxRow | null> {
  const row = await db.prepare('SELECT * FROM outbox WHERE id = ?').bind(id).first<Row>();
  return row ? toOutbox(row) : null;
}

export async function listOutboxForPayment(db: D1Database, paymentId: string): Promise<OutboxRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM outbox WHERE payment_id = ? ORDER BY created_at')
    .bind(paymentId)
    .all<Row>();
  return results.map(toOutbox);
}

/**
 * Takes a pending row for one delivery attempt: it is not tried elsewhere
 * until `now + leaseMs` (a duplicated queue message, the cron). Null when the
 * row is not pending, or is held or told to wait (`findOutboxState` says which).
 */
export async function claimOutbox(
  db: D1Database,
  id: string,
  { now, leaseMs }: { now: number; leaseMs: number },
): Promise<OutboxRow | null> {
  const row = await db
    .prepare(
      `UPDATE outbox SET next_attempt_at = ?2 + ?3
       WHERE id = ?1 AND state = 'pending' AND coalesce(next_attempt_at, 0) <= ?2 RETURNING *`,
    )
    .bind(id, now, leaseMs)
    .first<Row>();
  return row ? toOutbox(row) : null;
}

/**
 * Records one delivery attempt and its outcome, and releases the row: it may
 * be tried again at `retryAt` (a channel's requested wait), or whenever the
 * cron next finds it.
 */
export async function recordDelivery(
  db: D1Database,
  id: string,
  outcome: { state: OutboxState; error: string | null; retryAt?: number },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE outbox SET state = ?2, last_error = ?3, attempts = attempts + 1, last_attempt_at = ?4,
         delivered_at = CASE WHEN ?2 = 'delivered' THEN ?4 ELSE delivered_at END, next_attempt_at = ?5
       WHERE id = ?1 AND state = 'pending'`,
    )
    .bind(id, outcome.state, outcome.error, now, outcome.retryAt ?? null)
    .run();
}

/**
 * Pending rows due for a delivery: never tried and older than `untriedSince`
 * (left for later by a batch, or their delivery was lost), or last tried
 * before `idleSince` (their retries were lost or exhausted). Oldest first.
 */
export async function listStuckOutbox(
  db: D1Database,
  {
    untriedSince,
    idleSince,
    limit,
    now,
  }: { untriedSince: number; idleSince: number; limit: number; now: number },
): Promise<OutboxRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM outbox WHERE state = 'pending'
         AND ((last_attempt_at IS NULL AND created_at < ?1) OR last_attempt_at < ?2)
         AND coalesce(next_attempt_at, 0) <= ?4
       ORDER BY created_at LIMIT ?3`,
    )
    .bind(untriedSince, idleSince, limit, now)
    .all<Row>();
  return results.map(toOutbox);
}

/** The row of one event of a payment on one channel, if there is one. */
export async function findOutbox(
  db: D1Database,
  key: { paymentId: string; eventKey: string; channel: OutboxChannel },
): Promise<OutboxRow | null> {
  const row = await db
    .prepare('SELECT * FROM outbox WHERE payment_id = ?1 AND event_key = ?2 AND channel = ?3')
    .bind(key.paymentId, key.eventKey, key.channel)
    .first<Row>();
  return row ? toOutbox(row) : null;
}

/**
 * A merchant event to deliver again, with its original `webhook-id`: the row
 * is made pending again (or written, when it is missing) and returned.
 */
export async function reopenOutbox(db: D1Database, draft: OutboxDraft): Promise<OutboxRow> {
  const row = await db
    .prepare(
      `INSERT INTO outbox (id, payment_id, type, event_key, channel, payload, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (payment_id, event_key, channel) DO UPDATE SET state = 'pending', next_attempt_at = NULL
       RETURNING *`,
    )
    .bind(
      draft.id,
      draft.paymentId,
      draft.type,
      draft.eventKey,
      draft.channel,
      draft.payload,
      draft.createdAt,
    )
    .first<Row>();
  return toOutbox(row as Row);
}

export interface DeliveryStats {
  pending: number;
  failed: number;
  lastDeliveredAt: number | null;
  /** The error of the most recent failed attempt still pending or given up. */
  lastError: string | null;
}

/** How merchant deliveries are going, in one round trip (the console's Health page). */
export async function deliveryStats(db: D1Database): Promise<DeliveryStats> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT count(*) FROM outbox WHERE state = 'pending') AS pending,
         (SELECT count(*) FROM outbox WHERE state = 'failed') AS failed,
         (SELECT max(delivered_at) FROM outbox WHERE state = 'delivered') AS last_delivered_at,
         (SELECT last_error FROM outbox WHERE state IN ('pending', 'failed') AND last_error IS NOT NULL
            ORDER BY last_attempt_at DESC LIMIT 1) AS last_error`,
    )
    .first<{
      pending: number;
      failed: number;
      last_delivered_at: number | null;
      last_error: string | null;
    }>();
  return {
    pending: row?.pending ?? 0,
    failed: row?.failed ?? 0,
    lastDeliveredAt: row?.last_delivered_at ?? null,
    lastError: row?.last_error ?? null,
  };
}
