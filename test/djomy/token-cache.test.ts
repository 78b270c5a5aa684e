/**
 * The token cache on its own (docs/djomy.md#authentication), with the real local KV namespace
 * `env.TOKENS` and a fake clock: memory and KV hits, the refresh margin, the
 * KV TTL, invalidation after a 401, and a failing `issue`.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { type IssuedToken, TokenCache, type TokenKv } from '../../src/djomy/token-cache.ts';
import { freshKey } from '../support/djomy-client.ts';

const SECOND = 1000;

function fakeClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

/** An `issue` that hands out token-1, token-2, … with the given lifetime. */
function issuer(lifetimeSeconds = 3600) {
  let issued = 0;
  return vi.fn(async (): Promise<IssuedToken> => ({ accessToken: `token-${++issued}`, lifetimeSeconds }));
}

async function stored(key: string): Promise<{ accessToken: string; usableUntil: number } | null> {
  return env.TOKENS.get(key, 'json');
}

/** Seconds from now until KV drops the entry, as KV reports it. */
async function kvTtlSeconds(key: string): Promise<number | undefined> {
  const { keys } = await env.TOKENS.list({ prefix: key });
  const expiration = keys.find((entry) => entry.name === key)?.expiration;
  return expiration === undefined ? undefined : expiration - Date.now() / SECOND;
}

describe('TokenCache', () => {
  it('serves a token from memory without calling issue or reading KV again', async () => {
    const clock = fakeClock();
    const key = freshKey();
    const cache = new TokenCache(env.TOKENS, key, clock.now);
    const issue = issuer();

    expect(await cache.get(issue)).toBe('token-1');
    await env.TOKENS.delete(key); // only memory can answer now
    clock.advance(3000 * SECOND);
    expect(await cache.get(issue)).toBe('token-1');
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('stores the token in KV, where a new cache instance with the same key finds it', async () => {
    const clock = fakeClock();
    const key = freshKey();
    const first = new TokenCache(env.TOKENS, key, clock.now);
    expect(await first.get(issuer())).toBe('token-1');
    expect(await stored(key)).toEqual({ accessToken: 'token-1', usableUntil: clock.now() + 3540 * SECOND });

    const second = new TokenCache(env.TOKENS, key, clock.now);
    const issue = issuer();
    expect(await second.get(issue)).toBe('token-1');
    expect(issue).not.toHaveBeenCalled();
  });

  it('ignores a KV entry whose token is no longer usable', async () => {
    const clock = fakeClock();
    const key = freshKey();
    await new TokenCache(env.TOKENS, key, clock.now).get(issuer());
    clock.advance(3540 * SECOND);

    const issue = vi.fn(async () => ({ accessToken: 'fresh', lifetimeSeconds: 3600 }));
    expect(await new TokenCache(env.TOKENS, key, clock.now).get(issue)).toBe('fresh');
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('refreshes a one-hour token 60 s before it expires', async () => {
    const clock = fakeClock();
    const cache = new TokenCache(env.TOKENS, freshKey(), clock.now);
    const issue = issuer(3600);

    expect(await cache.get(issue)).toBe('token-1');
    clock.advance(3540 * SECOND - 1);
    expect(await cache.get(issue)).toBe('token-1');
    clock.advance(1);
    expect(await cache.get(issue)).toBe('token-2');
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it.each([
    [100, 80],
    [30, 24],
    [5, 4],
  ])('refreshes a %i s token a fifth of its lifetime early (after %i s)', async (lifetime, usable) => {
    const clock = fakeClock();
    const cache = new TokenCache(env.TOKENS, freshKey(), clock.now);
    const issue = issuer(lifetime);

    expect(await cache.get(issue)).toBe('token-1');
    clock.advance(usable * SECOND - 1);
    expect(await cache.get(issue)).toBe('token-1');
    clock.advance(1);
    expect(await cache.get(issue)).toBe('token-2');
  });

  it.each([
    [3600, 3540],
    [600, 540],
    [100, 80],
    [30, 60],
    [1, 60],
  ])(
    'keeps a %i s token in KV for %i s: its usable time, and never less than KV’s 60 s minimum',
    async (lifetime, ttl) => {
      const key = freshKey();
      await new TokenCache(env.TOKENS, key).get(issuer(lifetime));
      const remaining = await kvTtlSeconds(key);
      // The local KV reports `expiration` in `list`; were it hidden, only the stored value could be checked.
      expect(remaining).toBeDefined();
      expect(remaining).toBeGreaterThan(ttl - 5);
      expect(remaining).toBeLessThanOrEqual(ttl + 1);
    },
  );

  it('invalidate drops only the token it names, in memory and in KV', async () => {
    const key = freshKey();
    const cache = new TokenCache(env.TOKENS, key);
    const issue = issuer();
    expect(await cache.get(issue)).toBe('token-1');

    await cache.invalidate('some-other-token');
    expect(await cache.get(issue)).toBe('token-1');
    expect((await stored(key))?.accessToken).toBe('token-1');
    expect(issue).toHaveBeenCalledTimes(1);

    await cache.invalidate('token-1');
    expect(await stored(key)).toBeNull();
    expect(await cache.get(issue)).toBe('token-2');
    expect((await stored(key))?.accessToken).toBe('token-2');
  });

  it('a late invalidate of an old token keeps the newer one', async () => {
    const key = freshKey();
    const cache = new TokenCache(env.TOKENS, key);
    const issue = issuer();
    await cache.get(issue);
    await cache.invalidate('token-1');
    expect(await cache.get(issue)).toBe('token-2');

    await cache.invalidate('token-1'); // a second caller that also saw token-1 refused
    expect(await cache.get(issue)).toBe('token-2');
    expect((await stored(key))?.accessToken).toBe('token-2');
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('never hands out a refused token again, even when a concurrent caller reads it from KV mid-invalidation', async () => {
    const key = freshKey();
    const cache = new TokenCache(env.TOKENS, key);
    const issue = issuer();
    expect(await cache.get(issue)).toBe('token-1');

    // Djomy refused token-1: one caller invalidates it while a new request asks for a token.
    const invalidation = cache.invalidate('token-1');
    const concurrent = cache.get(issue);
    await invalidation;
    await concurrent;
    expect(await cache.get(issue)).not.toBe('token-1');
  });

  it('never reloads a refused token from KV, even when KV still returns it (eventual consistency)', async () => {
    const key = freshKey();
    // KV reads may be stale for a while after a delete: model a delete that is not visible yet.
    const staleKv: TokenKv = {
      get: env.TOKENS.get.bind(env.TOKENS) as TokenKv['get'],
      put: env.TOKENS.put.bind(env.TOKENS),
      delete: async () => {},
    };
    const cache = new TokenCache(staleKv, key);
    const issue = issuer();
    expect(await cache.get(issue)).toBe('token-1');
    await cache.invalidate('token-1');
    expect(await cache.get(issue)).toBe('token-2');
  });

  it('shares one issue between concurrent callers on a cold cache', async () => {
    const cache = new TokenCache(env.TOKENS, freshKey());
    const issue = issuer();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get(issue)));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('rejects every waiter when issue fails, stores nothing, and tries again on the next get', async () => {
    const key = freshKey();
    const cache = new TokenCache(env.TOKENS, key);
    let fail!: (error: Error) => void;
    const failing = vi.fn(
      () =>
        new Promise<IssuedToken>((_resolve, reject) => {
          fail = reject;
        }),
    );
    const waiters = Array.from({ length: 5 }, () => cache.get(failing));
    await vi.waitFor(() => expect(failing).toHaveBeenCalled());
    const down = new Error('auth is down');
    fail(down);
    for (const waiter of await Promise.allSettled(waiters)) {
      expect(waiter).toEqual({ status: 'rejected', reason: down });
    }
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await stored(key)).toBeNull();

    const issue = issuer();
    expect(await cache.get(issue)).toBe('token-1');
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('still answers with the token when KV fails, and a KV failure never escapes invalidate', async () => {
    const broken: TokenKv = {
      get: () => Promise.reject(new Error('KV GET failed')),
      put: () => Promise.reject(new Error('KV PUT failed')),
      delete: () => Promise.reject(new Error('KV DELETE failed')),
    };
    const cache = new TokenCache(broken, freshKey());
    const issue = issuer();
    expect(await cache.get(issue)).toBe('token-1');
    await expect(cache.invalidate('token-1')).resolves.toBeUndefined();
    expect(await cache.get(issue)).toBe('token-2');
  });
});
