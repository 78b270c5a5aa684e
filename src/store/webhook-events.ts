/** D1 queries for Djomy webhook events, deduplicated by Djomy's `eventId`. */
import type { DjomyWebhookEvent } from '../djomy/schemas.ts';

/**
 * Records a signed event. Returns false when the `eventId` was already
 * recorded: a duplicate delivery, answered 200 and not processed again.
 */
export async function recordWebhookEvent(
  db: D1Database,
  event: DjomyWebhookEvent,
  body: string,
  ignored: boolean,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO webhook_events (event_id, event_type, version, transaction_id, link_reference, ignored, body, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    )
    .bind(
      event.eventId,
      event.eventType,
      event.version,
      event.transactionId,
      event.linkReference,
      ignored ? 1 : 0,
      body,
      now,
    )
    .run();
  return result.meta.changes === 1;
}

/** Forgets an event whose verify job could not be enqueued, so Djomy's retry is processed. */
export async function forgetWebhookEvent(db: D1Database, eventId: string): Promise<void> {
  await db.prepare('DELETE FROM webhook_events WHERE event_id = ?').bind(eventId).run();
}

/** When the last valid Djomy webhook arrived (diagnostics), and how many ever did. */
export async function webhookStats(
  db: D1Database,
): Promise<{ lastReceivedAt: number | null; total: number }> {
  const row = await db
    .prepare('SELECT max(received_at) AS last, count(*) AS total FROM webhook_events')
    .first<{ last: number | null; total: number }>();
  return { lastReceivedAt: row?.last ?? null, total: row?.total ?? 0 };
}
