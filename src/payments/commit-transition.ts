/**
 * Writes a status change decided by `status.ts`: the payment, its event and,
 * when the merchant is to be told, its outbox row, in one D1 transaction; then
 * queues the delivery. Every status change in the project goes through here.
 */
import type { EventSource } from '../jobs/messages.ts';
import { draftOutboxEvent } from '../notify/outbox-event.ts';
import { applyTransition } from '../store/payments.ts';
import type { PaymentDeps } from './deps.ts';
import type { Payment } from './payment.ts';
import { afterTransition, type Transition } from './status.ts';

export interface CommitOptions {
  source: EventSource;
  now: number;
  /** The change comes from a verify_payment answer (counts as a check). */
  verified: boolean;
  /** Djomy just created the payment: record its transaction in the same write. */
  created?: { transactionId: string; nextUrl: string | null };
}

/**
 * Returns false when another writer changed the payment first; the caller
 * re-reads and re-judges. A failed enqueue of the notification is only
 * logged: the cron re-sends outbox rows left pending.
 *
 * @example if (await commitTransition(deps, payment, transition, { source: 'webhook', now, verified: true })) …
 */
export async function commitTransition(
  deps: PaymentDeps,
  payment: Payment,
  transition: Extract<Transition, { change: true }>,
  options: CommitOptions,
): Promise<boolean> {
  const { source, now } = options;
  const outbox =
    transition.notify && deps.config.merchantWebhook
      ? draftOutboxEvent(afterTransition(payment, transition, now), transition.notify, now)
      : null;
  const applied = await applyTransition(deps.db, payment, transition, source, now, {
    verified: options.verified,
    outbox,
    created: options.created,
  });
  if (!applied) return false;
  deps.log.info('payment status changed', {
    paymentId: payment.id,
    from: payment.status,
    to: transition.to,
    source,
  });
  if (outbox) {
    deps.defer(
      deps.notifyQueue.send({ type: 'notify', outboxId: outbox.id }).catch((error: unknown) => {
        deps.log.warn('notify enqueue failed; the cron will retry', {
          outboxId: outbox.id,
          error: String(error),
        });
      }),
    );
  }
  return true;
}
