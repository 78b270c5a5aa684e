/**
 * The body of a merchant notification (SPEC §6), in the Standard Webhooks
 * shape `{type, timestamp, data}`: the public view of the payment with its
 * reference, the amounts for accounting, and the merchant's own metadata.
 */
import { randomId } from '../lib/ids.ts';
import { type Payment, publicView } from '../payments/payment.ts';
import type { MerchantEvent } from '../payments/status.ts';
import type { OutboxDraft } from '../store/outbox.ts';

export function draftOutboxEvent(payment: Payment, type: MerchantEvent, now: number): OutboxDraft {
  const payload = {
    type,
    timestamp: new Date(now).toISOString(),
    data: {
      ...publicView(payment),
      receivedAmount: payment.receivedAmount,
      fees: payment.fees,
      flag: payment.flag,
      metadata: payment.metadata,
    },
  };
  return {
    id: randomId('msg_', 16),
    paymentId: payment.id,
    type,
    payload: JSON.stringify(payload),
    createdAt: now,
  };
}
