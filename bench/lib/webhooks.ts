/**
 * Djomy webhooks for the benchmarks: distinct, correctly signed V2 events,
 * built and signed before a run (`signWebhookBody`, the Worker's own
 * function), then handed out one per request by an autocannon request.
 */
import type { Request } from 'autocannon';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import type { LedgerPayment } from './api.ts';

export interface SignedEvent {
  eventId: string;
  body: string;
  signature: string;
}

/** The V2 envelope the simulator sends, with the status object of a paid payment. */
function eventBody(eventId: string, eventType: string, payment: LedgerPayment, at: Date): string {
  const fees = Math.round(payment.amount / 100);
  return JSON.stringify({
    eventType,
    eventId,
    message: 'Statut du paiement',
    data: {
      payment: {
        transactionId: payment.transactionId,
        status: 'SUCCESS',
        paidAmount: payment.amount,
        receivedAmount: payment.amount - fees,
        fees,
        paymentMethod: 'OM',
        payerIdentifier: '00224622123456',
        currency: 'GNF',
        merchantPaymentReference: payment.id,
        createdAt: at.toISOString(),
        allowedPaymentMethods: ['OM', 'MOMO', 'KULU', 'SOUTRA_MONEY', 'PAYCARD', 'CARD'],
        metadata: {},
      },
    },
    paymentLinkReference: '',
    timestamp: at.toISOString(),
    metadata: {},
  });
}

/**
 * `count` events with ids `<prefix>-<n>`, spread round-robin over `payments`.
 *
 * @example const events = await signedEvents(secret, 'bench-ingest-x1', 5000, paid)
 */
export async function signedEvents(
  clientSecret: string,
  prefix: string,
  count: number,
  payments: LedgerPayment[],
  eventType = 'payment.success',
): Promise<SignedEvent[]> {
  const at = new Date();
  const events: SignedEvent[] = [];
  for (let n = 0; n < count; n++) {
    const eventId = `${prefix}-${n}`;
    const body = eventBody(eventId, eventType, payments[n % payments.length] as LedgerPayment, at);
    events.push({ eventId, body, signature: await signWebhookBody(clientSecret, body) });
  }
  return events;
}

/** What happened to the events a pool handed out. */
export interface EventTally {
  /** Events written to a connection. */
  sent: number;
  /** eventIds answered 200. */
  accepted: string[];
  /** Events sent and not answered 200 (status or "no answer"). */
  failed: number;
  /** Requests that found the pool empty and re-sent the last event (0 unless the pool was too small). */
  overflow: number;
}

/**
 * An autocannon request that posts each event of `events` once, in order,
 * and records the answers.
 */
export function webhookRequest(events: SignedEvent[]): { request: Request; tally: EventTally } {
  const tally: EventTally = { sent: 0, accepted: [], failed: 0, overflow: 0 };
  let next = 0;
  const request: Request = {
    method: 'POST',
    path: '/webhooks/djomy',
    setupRequest: (request, context) => {
      let event = events[next++];
      if (!event) {
        tally.overflow++;
        event = events[events.length - 1] as SignedEvent;
      }
      tally.sent++;
      context.eventId = event.eventId;
      return {
        ...request,
        method: 'POST',
        path: '/webhooks/djomy',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': event.signature },
        body: event.body,
      };
    },
    onResponse: (status, _body, context) => {
      if (status === 200) tally.accepted.push(context.eventId as string);
      else tally.failed++;
    },
  };
  return { request, tally };
}
