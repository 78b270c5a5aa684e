/**
 * Delivering one merchant event (an outbox row) to its channel, at least
 * once. The row is claimed first, so a duplicated queue message or the cron
 * cannot send it twice at the same moment.
 *
 * - webhook: POSTs it to `MERCHANT_WEBHOOK_URL`, signed the Standard Webhooks
 *   way, with the same `webhook-id` on every retry: 2xx delivers; 410 Gone
 *   stops for good (the merchant removed the endpoint); anything else — a 3xx
 *   included, never followed — is a failed attempt to retry.
 * - telegram: one `sendMessage` to the merchant's chat: a 429 waits for the
 *   `retry_after` Telegram gives; a refusal (wrong token, blocked bot) stops.
 */
import { describeError } from '../lib/log.ts';
import { signStandardWebhook } from '../notify/standard-webhooks.ts';
import { sendTelegramMessage } from '../notify/telegram.ts';
import { claimOutbox, getOutbox, type OutboxRow, type OutboxState, recordDelivery } from '../store/outbox.ts';
import type { PaymentDeps } from './deps.ts';

const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed row is held for its delivery: more than one attempt takes. */
const CLAIM_MS = 30_000;

export type DeliveryOutcome =
  /** Delivered, gone, already settled, or nothing to deliver to. */
  | { kind: 'done' }
  /** Try again, after `retryAfterSeconds` when the channel or a running delivery says so. */
  | { kind: 'retry'; reason: string; retryAfterSeconds?: number };

type Attempt = { state: OutboxState; error: string | null; retryAfterSeconds?: number };

/**
 * @example const outcome = await deliverNotification(deps, outboxId)
 */
export async function deliverNotification(
  deps: PaymentDeps,
  outbox: string | OutboxRow,
): Promise<DeliveryOutcome> {
  const id = typeof outbox === 'string' ? outbox : outbox.id;
  const now = deps.now();
  let row: OutboxRow | null;
  try {
    row = await claimOutbox(deps.db, id, { now, leaseMs: CLAIM_MS });
    if (!row) {
      const current = await getOutbox(deps.db, id);
      if (current?.state !== 'pending') return { kind: 'done' };
      // Held by another delivery, or the channel asked to wait: come back then.
      const waitMs = Math.max(1000, (current.nextAttemptAt ?? now) - now);
      return { kind: 'retry', reason: 'not due yet', retryAfterSeconds: Math.ceil(waitMs / 1000) };
    }
  } catch (error) {
    return { kind: 'retry', reason: `outbox not readable: ${describeError(error)}` };
  }
  const log = deps.log.with({
    outboxId: row.id,
    paymentId: row.paymentId,
    type: row.type,
    channel: row.channel,
  });
  const attempt = row.channel === 'telegram' ? await toTelegram(deps, row) : await toWebhook(deps, row);
  if (attempt === null) {
    // The channel is no longer configured: the row waits (its claim lapses) for when it is again.
    log.warn('merchant event left pending: its channel is not configured');
    return { kind: 'done' };
  }
  const retryAt =
    attempt.retryAfterSeconds === undefined ? undefined : deps.now() + attempt.retryAfterSeconds * 1000;
  await recordDelivery(
    deps.db,
    row.id,
    { state: attempt.state, error: attempt.error, retryAt },
    deps.now(),
  ).catch((error: unknown) => log.warn('delivery outcome not recorded', { error: describeError(error) }));
  if (attempt.state !== 'pending') {
    log.info('merchant event delivered', { state: attempt.state, error: attempt.error });
    return { kind: 'done' };
  }
  return {
    kind: 'retry',
    reason: attempt.error ?? 'failed',
    ...(attempt.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: attempt.retryAfterSeconds }),
  };
}

async function toWebhook(deps: PaymentDeps, row: OutboxRow): Promise<Attempt | null> {
  const target = deps.config.merchantWebhook;
  if (!target) return null;
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
    if (response.ok) return { state: 'delivered', error: null };
    if (response.status === 410) return { state: 'gone', error: 'HTTP 410' };
    return { state: 'pending', error: `HTTP ${response.status}` };
  } catch (thrown) {
    return { state: 'pending', error: describeError(thrown) };
  }
}

async function toTelegram(deps: PaymentDeps, row: OutboxRow): Promise<Attempt | null> {
  const target = deps.config.telegram;
  if (!target) return null;
  const { text } = JSON.parse(row.payload) as { text: string };
  const outcome = await sendTelegramMessage(deps.fetch, target, text, DELIVERY_TIMEOUT_MS);
  switch (outcome.kind) {
    case 'sent':
      return { state: 'delivered', error: null };
    case 'refused':
      return { state: 'failed', error: outcome.error };
    case 'retry':
      return { state: 'pending', error: outcome.error, retryAfterSeconds: outcome.retryAfterSeconds };
  }
}

export type TestAlertOutcome =
  | { kind: 'sent' }
  | { kind: 'not_configured' }
  | { kind: 'failed'; error: string };

/**
 * Sends a test alert to the merchant's Telegram chat now (the console's
 * Health page, the diagnostics API): proves the token and the chat.
 */
export async function sendTestAlert(deps: PaymentDeps): Promise<TestAlertOutcome> {
  const target = deps.config.telegram;
  if (!target) return { kind: 'not_configured' };
  const text = 'Test djomy-edge : les alertes de paiement arriveront ici. / Payment alerts will arrive here.';
  const outcome = await sendTelegramMessage(deps.fetch, target, text, DELIVERY_TIMEOUT_MS);
  return outcome.kind === 'sent' ? { kind: 'sent' } : { kind: 'failed', error: outcome.error };
}
