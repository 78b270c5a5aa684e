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
