/**
 * Ingesting a Djomy webhook whose signature the route has checked: the event
 * is recorded once by `eventId`, then its transaction is checked with Djomy's
 * status endpoint — the event never changes a payment by itself.
 *
 * The check runs in the webhook's own invocation rather than through the
 * verify queue: on the Workers Free plan every queued message costs three of
 * the day's 10,000 queue operations (docs/free-plan.md).
 * - A transaction we know is checked after the answer (`defer`), 2 s later,
 *   so that a check already running for the same change (after an OTP, on
 *   the return page) finishes first and this one finds nothing left to ask.
 *   If Djomy fails, the cron follows the transaction anyway.
 * - A transaction we do not know yet (a payment link, a create whose answer
 *   was lost) is checked before answering, since nothing else would find it;
 *   if Djomy fails, a verify job is queued instead, and if even that fails
 *   the event is forgotten and answered 503, so that Djomy sends it again.
 */
import type { DjomyWebhookEvent } from '../djomy/schemas.ts';
import { isD1Error, recordIncident } from '../lib/incidents.ts';
import { describeError } from '../lib/log.ts';
import { getTransaction } from '../store/payments.ts';
import { forgetWebhookEvent, recordWebhookEvent } from '../store/webhook-events.ts';
import type { PaymentDeps } from './deps.ts';
import { WEBHOOK_VERIFY_DELAY_SECONDS } from './model/lifetimes.ts';
import { checkTransaction } from './verify-job.ts';

/**
 * - `recorded`: new, and its transaction checked or being checked;
 * - `duplicate`: this `eventId` was recorded before; nothing more to do;
 * - `retry`: it could not be stored or followed; the sender must send it again.
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
  const transactionId = event.transactionId;
  let recorded: boolean;
  try {
    recorded = await recordWebhookEvent(deps.db, event, body, transactionId === null, deps.now());
  } catch (error) {
    if (isD1Error(error)) recordIncident('d1', error);
    deps.log.error('webhook event not stored', { eventId: event.eventId, error: describeError(error) });
    return { kind: 'retry' };
  }
  if (!recorded) return { kind: 'duplicate' };
  if (transactionId === null) return { kind: 'recorded' };
  const trigger = { source: 'webhook' as const, hint: event.eventType };
  const known = await getTransaction(deps.db, transactionId).catch(() => null);
  if (known) {
    deps.defer(
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, WEBHOOK_VERIFY_DELAY_SECONDS * 1000));
        await checkTransaction(deps, transactionId, trigger);
      })().catch((error: unknown) =>
        deps.log.warn('webhook check failed; the cron follows the transaction', {
          transactionId,
          error: describeError(error),
        }),
      ),
    );
    return { kind: 'recorded' };
  }
  try {
    await checkTransaction(deps, transactionId, trigger, null);
    return { kind: 'recorded' };
  } catch (error) {
    deps.log.warn('webhook check failed; queued', { transactionId, error: describeError(error) });
  }
  try {
    await deps.verifyQueue.send(
      { type: 'verify', transactionId, source: 'webhook', hint: event.eventType },
      { delaySeconds: WEBHOOK_VERIFY_DELAY_SECONDS },
    );
    return { kind: 'recorded' };
  } catch (error) {
    recordIncident('queue', error);
    // Forgotten, so that Djomy's retry is processed rather than deduplicated away.
    deps.log.error('verify job not enqueued', { eventId: event.eventId, error: describeError(error) });
    await forgetWebhookEvent(deps.db, event.eventId).catch(() => undefined);
    return { kind: 'retry' };
  }
}
