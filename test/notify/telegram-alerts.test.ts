/**
 * Payment alerts on the merchant's phone: one Telegram message per payment
 * received or to check, through its own outbox row — with or without a
 * merchant webhook, once under duplicated deliveries, waiting as long as a
 * 429 asks, and never holding back or marking the webhook when it fails.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.ts';
import worker from '../../src/index.ts';
import { TEST_CREDENTIALS, TEST_HOSTS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { EDGE, freshIp, freshStart, gatewayOrder, json, transactionOf } from '../support/worker.ts';

const TELEGRAM = {
  TELEGRAM_BOT_TOKEN: TEST_CREDENTIALS.telegramBotToken,
  TELEGRAM_CHAT_ID: '100200300',
  TELEGRAM_API_BASE: `http://${TEST_HOSTS.djomy}`,
};

/** The Worker with these settings: each variant is its own env object (settings are read once per env). */
const alertsOnly = { ...env, ...TELEGRAM, MERCHANT_WEBHOOK_URL: '' } as Env;
const bothChannels = { ...env, ...TELEGRAM } as Env;

async function fetchWith(workerEnv: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', freshIp());
  headers.set('authorization', `Bearer ${TEST_CREDENTIALS.adminToken}`);
  if (init.body) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${EDGE}${path}`, { ...init, headers }), workerEnv, ctx);
  await response.clone().arrayBuffer();
  await waitOnExecutionContext(ctx);
  return response;
}

/** A payment completed at the simulator and verified by the admin API, its events delivered inline. */
async function settle(workerEnv: Env, status: 'SUCCESS' | 'FAILED', reference: string): Promise<string> {
  const created = await fetchWith(workerEnv, '/api/payments', {
    method: 'POST',
    body: JSON.stringify(gatewayOrder({ reference })),
  });
  const { id } = await json(created);
  await sim.complete(await transactionOf(id), status);
  expect((await fetchWith(workerEnv, `/api/admin/payments/${id}/verify`, { method: 'POST' })).status).toBe(
    200,
  );
  return id;
}

interface Row {
  id: string;
  channel: string;
  type: string;
  state: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
}

async function outboxOf(paymentId: string): Promise<Row[]> {
  const { results } = await env.DB.prepare('SELECT * FROM outbox WHERE payment_id = ? ORDER BY channel')
    .bind(paymentId)
    .all<Row>();
  return results;
}

const messagesFor = async (reference: string) =>
  (await sim.telegramMessages()).filter((m) => m.text.includes(`Référence : ${reference}`));

beforeAll(() => freshStart());
afterEach(() => sim.config({ telegramResponse: { status: 200, retryAfter: 0, times: null } }));

describe('alerts without a merchant webhook', () => {
  it('a paid payment sends one French plain-text alert with the amount, reference, method, masked phone and the console link', async () => {
    const id = await settle(alertsOnly, 'SUCCESS', 'alerte-1');
    const messages = await messagesFor('alerte-1');
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.chatId).toBe('100200300');
    expect(message?.answeredStatus).toBe(200);
    const lines = message?.text.split('\n') ?? [];
    expect(lines[0]).toBe(`✅ Paiement reçu : ${new Intl.NumberFormat('fr-FR').format(60_000)} GNF`);
    expect(lines).toContain('Référence : alerte-1');
    expect(lines).toContain('Payeur : 00224******456');
    expect(lines).toContain(`Détail : http://${TEST_HOSTS.edge}/admin/#/payments/${id}`);
    expect(message?.text).not.toContain('622123456');
    expect(await outboxOf(id)).toEqual([
      expect.objectContaining({ channel: 'telegram', state: 'delivered' }),
    ]);
  });

  it('a failed payment sends none', async () => {
    const id = await settle(alertsOnly, 'FAILED', 'alerte-echec');
    expect(await messagesFor('alerte-echec')).toEqual([]);
    expect(await outboxOf(id)).toEqual([]);
  });

  it('a duplicated queue delivery, even at the same moment, sends one message', async () => {
    await sim.config({ telegramResponse: { status: 500, times: 1 } });
    const id = await settle(alertsOnly, 'SUCCESS', 'alerte-double');
    const [row] = await outboxOf(id);
    expect(row).toMatchObject({ state: 'pending', last_error: expect.stringContaining('Telegram 500') });
    // Both copies at once, after the first attempt's hold lapsed.
    await env.DB.prepare('UPDATE outbox SET next_attempt_at = NULL WHERE id = ?').bind(row?.id).run();
    const batch = createMessageBatch(
      'djomy-notify',
      [1, 2].map((n) => ({
        id: `dup-${n}`,
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'notify', outboxId: row?.id },
      })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, alertsOnly, ctx);
    const result = await getQueueResult(batch, ctx);
    const delivered = (await messagesFor('alerte-double')).filter((m) => m.answeredStatus === 200);
    expect(delivered).toHaveLength(1);
    // The copy that found the row held is retried later, and then finds it delivered.
    expect(result.retryMessages.length + result.explicitAcks.length).toBe(2);
    expect((await outboxOf(id))[0]?.state).toBe('delivered');
  });
});

describe("Telegram's answers", () => {
  it('a 429 waits for retry_after: nothing is sent before, the alert goes after', async () => {
    await sim.config({ telegramResponse: { status: 429, retryAfter: 2, times: 1 } });
    const id = await settle(alertsOnly, 'SUCCESS', 'alerte-429');
    const [row] = await outboxOf(id);
    expect(row).toMatchObject({ state: 'pending', last_error: expect.stringContaining('Telegram 429') });
    expect(row?.next_attempt_at).toBeGreaterThan(Date.now() + 1000);
    const deliver = async () => {
      const batch = createMessageBatch('djomy-notify', [
        {
          id: `r-${Date.now()}`,
          timestamp: new Date(),
          attempts: 2,
          body: { type: 'notify', outboxId: row?.id },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, alertsOnly, ctx);
      return getQueueResult(batch, ctx);
    };
    const early = await deliver();
    expect(early.retryMessages).toHaveLength(1);
    expect(await messagesFor('alerte-429')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = await deliver();
    expect(later.explicitAcks).toHaveLength(1);
    const messages = await messagesFor('alerte-429');
    expect(messages.map((m) => m.answeredStatus)).toEqual([429, 200]);
    expect(Date.parse(messages[1]?.at ?? '') - Date.parse(messages[0]?.at ?? '')).toBeGreaterThanOrEqual(
      2000,
    );
  });

  it('a Telegram 500 leaves the merchant webhook delivered', async () => {
    await sim.config({ telegramResponse: { status: 500, times: null } });
    const id = await settle(bothChannels, 'SUCCESS', 'alerte-500');
    const rows = await outboxOf(id);
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['telegram', 'pending'],
      ['webhook', 'delivered'],
    ]);
    const deliveries = (await sim.merchantDeliveries()).filter(
      (d) => (d.body as { data?: { id?: string } } | null)?.data?.id === id,
    );
    expect(deliveries).toHaveLength(1);
  });

  it('a refusal (the bot blocked) stops retrying: the row is failed', async () => {
    await sim.config({ telegramResponse: { status: 403, times: 1 } });
    const id = await settle(alertsOnly, 'SUCCESS', 'alerte-403');
    expect((await outboxOf(id))[0]).toMatchObject({
      state: 'failed',
      last_error: expect.stringContaining('403'),
    });
  });

  it('the bot token never reaches a log line or an error', async () => {
    const lines: string[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
    );
    try {
      await sim.config({ telegramResponse: { status: 500, times: 1 } });
      const id = await settle(alertsOnly, 'SUCCESS', 'alerte-log');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).not.toContain(TEST_CREDENTIALS.telegramBotToken);
      for (const row of await outboxOf(id))
        expect(row.last_error ?? '').not.toContain(TEST_CREDENTIALS.telegramBotToken);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('settings and the test alert', () => {
  it('diagnostics sends a test alert', async () => {
    const response = await fetchWith(alertsOnly, '/api/admin/diagnostics/telegram', { method: 'POST' });
    expect(response.status).toBe(200);
    expect((await sim.telegramMessages()).at(-1)?.text).toMatch(/^Test djomy-edge/);
  });

  it('a wrong bot token is a 502 naming Telegram’s refusal; no Telegram settings is a 503', async () => {
    const wrong = { ...alertsOnly, TELEGRAM_BOT_TOKEN: '111111111:wrong-token-wrong-token-wrong' } as Env;
    const refused = await fetchWith(wrong, '/api/admin/diagnostics/telegram', { method: 'POST' });
    expect(refused.status).toBe(502);
    const problem = await json(refused);
    expect(problem.detail).toBe('Telegram 401: Unauthorized');
    expect(JSON.stringify(problem)).not.toContain('wrong-token');
    expect((await fetchWith(env as Env, '/api/admin/diagnostics/telegram', { method: 'POST' })).status).toBe(
      503,
    );
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: TEST_CREDENTIALS.telegramBotToken }, 'TELEGRAM_CHAT_ID'],
    [{ TELEGRAM_CHAT_ID: '100200300' }, 'TELEGRAM_BOT_TOKEN'],
    [{ ...TELEGRAM, TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ ...TELEGRAM, TELEGRAM_API_BASE: 'http://api.telegram.org' }, 'TELEGRAM_API_BASE'],
  ])('/healthz names a half-done set-up: %j', async (settings, setting) => {
    const response = await fetchWith({ ...env, ...settings } as Env, '/healthz');
    expect(response.status).toBe(503);
    expect((await json(response)).problems.map((p: { setting: string }) => p.setting)).toContain(setting);
  });
});
