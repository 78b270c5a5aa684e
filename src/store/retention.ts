/**
 * Retention: what is kept only for a while. Webhook bodies (they hold payer
 * phones), idempotency keys, and the payer phones of closed payments are
 * forgotten after the retention period; amounts, statuses, transactions and
 * the event history stay. One D1 round trip per run.
 */
import { TERMINAL_STATUSES } from '../djomy/schemas.ts';

const TERMINAL_SQL = `(${[...TERMINAL_STATUSES].map((s) => `'${s}'`).join(', ')})`;

/**
 * Forgets, older than `before`, at most `limit` of each: webhook events,
 * idempotency keys, payer phones of closed payments. Returns how many rows changed.
 *
 * @example await purgeExpired(db, now - 180 * DAY, 500)
 */
export async function purgeExpired(db: D1Database, before: number, limit: number): Promise<number> {
  const results = await db.batch([
    db
      .prepare(
        `DELETE FROM webhook_events WHERE event_id IN (
           SELECT event_id FROM webhook_events WHERE received_at < ?1 LIMIT ?2)`,
      )
      .bind(before, limit),
    db
      .prepare(
        'DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys WHERE created_at < ?1 LIMIT ?2)',
      )
      .bind(before, limit),
    db
      .prepare(
        `UPDATE payments SET payer_phone = NULL WHERE id IN (
           SELECT id FROM payments WHERE payer_phone IS NOT NULL AND updated_at < ?1 AND status IN ${TERMINAL_SQL}
           LIMIT ?2)`,
      )
      .bind(before, limit),
  ]);
  return results.reduce((sum, result) => sum + result.meta.changes, 0);
}
