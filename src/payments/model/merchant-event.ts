/**
 * The body of a merchant notification, in the Standard Webhooks shape
 * `{type, timestamp, data}`: the public view of the payment with its
 * reference, the amounts for accounting, the merchant's own metadata, and
 * what tells one outcome from another — `closeReason` is set only when our
 * ledger, not Djomy, closed the payment, and a duplicate charge names both
 * Djomy transactions (docs/money-safety.md).
 */
import { randomId } from '../../lib/ids.ts';
import { alertText } from '../../notify/telegram.ts';
import { type Payment, publicView } from './payment.ts';
import type { Change, MerchantEvent } from './status.ts';

/**
 * Where a merchant event is delivered: the merchant's server (every event),
 * and alerts on the merchant's phone (payments received or to check). Each
 * channel has its own outbox row, retries and dead letters: one failing
 * never holds back or marks the other.
 */
export type OutboxChannel = 'webhook' | 'telegram';

/** The events a phone alert is sent for. */
const ALERTED: ReadonlySet<string> = new Set(['payment.succeeded', 'payment.flagged']);

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
 * configured channel that carries this event; none when the change announces
 * nothing. `consoleUrl` is the console's page of a payment, for alerts.
 */
export function draftMerchantEvents(
  payment: Payment,
  change: Change,
  channels: readonly OutboxChannel[],
  now: number,
  consoleUrl: ((paymentId: string) => string) | null = null,
): OutboxDraft[] {
  const type = change.notify;
  if (!type) return [];
  const eventKey = change.eventKey ?? type;
  const drafts: OutboxDraft[] = [];
  for (const channel of channels) {
    let payload: string;
    if (channel === 'webhook') payload = JSON.stringify(merchantEventBody(payment, type, change, now));
    else if (ALERTED.has(type)) {
      const duplicate = change.detail.duplicateCharge !== undefined;
      payload = JSON.stringify({
        text: alertText({
          type: type as 'payment.succeeded' | 'payment.flagged',
          paymentId: payment.id,
          amount: payment.amount,
          currency: payment.currency,
          paymentMethod: payment.paymentMethod,
          reference: payment.reference,
          payerPhone: payment.payerPhone,
          flag: duplicate ? 'duplicate_charge' : payment.flag,
          consoleUrl: consoleUrl ? consoleUrl(payment.id) : null,
        }),
      });
    } else continue;
    drafts.push({
      id: randomId('msg_', 16),
      paymentId: payment.id,
      type,
      eventKey,
      channel,
      payload,
      createdAt: now,
    });
  }
  return drafts;
}
