/**
 * The Djomy simulator, a stand-in for Djomy's sandbox: Djomy's API as
 * docs/djomy.md describes it, the payer's pages, and the `/__sim` controls,
 * in one Worker whose state lives in module memory. This file only wires the
 * parts together; see sim/README.md.
 */
import { Hono } from 'hono';
import { api } from './api.ts';
import { controls, resetSimulator } from './controls.ts';
import type { SimEnv, SimHono } from './env.ts';
import { fail, MESSAGES } from './envelope.ts';
import { pages } from './pages/index.ts';
import { sendMessage } from './telegram.ts';
import { flushWebhooks } from './webhooks.ts';

let started = false;

const app = new Hono<SimHono>();

// Every request: make sure the state exists, then send the webhooks its status changes queued.
app.use('*', async (c, next) => {
  if (!started) {
    resetSimulator(c.env);
    started = true;
  }
  // Read the body up front (handlers get it from Hono's cache): answering early, e.g. a 401,
  // with the body unread makes workerd fail the sender's upload.
  if (c.req.raw.body) await c.req.arrayBuffer();
  await next();
  await flushWebhooks(c);
});

app.route('/', api);
app.route('/__sim', controls);
app.route('/', pages);
// The fake Telegram Bot API (sim/src/telegram.ts).
app.post('/:bot/sendMessage', sendMessage);

app.notFound((c) => fail(c, 404, MESSAGES.notFound));
app.onError((error, c) => {
  console.error('simulator error', error);
  return fail(c, 500, 'Erreur interne du simulateur', { details: String(error) });
});

export default { fetch: app.fetch } satisfies ExportedHandler<SimEnv>;
