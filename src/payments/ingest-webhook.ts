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
 * - So is one we do not know yet when the event only says it is open and
 *   names one of our orders whose create has no answer yet: Djomy often
 *   sends `payment.created` or `.pending` before its answer to our create
 *   reaches us. Two seconds later the answer is usually recorded, and the
 *   check finds nothing to ask; if the answer was lost, the check adopts the
 *   transaction, and failing that the order's own lost-create search does.
 * - Any other transaction we do not know (a payment link, a create whose
 *   answer was lost) is checked before answering, since nothing else would
 *   find it; if Djomy fails, a verify job is queued instead, and if even that
 *   fails the event is forgotten and answered 503, so that Djomy sends it again.
 */
import type { DjomyWebhookEvent } from '../djomy/schemas.ts';
import { isD1Error, recordIncident } from '../lib/incidents.ts';
import { describeError } from '../lib/log.ts';
import { getPayment, getTransaction } from '../store/payments.ts';
import { forgetWebhookEvent, recordWebhookEvent } from '../store/webhook-events.ts';
import type { PaymentDeps } from './deps.ts';
import { WEBHOOK_VERIFY_DELAY_SECONDS } from './model/lifetimes.ts';
import { PAYMENT_ID_PATTERN } from './model/payment.ts';
import { isTerminal } from './model/status.ts';
import { checkTransaction, OPEN_EVENTS } from './verify-job.ts';

/** Whether the event names one of our orders still waiting for Djomy's answer to its create. */
async function awaitsCreateAnswer(deps: PaymentDeps, event: DjomyWebhookEvent): Promise<boolean> {
  const reference = event.merchantReference;
  if (!reference || !PAYMENT_ID_PATTERN.test(reference)) return false;
  const payment = await getPayment(deps.db, reference).catch(() => null);
  return payment !== null && payment.transactionId === null && !isTerminal(payment.status);
}

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
  if (known || (OPEN_EVENTS.has(event.eventType) && (await awaitsCreateAnswer(deps, event)))) {
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
