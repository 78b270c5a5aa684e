/** D1 queries for jobs that exhausted their retries, or met a configuration problem. */

export interface DeadLetter {
  id: number;
  queue: string;
  kind: string;
  paymentId: string | null;
  body: unknown;
  error: string | null;
  attempts: number | null;
  at: string;
}

export async function recordDeadLetter(
  db: D1Database,
  letter: Omit<DeadLetter, 'id' | 'at'>,
  now: number,
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO dead_letters (queue, kind, payment_id, body, error, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .bind(
      letter.queue,
      letter.kind,
      letter.paymentId,
      JSON.stringify(letter.body),
      letter.error,
      letter.attempts,
      now,
    )
    .run();
}

/** Newest first; `before` is the last id of the previous page. */
export async function listDeadLetters(
  db: D1Database,
  { limit, before }: { limit: number; before?: number },
): Promise<DeadLetter[]> {
  const { results } = await db
    .prepare(`SELECT * FROM dead_letters ${before ? 'WHERE id < ?2' : ''} ORDER BY id DESC LIMIT ?1`)
    .bind(...(before ? [limit, before] : [limit]))
    .all<{
      id: number;
      queue: string;
      kind: string;
      payment_id: string | null;
      body: string;
      error: string | null;
      attempts: number | null;
      created_at: number;
    }>();
  return results.map((row) => ({
    id: row.id,
    queue: row.queue,
    kind: row.kind,
    paymentId: row.payment_id,
    body: JSON.parse(row.body) as unknown,
    error: row.error,
    attempts: row.attempts,
    at: new Date(row.created_at).toISOString(),
  }));
}
