/**
 * Ingesting a Djomy webhook whose signature the route has checked: the event
 * is recorded once by `eventId` and turned into a verify job. The event never
 * changes a payment by itself; only the status endpoint does.
 */
import type { DjomyWebhookEvent } from '../djomy/schemas.ts';
import { describeError } from '../lib/log.ts';
import { forgetWebhookEvent, recordWebhookEvent } from '../store/webhook-events.ts';
import type { PaymentDeps } from './deps.ts';
import { WEBHOOK_VERIFY_DELAY_SECONDS } from './model/lifetimes.ts';

/**
 * - `recorded`: new, and its verify job is queued (or it names no payment to verify);
 * - `duplicate`: this `eventId` was recorded before; nothing more to do;
 * - `retry`: it could not be stored or queued; the sender must send it again.
 */
export type IngestOutcome = { kind: 'recorded' } | { kind: 'duplicate' } | { kind: 'retry' };

/**
 * @example const outcome = await ingestWebhook(deps, event, body)
 */
export async function ingestWebhook(
  deps: PaymentDeps,
  event: DjomyWebhookEvent,
  body: string,
): Promise<IngestOutcome> {
  // Payouts and unknown events name no transaction: recorded, and ignored.
  const ignored = event.transactionId === null;
  let recorded: boolean;
  try {
    recorded = await recordWebhookEvent(deps.db, event, body, ignored, deps.now());
  } catch (error) {
    deps.log.error('webhook event not stored', { eventId: event.eventId, error: describeError(error) });
    return { kind: 'retry' };
  }
  if (!recorded) return { kind: 'duplicate' };
  if (ignored) return { kind: 'recorded' };
  try {
    await deps.verifyQueue.send(
      {
        type: 'verify',
        transactionId: event.transactionId as string,
        source: 'webhook',
        hint: event.eventType,
      },
      { delaySeconds: WEBHOOK_VERIFY_DELAY_SECONDS },
    );
    return { kind: 'recorded' };
  } catch (error) {
    // Forgotten, so that Djomy's retry is processed rather than deduplicated away.
    deps.log.error('verify job not enqueued', { eventId: event.eventId, error: describeError(error) });
    await forgetWebhookEvent(deps.db, event.eventId).catch(() => undefined);
    return { kind: 'retry' };
  }
}
