/**
 * Delivering one webhook message the way an unreliable sender would
 * (sim/README.md#webhooks): retries with exponential backoff on a non-2xx
 * answer or a network error, and the drop / duplicate / reorder faults.
 * Its effects (sending, waiting, chance) are passed in, so it can be tested
 * without a network.
 */
import type { WebhookMessage } from './webhook-message.ts';

export type DeliveryOutcome = number | 'dropped' | 'error';

export interface DeliveryRecord {
  eventId: string;
  eventType: string;
  transactionId: string;
  attempt: number;
  outcome: DeliveryOutcome;
  at: string;
}

export interface DeliveryPolicy {
  attempts: number;
  baseDelayMs: number;
  dropRate: number;
  duplicateRate: number;
  reorderWindowMs: number;
}

export interface DeliveryEffects {
  /** POSTs the message; resolves to the HTTP status, rejects on a network failure. */
  send(message: WebhookMessage): Promise<number>;
  sleep(ms: number): Promise<void>;
  record(entry: DeliveryRecord): void;
}

/** The fault decisions for one message: dropped, or one head-start delay per copy to send. */
export type DeliveryPlan = { dropped: true } | { dropped: false; delaysMs: number[] };

/**
 * Draws the drop / duplicate / reorder decisions at once, when the event is
 * emitted, so that they depend only on the seed and the order of calls, not
 * on how the deliveries happen to interleave.
 */
export function planDelivery(policy: DeliveryPolicy, random: () => number): DeliveryPlan {
  if (random() < policy.dropRate) return { dropped: true };
  const copies = random() < policy.duplicateRate ? 2 : 1;
  // A random head start lets a later event overtake an earlier one.
  const delay = () => (policy.reorderWindowMs > 0 ? Math.floor(random() * policy.reorderWindowMs) : 0);
  return { dropped: false, delaysMs: Array.from({ length: copies }, delay) };
}

function recordOf(message: WebhookMessage, attempt: number, outcome: DeliveryOutcome): DeliveryRecord {
  return {
    eventId: message.eventId,
    eventType: message.eventType,
    transactionId: message.transactionId,
    attempt,
    outcome,
    at: new Date().toISOString(),
  };
}

/** One copy of the message: up to `attempts` tries, waiting baseDelayMs·2^(n−1) after the n-th failure. */
async function deliverCopy(
  message: WebhookMessage,
  delayMs: number,
  policy: DeliveryPolicy,
  effects: DeliveryEffects,
): Promise<void> {
  if (delayMs > 0) await effects.sleep(delayMs);
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let outcome: DeliveryOutcome;
    try {
      outcome = await effects.send(message);
    } catch {
      outcome = 'error';
    }
    effects.record(recordOf(message, attempt, outcome));
    if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) return;
    if (attempt < policy.attempts) await effects.sleep(policy.baseDelayMs * 2 ** (attempt - 1));
  }
}

/**
 * Carries out a plan. A dropped message is only recorded; a duplicated one
 * goes out as two independent copies with the same eventId and bytes.
 *
 * @example await deliverWebhook(message, planDelivery(policy, random), policy, { send, sleep, record })
 */
export async function deliverWebhook(
  message: WebhookMessage,
  plan: DeliveryPlan,
  policy: DeliveryPolicy,
  effects: DeliveryEffects,
): Promise<void> {
  if (plan.dropped) {
    effects.record(recordOf(message, 1, 'dropped'));
    return;
  }
  await Promise.all(plan.delaysMs.map((delayMs) => deliverCopy(message, delayMs, policy, effects)));
}
