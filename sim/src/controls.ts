/**
 * Test and dev controls under `/__sim`. JSON in, JSON out, no
 * auth: other test suites rely on this exact API (see sim/README.md).
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { clearTokens } from './auth.ts';
import { config, configPatchSchema, patchConfig, resetConfig } from './config.ts';
import { counters, resetCounters } from './counters.ts';
import { PAYMENT_STATUSES } from './domain.ts';
import type { SimEnv, SimHono } from './env.ts';
import { clearFaults, currentFaults, faultSpecSchema, setFaults } from './faults.ts';
import { changeStatus, expireLinkIfStale, refreshPayment } from './lifecycle.ts';
import { payOnLink } from './link-payments.ts';
import { clearMerchantInbox, merchantDeliveries, receiveMerchantWebhook } from './merchant-inbox.ts';
import { allPayments, clearStore, links, payments, paymentsByReference } from './store.ts';
import { clearTelegramInbox, telegramMessages } from './telegram.ts';
import { linkView, truthView } from './views.ts';
import { drainWebhooks, replayWebhook, resetWebhooks, webhookLog } from './webhooks.ts';

/** Back to a fresh simulator: defaults, and nothing remembered. */
export function resetSimulator(env: SimEnv): void {
  resetConfig(env);
  clearStore();
  clearTokens();
  resetCounters();
  resetWebhooks();
  clearMerchantInbox();
  clearTelegramInbox();
  clearFaults();
}

const completeSchema = z.strictObject({
  status: z.enum(PAYMENT_STATUSES).exclude(['CREATED', 'REDIRECTED']),
  paidAmount: z.number().positive().optional(),
});

const payLinkSchema = z.strictObject({
  amount: z.number().positive().optional(),
  paymentMethod: z.string().min(1).optional(),
  phone: z.string().min(1).optional(),
  status: z.enum(PAYMENT_STATUSES).exclude(['CREATED', 'REDIRECTED']).optional(),
});

/** Parses the JSON body with `schema`; a 400 `{error, issues}` when it does not fit. */
async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Response> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    return c.json({ error: 'body is not JSON' }, 400);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return c.json({ error: 'invalid body', issues }, 400);
}

const notFound = (c: Context, what: string) => c.json({ error: `unknown ${what}` }, 404);

export const controls = new Hono<SimHono>();

controls.post('/reset', (c) => {
  resetSimulator(c.env);
  return c.json({ ok: true });
});

controls.get('/config', (c) => c.json(config()));
controls.patch('/config', async (c) => {
  const patch = await parseBody(c, configPatchSchema);
  return patch instanceof Response ? patch : c.json(patchConfig(patch));
});

controls.get('/faults', (c) => c.json(currentFaults()));
controls.put('/faults', async (c) => {
  const spec = await parseBody(c, faultSpecSchema);
  if (spec instanceof Response) return spec;
  setFaults(spec);
  return c.json(currentFaults());
});
controls.delete('/faults', (c) => {
  clearFaults();
  return c.json(currentFaults());
});

controls.get('/counters', (c) => c.json(counters()));
controls.delete('/counters', (c) => {
  resetCounters();
  return c.json(counters());
});

controls.get('/payments', (c) =>
  c.json({ payments: allPayments().map((p) => truthView(refreshPayment(p))) }),
);
controls.get('/payments/:transactionId', (c) => {
  const payment = payments.get(c.req.param('transactionId'));
  return payment ? c.json(truthView(refreshPayment(payment))) : notFound(c, 'payment');
});
/** How many Djomy payments each merchant reference got: more than one is a double charge risk. */
controls.get('/references', (c) => c.json({ references: paymentsByReference() }));
/** Sets any status, even on a terminal payment (SUCCESS → REFUNDED), and always announces it. */
controls.post('/payments/:transactionId/complete', async (c) => {
  const payment = payments.get(c.req.param('transactionId'));
  if (!payment) return notFound(c, 'payment');
  const body = await parseBody(c, completeSchema);
  if (body instanceof Response) return body;
  changeStatus(payment, body.status, { paidAmount: body.paidAmount, announce: true });
  return c.json(truthView(payment));
});

controls.get('/links', (c) =>
  c.json({ links: [...links.values()].map((l) => linkView(expireLinkIfStale(l))) }),
);
controls.post('/links/:reference/pay', async (c) => {
  const link = links.get(c.req.param('reference'));
  if (!link) return notFound(c, 'link');
  const body = await parseBody(c, payLinkSchema);
  if (body instanceof Response) return body;
  const result = payOnLink(link, body);
  return 'refused' in result ? c.json({ error: result.refused }, 409) : c.json(truthView(result));
});

function webhooksView() {
  const { pending, deliveries, messages } = webhookLog();
  return { pending, deliveries, events: messages };
}

controls.get('/webhooks', (c) => c.json(webhooksView()));
controls.post('/webhooks/drain', async (c) => {
  await drainWebhooks();
  return c.json(webhooksView());
});
controls.post('/webhooks/replay', async (c) => {
  const body = await parseBody(c, z.strictObject({ eventId: z.string().min(1) }));
  if (body instanceof Response) return body;
  const result = await replayWebhook(body.eventId);
  if (result === 'unknown') return notFound(c, 'eventId');
  if (result === 'no_url') return c.json({ error: 'webhookUrl is null: nothing to send to' }, 409);
  return c.json(result);
});

controls.post('/merchant/webhook', receiveMerchantWebhook);
controls.get('/merchant/deliveries', (c) => c.json({ deliveries: merchantDeliveries() }));
controls.get('/telegram/messages', (c) => c.json({ messages: telegramMessages() }));
