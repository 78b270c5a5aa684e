/**
 * The simulator's outgoing payment webhooks. A status change queues a
 * message in the outbox (synchronously, from the domain code); at the end of
 * the request the outbox is signed, logged, and handed to `waitUntil` for
 * delivery to the configured URL. The log keeps every message (for replay)
 * and every delivery attempt (for tests).
 */
import type { Context } from 'hono';
import { config } from './config.ts';
import { webhookEventType } from './domain.ts';
import type { SimHono } from './env.ts';
import { faultRandom, webhookFaults } from './faults.ts';
import type { Payment } from './store.ts';
import { testBehaviourOf } from './test-numbers.ts';
import { statusView } from './views.ts';
import {
  type DeliveryOutcome,
  type DeliveryPlan,
  type DeliveryRecord,
  deliverWebhook,
  planDelivery,
} from './webhook-delivery.ts';
import { buildWebhookMessage, type WebhookInput, type WebhookMessage } from './webhook-message.ts';

/** A queued event; `neverSent` for a payer whose test number loses every webhook. */
type Queued = Omit<WebhookInput, 'version'> & { neverSent: boolean };
const NEVER_SENT: DeliveryPlan = { dropped: true };

let outbox: Queued[] = [];
let messages: WebhookMessage[] = [];
let deliveries: DeliveryRecord[] = [];
let pending = 0;
/** Bumped by a reset, so that deliveries still running from before it do not write into the new log. */
let generation = 0;

export function resetWebhooks(): void {
  outbox = [];
  messages = [];
  deliveries = [];
  generation += 1;
  // `pending` is left alone: deliveries already running still count themselves down.
}

/** Queues the webhook for a payment's new status (none for CAPTURED). */
export function queuePaymentEvent(payment: Payment): void {
  const eventType = webhookEventType(payment.status);
  if (!eventType) return;
  outbox.push({
    eventType,
    payment: statusView(payment) as WebhookInput['payment'],
    paymentLinkReference: payment.paymentLinkReference,
    metadata: payment.metadata,
    at: new Date(),
    neverSent: testBehaviourOf(payment.payerIdentifier) === 'webhookNeverSent',
  });
}

export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return typeof scheduler !== 'undefined' ? scheduler.wait(ms) : new Promise((done) => setTimeout(done, ms));
}

async function post(url: string, message: WebhookMessage): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': message.signature },
    body: message.body,
  });
  await response.body?.cancel();
  return response.status;
}

function recorderFor(started: number) {
  return (entry: DeliveryRecord) => {
    if (started === generation) deliveries.push(entry);
  };
}

/**
 * Signs and logs the queued messages, then delivers them in the background.
 * Without a reorder window they go out one after the other, in order.
 */
export async function flushWebhooks(c: Context<SimHono>): Promise<void> {
  if (outbox.length === 0) return;
  const queued = outbox;
  outbox = [];
  const { webhookUrl, webhookVersion, webhookRetry } = config();
  const built: WebhookMessage[] = [];
  for (const { neverSent: _, ...input } of queued) {
    built.push(await buildWebhookMessage(c.env.SIM_CLIENT_SECRET, { ...input, version: webhookVersion }));
  }
  messages.push(...built);
  if (webhookUrl === null) return;
  const policy = { ...webhookRetry, ...webhookFaults() };
  const effects = {
    send: (m: WebhookMessage) => post(webhookUrl, m),
    sleep,
    record: recorderFor(generation),
  };
  // A never-sent event's fate owes nothing to chance: it draws nothing from the seeded generator.
  const planned = built.map((message, i) => ({
    message,
    plan: queued[i]?.neverSent ? NEVER_SENT : planDelivery(policy, faultRandom),
  }));
  pending += planned.length;
  const deliverOne = ({ message, plan }: (typeof planned)[number]) =>
    deliverWebhook(message, plan, policy, effects).finally(() => {
      pending -= 1;
    });
  const inOrder = async () => {
    for (const item of planned) await deliverOne(item);
  };
  c.executionCtx.waitUntil(policy.reorderWindowMs > 0 ? Promise.all(planned.map(deliverOne)) : inOrder());
}

export function webhookLog() {
  return { pending, deliveries: [...deliveries], messages: [...messages] };
}

/** Re-sends one logged message, byte for byte and with its original signature, once. */
export async function replayWebhook(eventId: string): Promise<DeliveryRecord | 'unknown' | 'no_url'> {
  const message = messages.find((m) => m.eventId === eventId);
  if (!message) return 'unknown';
  const url = config().webhookUrl;
  if (url === null) return 'no_url';
  let outcome: DeliveryOutcome;
  try {
    outcome = await post(url, message);
  } catch {
    outcome = 'error';
  }
  const recorded: DeliveryRecord = {
    eventId,
    eventType: message.eventType,
    transactionId: message.transactionId,
    attempt: deliveries.filter((d) => d.eventId === eventId).length + 1,
    outcome,
    at: new Date().toISOString(),
  };
  deliveries.push(recorded);
  return recorded;
}

/** Waits until no delivery is in flight, at most `timeoutMs`. */
export async function drainWebhooks(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pending > 0 && Date.now() < deadline) await sleep(20);
}
