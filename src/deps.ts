/**
 * Builds the dependencies of the use cases from the Worker's bindings. The
 * Djomy token cache lives per isolate (module scope), so concurrent requests
 * in one isolate share one token and one refresh.
 */
import { DjomyClient } from './djomy/client.ts';
import { TokenCache } from './djomy/token-cache.ts';
import { type Env, loadConfig } from './env.ts';
import type { Logger } from './lib/log.ts';
import type { PaymentDeps } from './payments/deps.ts';

const tokenCaches = new WeakMap<KVNamespace, Map<string, TokenCache>>();

function tokenCacheFor(kv: KVNamespace, key: string): TokenCache {
  const caches = tokenCaches.get(kv) ?? new Map<string, TokenCache>();
  tokenCaches.set(kv, caches);
  const cache = caches.get(key) ?? new TokenCache(kv, key);
  caches.set(key, cache);
  return cache;
}

/**
 * @param ctx the invocation's context, for work that may finish after the answer
 * @example const deps = buildDeps(env, log, ctx)
 */
export function buildDeps(env: Env, log: Logger, ctx?: Pick<ExecutionContext, 'waitUntil'>): PaymentDeps {
  const { config } = loadConfig(env);
  const djomy = config.djomy
    ? new DjomyClient({
        ...config.djomy,
        tokens: tokenCacheFor(env.TOKENS, `djomy-token:${config.djomy.baseUrl}:${config.djomy.clientId}`),
      })
    : null;
  return {
    db: env.DB,
    djomy,
    config,
    verifyQueue: env.VERIFY_QUEUE,
    notifyQueue: env.NOTIFY_QUEUE,
    log,
    now: Date.now,
    defer: (task) => (ctx ? ctx.waitUntil(task) : void task),
  };
}
