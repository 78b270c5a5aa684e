/**
 * The merchant's server, as far as djomy-edge is concerned: it receives the
 * Standard Webhooks notifications (README.md#from-the-worker-to-your-server),
 * checks them with the shared verifier, records what came, and answers as
 * `merchantResponse` says (a status, or a 500 with probability `failRate`) so
 * retries can be tested.
 */
import type { Context } from 'hono';
import { verifyStandardWebhook } from '../../src/notify/standard-webhooks.ts';
import { config } from './config.ts';
import type { SimHono } from './env.ts';
import { faultRandom } from './faults.ts';

export interface MerchantDelivery {
  webhookId: string | null;
  timestamp: string | null;
  type: string | null;
  valid: boolean;
  reason?: string;
  body: unknown;
  answeredStatus: number;
  at: string;
}

let deliveries: MerchantDelivery[] = [];

export function clearMerchantInbox(): void {
  deliveries = [];
}

export function merchantDeliveries(): MerchantDelivery[] {
  return [...deliveries];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `POST /__sim/merchant/webhook`. An invalid signature is recorded and answered 400. */
export async function receiveMerchantWebhook(c: Context<SimHono>): Promise<Response> {
  const text = await c.req.text();
  const result = await verifyStandardWebhook(c.env.SIM_MERCHANT_WEBHOOK_SECRET, c.req.raw.headers, text);
  const body = parsed(text);
  const { status, failRate, location } = config().merchantResponse;
  const answeredStatus = !result.ok ? 400 : failRate > 0 && faultRandom() < failRate ? 500 : status;
  deliveries.push({
    webhookId: c.req.header('webhook-id') ?? null,
    timestamp: c.req.header('webhook-timestamp') ?? null,
    type: typeof body === 'object' && body !== null && 'type' in body ? String(body.type) : null,
    valid: result.ok,
    ...(!result.ok && { reason: result.reason }),
    body,
    answeredStatus,
    at: new Date().toISOString(),
  });
  const bodyless = [204, 205, 304].includes(answeredStatus);
  const redirect = answeredStatus >= 300 && answeredStatus < 400 && location ? { location } : undefined;
  return new Response(bodyless ? null : answeredStatus < 300 ? 'ok' : 'refused', {
    status: answeredStatus,
    headers: redirect,
  });
}
