/**
 * Delivering one merchant event (an outbox row) to its channel. The webhook
 * channel POSTs it to `MERCHANT_WEBHOOK_URL`, signed the Standard Webhooks
 * way, with the same `webhook-id` on every retry: 2xx delivers; 410 Gone
 * stops for good (the merchant removed the endpoint); anything else — a 3xx
 * included, never followed — is a failed attempt to retry.
 */
import { describeError } from '../lib/log.ts';
import { signStandardWebhook } from '../notify/standard-webhooks.ts';
import { getOutbox, type OutboxRow, recordDelivery } from '../store/outbox.ts';
import type { PaymentDeps } from './deps.ts';

const DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryOutcome =
  /** Delivered, gone, already settled, or nothing to deliver to. */
  { kind: 'done' } | { kind: 'retry'; reason: string };

/**
 * @example const outcome = await deliverNotification(deps, outboxId)
 */
export async function deliverNotification(
  deps: PaymentDeps,
  outbox: string | OutboxRow,
): Promise<DeliveryOutcome> {
  const row = typeof outbox === 'string' ? await getOutbox(deps.db, outbox).catch(() => undefined) : outbox;
  if (row === undefined) return { kind: 'retry', reason: 'outbox not readable' };
  if (row?.state !== 'pending') return { kind: 'done' };
  const target = deps.config.merchantWebhook;
  if (!target) {
    deps.log.warn('MERCHANT_WEBHOOK_URL is not set; outbox row left pending', { outboxId: row.id });
    return { kind: 'done' };
  }
  const log = deps.log.with({ outboxId: row.id, paymentId: row.paymentId, type: row.type });
  let error: string;
  try {
    const headers = await signStandardWebhook(target.secret, row.id, row.payload, new Date(deps.now()));
    const response = await deps.fetch(target.url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'djomy-edge' },
      body: row.payload,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      // A redirect would turn the POST into a GET that may answer 200: a 3xx is a failed attempt.
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.ok || response.status === 410) {
      const state = response.ok ? 'delivered' : 'gone';
      await recordDelivery(deps.db, row.id, { state, error: response.ok ? null : 'HTTP 410' }, deps.now());
      log.info('merchant webhook answered', { status: response.status, state });
      return { kind: 'done' };
    }
    error = `HTTP ${response.status}`;
  } catch (thrown) {
    error = describeError(thrown);
  }
  await recordDelivery(deps.db, row.id, { state: 'pending', error }, deps.now()).catch(() => undefined);
  return { kind: 'retry', reason: error };
}
