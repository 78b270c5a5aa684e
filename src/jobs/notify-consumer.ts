/**
 * The `notify` queue consumer (SPEC §6): delivers one outbox row to
 * `MERCHANT_WEBHOOK_URL`, signed the Standard Webhooks way, with the same
 * `webhook-id` on every retry. 2xx delivers; 410 Gone stops for good (the
 * merchant removed the endpoint); anything else retries with backoff, then the
 * dead-letter queue, then the cron.
 */
import { describeError } from '../lib/log.ts';
import { signStandardWebhook } from '../notify/standard-webhooks.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { NotifyJob } from '../payments/messages.ts';
import { getOutbox, recordDelivery } from '../store/outbox.ts';
import { retryDelaySeconds } from './backoff.ts';

const DELIVERY_TIMEOUT_MS = 10_000;

export interface NotifyDeps extends PaymentDeps {
  fetch: typeof fetch;
}

/**
 * Handles one message and acks or retries it; never throws.
 *
 * @example await handleNotifyMessage(deps, message)
 */
export async function handleNotifyMessage(deps: NotifyDeps, message: Message<unknown>): Promise<void> {
  const parsed = NotifyJob.safeParse(message.body);
  if (!parsed.success) {
    deps.log.warn('not a notify job', { messageId: message.id });
    message.ack();
    return;
  }
  const row = await getOutbox(deps.db, parsed.data.outboxId).catch(() => undefined);
  if (row === undefined) {
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  if (row?.state !== 'pending') {
    message.ack();
    return;
  }
  const target = deps.config.merchantWebhook;
  if (!target) {
    deps.log.warn('MERCHANT_WEBHOOK_URL is not set; outbox row left pending', { outboxId: row.id });
    message.ack();
    return;
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
      message.ack();
      return;
    }
    error = `HTTP ${response.status}`;
  } catch (thrown) {
    error = describeError(thrown);
  }
  await recordDelivery(deps.db, row.id, { state: 'pending', error }, deps.now()).catch(() => undefined);
  log.warn('merchant webhook failed; retrying', { error, attempts: message.attempts });
  message.retry({ delaySeconds: retryDelaySeconds(message.attempts, { base: 5, cap: 3600 }) });
}
