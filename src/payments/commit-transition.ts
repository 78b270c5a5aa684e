/**
 * Writes a change decided by `status.ts`: the transaction it concerns, the
 * payment, its event and, when the merchant is to be told, its outbox rows,
 * in one D1 transaction; then delivers them. Every change to a payment in the
 * project goes through here.
 */

import type { Config } from '../env.ts';
import { recordIncident } from '../lib/incidents.ts';
import type { TransactionNews } from '../store/payments.ts';
import { applyTransition } from '../store/payments.ts';
import { deliverNotification } from './deliver-notification.ts';
import type { PaymentDeps } from './deps.ts';
import { draftMerchantEvents, type OutboxChannel } from './model/merchant-event.ts';
import type { EventSource } from './model/messages.ts';
import type { Payment } from './model/payment.ts';
import { afterTransition, type Change } from './model/status.ts';

/** The channels merchant events go to: each configured one gets its own outbox row. */
function channelsOf(config: Config): OutboxChannel[] {
  return [
    ...(config.merchantWebhook ? ['webhook' as const] : []),
    ...(config.telegram ? ['telegram' as const] : []),
  ];
}

/** The console's page of a payment, for alerts; none when PUBLIC_URL is not set (the cron knows no request URL). */
function consoleLink(config: Config): ((paymentId: string) => string) | null {
  const origin = config.publicUrl;
  return origin ? (paymentId) => `${origin}/admin/#/payments/${paymentId}` : null;
}

export interface CommitOptions {
  source: EventSource;
  now: number;
  /** The change comes from a status-endpoint answer about the (new) current transaction. */
  verified: boolean;
  /** What we learnt about a Djomy transaction; recorded even when another writer wins. */
  transaction?: TransactionNews;
}

/**
 * Returns the payment as written, or null when another writer changed it
 * first (the caller re-reads and re-judges). A failed enqueue of a
 * notification is only logged: the cron re-sends outbox rows left pending.
 *
 * @example const written = await commitTransition(deps, payment, change, { source: 'webhook', now, verified: true })
 */
export async function commitTransition(
  deps: PaymentDeps,
  payment: Payment,
  change: Change,
  options: CommitOptions,
): Promise<Payment | null> {
  const { source, now } = options;
  const outbox = draftMerchantEvents(
    afterTransition(payment, change, now),
    change,
    channelsOf(deps.config),
    now,
    consoleLink(deps.config),
  );
  const written = await applyTransition(deps.db, payment, change, { ...options, outbox });
  if (!written) return null;
  if (change.to !== payment.status || change.transaction || change.flag !== payment.flag) {
    deps.log.info('payment changed', {
      paymentId: payment.id,
      from: payment.status,
      to: change.to,
      source,
      ...(change.transaction ? { transactionId: change.transaction.id } : {}),
      ...(change.flag ? { flag: change.flag } : {}),
    });
  }
  if (outbox.length > 0 && deps.deliver === 'now') {
    deps.defer(
      announce(
        deps,
        outbox.map((row) => row.id),
      ),
    );
  }
  return written;
}

/**
 * Delivers the new merchant events: in this invocation on the Free plan
 * (no queue operation spent), else through the notify queue — and inline if
 * the queue refuses. What fails, or what a batch leaves for later, the
 * cron's outbox lane delivers.
 */
async function announce(deps: PaymentDeps, outboxIds: string[]): Promise<void> {
  if (!deps.config.limits.notifyInline) {
    try {
      await deps.notifyQueue.sendBatch(outboxIds.map((outboxId) => ({ body: { type: 'notify', outboxId } })));
      return;
    } catch (error) {
      recordIncident('queue', error);
      deps.log.warn('notify enqueue failed; delivering now', { outboxIds, error: String(error) });
    }
  }
  for (const outboxId of outboxIds) {
    await deliverNotification(deps, outboxId).catch((error: unknown) =>
      deps.log.warn('delivery failed; the cron will retry', { outboxId, error: String(error) }),
    );
  }
}
