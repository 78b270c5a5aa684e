/**
 * Builds the dependencies of the use cases from the Worker's bindings. The
 * Djomy client and its token cache live per isolate (module scope), so
 * concurrent requests in one isolate share one token and one refresh.
 */
import { DjomyClient } from './djomy/client.ts';
import { TokenCache } from './djomy/token-cache.ts';
import { type Config, type Env, loadConfig } from './env.ts';
import type { Logger } from './lib/log.ts';
import type { PaymentDeps } from './payments/deps.ts';

/**
 * One client (and so one token cache and one X-API-KEY computation) per
 * isolate and configuration. Keyed by the KV binding too, so that test files,
 * each with its own storage, never share a cached token.
 */
const clients = new WeakMap<KVNamespace, Map<string, DjomyClient>>();

function djomyClientFor(kv: KVNamespace, settings: NonNullable<Config['djomy']>): DjomyClient {
  const key = `${settings.baseUrl}|${settings.clientId}|${settings.partnerDomain ?? ''}|${settings.timeoutMs}`;
  const byConfig = clients.get(kv) ?? new Map<string, DjomyClient>();
  clients.set(kv, byConfig);
  const client =
    byConfig.get(key) ??
    new DjomyClient({
      ...settings,
      tokens: new TokenCache(kv, `djomy-token:${settings.baseUrl}:${settings.clientId}`),
    });
  byConfig.set(key, client);
  return client;
}

/**
 * @param ctx the invocation's context, for work that may finish after the answer
 * @example const deps = buildDeps(env, log, ctx)
 */
export function buildDeps(
  env: Env,
  log: Logger,
  ctx?: Pick<ExecutionContext, 'waitUntil'>,
  deliver: PaymentDeps['deliver'] = 'now',
): PaymentDeps {
  const { config } = loadConfig(env);
  const djomy = config.djomy ? djomyClientFor(env.TOKENS, config.djomy) : null;
  return {
    db: env.DB,
    djomy,
    config,
    verifyQueue: env.VERIFY_QUEUE,
    notifyQueue: env.NOTIFY_QUEUE,
    log,
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    defer: (task) => (ctx ? ctx.waitUntil(task) : void task),
    deliver,
  };
}
