/**
 * One Djomy payment webhook (docs/djomy.md#webhooks): the V1 or V2 envelope,
 * serialised once, and its `X-Webhook-Signature` over exactly those bytes.
 * The bytes and signature are kept so retries, duplicates and replays send
 * the very same message.
 */
import { signWebhookBody } from '../../src/djomy/signature.ts';

export interface WebhookMessage {
  eventId: string;
  eventType: string;
  transactionId: string;
  version: 'v1' | 'v2';
  /** The exact request body. */
  body: string;
  /** `v1:<lowercase hex>` of HMAC-SHA256(body, client secret). */
  signature: string;
  createdAt: string;
}

export interface WebhookInput {
  eventType: string;
  /** The status object at the moment of the change. */
  payment: Record<string, unknown> & { transactionId: string };
  paymentLinkReference: string | null;
  metadata: Record<string, unknown>;
  version: 'v1' | 'v2';
  at: Date;
}

/** Builds the envelope: V1 carries the payment as `data`, V2 as `data.payment`. */
export function webhookBody(input: WebhookInput, eventId: string): string {
  return JSON.stringify({
    eventType: input.eventType,
    eventId,
    message: 'Statut du paiement',
    data: input.version === 'v1' ? input.payment : { payment: input.payment },
    paymentLinkReference: input.paymentLinkReference ?? '',
    timestamp: input.at.toISOString(),
    metadata: input.metadata,
  });
}

/**
 * @example const message = await buildWebhookMessage(secret, { eventType: 'payment.success', … })
 */
export async function buildWebhookMessage(
  clientSecret: string,
  input: WebhookInput,
): Promise<WebhookMessage> {
  const eventId = crypto.randomUUID();
  const body = webhookBody(input, eventId);
  return {
    eventId,
    eventType: input.eventType,
    transactionId: input.payment.transactionId,
    version: input.version,
    body,
    signature: await signWebhookBody(clientSecret, body),
    createdAt: input.at.toISOString(),
  };
}
