/**
 * Tokens end to end (docs/djomy.md#authentication): one `/v1/auth` shared by concurrent calls,
 * the KV-cached token reused by another cache instance, `expiresIn` trusted,
 * and a 401 on a business call answered by exactly one re-authentication and
 * one retry — never a loop.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { TokenCache } from '../../src/djomy/token-cache.ts';
import {
  directPayment,
  freshKey,
  newClient,
  recordingFetch,
  rejection,
  sleep,
} from '../support/djomy-client.ts';
import { sim } from '../support/sim.ts';

let transactionId: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  ({ transactionId } = await newClient().createDirectPayment(directPayment({ paymentMethod: 'MOMO' })));
  await sim.resetCounters();
});

describe('token reuse', () => {
  it('shares one /v1/auth between 50 concurrent calls on a cold cache', async () => {
    const djomy = newClient();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => djomy.getPaymentStatus(transactionId)),
    );
    expect(answers.every((answer) => answer.transactionId === transactionId)).toBe(true);
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 50, total: 51 });
  });

  it('reuses the token for later calls of the same client', async () => {
    const djomy = newClient();
    for (let i = 0; i < 5; i++) await djomy.getPaymentStatus(transactionId);
    await djomy.listLinks();
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 5, listLinks: 1 });
  });

  it('a second client with the same KV key and a new TokenCache (another isolate) reuses the KV token', async () => {
    const key = freshKey();
    const first = recordingFetch();
    await newClient({ tokens: new TokenCache(env.TOKENS, key), fetch: first.fetch }).getPaymentStatus(
      transactionId,
    );
    const second = recordingFetch();
    const other = newClient({ tokens: new TokenCache(env.TOKENS, key), fetch: second.fetch });
    await Promise.all(Array.from({ length: 10 }, () => other.getPaymentStatus(transactionId)));

    expect(await sim.counters()).toMatchObject({ auth: 1, status: 11 });
    expect(new Set(second.bearers)).toEqual(new Set(first.bearers));
  });

  it('a client with another KV key (another environment) gets its own token', async () => {
    await newClient().getPaymentStatus(transactionId);
    await newClient().getPaymentStatus(transactionId);
    expect((await sim.counters()).auth).toBe(2);
  });

  it('trusts expiresIn: a 120 s token is used for 96 s, then replaced', async () => {
    await sim.config({ tokenTtlSeconds: 120 });
    let now = Date.UTC(2026, 0, 15, 9, 0, 0);
    const key = freshKey();
    const djomy = newClient({ tokens: new TokenCache(env.TOKENS, key, () => now) });

    await djomy.getPaymentStatus(transactionId);
    expect(await env.TOKENS.get(key, 'json')).toMatchObject({ usableUntil: now + 96_000 });
    now += 95_999;
    await djomy.getPaymentStatus(transactionId);
    expect((await sim.counters()).auth).toBe(1);
    now += 1;
    await djomy.getPaymentStatus(transactionId);
    expect(await sim.counters()).toMatchObject({ auth: 2, status: 3 });
  });
});

describe('a 401 on a business call', () => {
  it('drops the token, authenticates once more and retries once when Djomy expired it early', async () => {
    // Djomy expires tokens after 1 s, but the client's clock stands still: it still trusts its token.
    await sim.config({ tokenTtlSeconds: 1 });
    const recorder = recordingFetch();
    const frozen = Date.now();
    const djomy = newClient({
      tokens: new TokenCache(env.TOKENS, freshKey(), () => frozen),
      fetch: recorder.fetch,
    });
    await djomy.getPaymentStatus(transactionId);
    await sleep(1100);

    expect((await djomy.getPaymentStatus(transactionId)).transactionId).toBe(transactionId);
    expect(await sim.counters()).toMatchObject({ auth: 2, status: 3 });
    const [first, refused, retried] = recorder.bearers;
    expect(refused).toBe(first);
    expect(retried).not.toBe(refused);
  });

  it('recovers the same way when Djomy forgot every token (revoked server-side)', async () => {
    const djomy = newClient();
    await djomy.listLinks();
    await sim.reset(); // the sim forgets its tokens (and its counters)
    await sim.config({ webhookUrl: null });

    expect(await djomy.listLinks()).toEqual({ items: [], last: true });
    expect(await sim.counters()).toMatchObject({ auth: 1, listLinks: 2 });
  });

  it('shares one re-authentication when the token expires under 20 concurrent calls, and all of them succeed', async () => {
    await sim.config({ tokenTtlSeconds: 1 });
    const frozen = Date.now();
    const djomy = newClient({ tokens: new TokenCache(env.TOKENS, freshKey(), () => frozen) });
    await djomy.getPaymentStatus(transactionId);
    await sleep(1100);
    await sim.resetCounters();

    const answers = await Promise.allSettled(
      Array.from({ length: 20 }, () => djomy.getPaymentStatus(transactionId)),
    );
    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 40 });
  });

  it('is an error the second time: when every business call gets 401, one refresh, no loop', async () => {
    const djomy = newClient();
    await djomy.listLinks();
    await sim.faults({ tokenEarlyExpiryRate: 1 });
    await sim.resetCounters();

    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({
      kind: 'unauthorized',
      operation: 'getPaymentStatus',
      status: 401,
      detail: 'token expiré',
      configuration: true,
    });
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 2 });

    // Each later call is bounded the same way: one refresh, two tries.
    await rejection(djomy.getPaymentStatus(transactionId));
    expect(await sim.counters()).toMatchObject({ auth: 2, status: 4 });
  });

  it('is not retried when the new /v1/auth itself fails', async () => {
    const djomy = newClient();
    await djomy.listLinks();
    await sim.faults({ tokenEarlyExpiryRate: 1, rules: [{ endpoint: 'auth', kind: 'html403', rate: 1 }] });
    await sim.resetCounters();

    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({ kind: 'edge_refused', operation: 'authenticate' });
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 1 });
  });
});
