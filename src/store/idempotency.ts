/**
 * D1 queries for `Idempotency-Key`s of `POST /api/payments`: a key binds a
 * request fingerprint to the payment it created, so a retry returns the first
 * answer and a different body under the same key is refused.
 */

export interface IdempotencyRecord {
  requestHash: string;
  paymentId: string;
}

export async function findIdempotencyKey(db: D1Database, key: string): Promise<IdempotencyRecord | null> {
  const row = await db
    .prepare('SELECT request_hash, payment_id FROM idempotency_keys WHERE key = ?')
    .bind(key)
    .first<{ request_hash: string; payment_id: string }>();
  return row ? { requestHash: row.request_hash, paymentId: row.payment_id } : null;
}

/** Retention: forgets keys older than `before` (a retry that late is a new request), at most `limit`. */
export async function forgetOldIdempotencyKeys(
  db: D1Database,
  before: number,
  limit: number,
): Promise<number> {
  const result = await db
    .prepare(
      'DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys WHERE created_at < ?1 LIMIT ?2)',
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
