/**
 * The body of a merchant notification, in the Standard Webhooks shape
 * `{type, timestamp, data}`: the public view of the payment with its
 * reference, the amounts for accounting, the merchant's own metadata, and
 * what tells one outcome from another — `closeReason` is set only when our
 * ledger, not Djomy, closed the payment, and a duplicate charge names both
 * Djomy transactions (docs/money-safety.md).
 */
import { randomId } from '../../lib/ids.ts';
import { type Payment, publicView } from './payment.ts';
import type { Change, MerchantEvent } from './status.ts';

/** Where a merchant event is delivered; each channel has its own outbox row, retries and dead letters. */
export type OutboxChannel = 'webhook';

/** One merchant event for one channel, as the outbox stores it. */
export interface OutboxDraft {
  /** The Standard Webhooks `webhook-id`, the same on every retry. */
  id: string;
  paymentId: string;
  type: string;
  /** What makes the event once-only for its payment: its type, or its type and a transaction. */
  eventKey: string;
  channel: OutboxChannel;
  /** The exact JSON body to deliver. */
  payload: string;
  createdAt: number;
}

export function merchantEventBody(payment: Payment, type: MerchantEvent, change: Change | null, now: number) {
  const duplicate = change?.detail.duplicateCharge as
    | { transactionId: string; paidTransactionId: string | null }
    | undefined;
  return {
    type,
    timestamp: new Date(now).toISOString(),
    data: {
      ...publicView(payment),
      transactionId: payment.transactionId,
      receivedAmount: payment.receivedAmount,
      fees: payment.fees,
      flag: payment.flag,
      closeReason: payment.closeReason,
      ...(duplicate ? { duplicateCharge: duplicate } : {}),
      metadata: payment.metadata,
    },
  };
}

/**
 * The outbox rows announcing `change` (already applied to `payment`), one per
 * configured channel; none when the change announces nothing.
 */
export function draftMerchantEvents(
  payment: Payment,
  change: Change,
  channels: readonly OutboxChannel[],
  now: number,
): OutboxDraft[] {
  const type = change.notify;
  if (!type) return [];
  const payload = JSON.stringify(merchantEventBody(payment, type, change, now));
  return channels.map((channel) => ({
    id: randomId('msg_', 16),
    paymentId: payment.id,
    type,
    eventKey: change.eventKey ?? type,
    channel,
    payload,
    createdAt: now,
  }));
}
