/**
 * The `notify` queue consumer: parses each message, delivers its merchant
 * event (src/payments/deliver-notification.ts), and acks or retries it with
 * backoff; what exhausts its retries goes to the dead-letter queue, and the
 * cron re-sends outbox rows left pending.
 */

import { deliverNotification } from '../payments/deliver-notification.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { NotifyJob } from '../payments/model/messages.ts';
import { retryDelaySeconds } from './backoff.ts';

/**
 * Handles one message and acks or retries it; never throws.
 *
 * @example await handleNotifyMessage(deps, message)
 */
export async function handleNotifyMessage(deps: PaymentDeps, message: Message<unknown>): Promise<void> {
  const parsed = NotifyJob.safeParse(message.body);
  if (!parsed.success) {
    deps.log.warn('not a notify job', { messageId: message.id });
    message.ack();
    return;
  }
  const outcome = await deliverNotification(deps, parsed.data.outboxId);
  if (outcome.kind === 'done') {
    message.ack();
    return;
  }
  deps.log.warn('merchant event not delivered; retrying', {
    outboxId: parsed.data.outboxId,
    error: outcome.reason,
    attempts: message.attempts,
  });
  const backoff = retryDelaySeconds(message.attempts, { base: 5, cap: 3600 });
  // A 429's retry_after, or a delivery already running elsewhere, says how long to wait at least.
  message.retry({ delaySeconds: Math.max(backoff, outcome.retryAfterSeconds ?? 0) });
}
