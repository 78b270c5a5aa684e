/**
 * djomy-edge: the Worker's three entry points, wired and nothing else.
 * - `fetch`: the HTTP API (src/http/app.ts)
 * - `queue`: verify jobs, merchant notifications, dead letters (src/jobs/)
 * - `scheduled`: the reconciliation cron (src/jobs/reconcile.ts)
 */
import { buildDeps } from './deps.ts';
import type { Env } from './env.ts';
import { createApp } from './http/app.ts';
import { handleDeadLetter } from './jobs/dead-letter-consumer.ts';
import { handleNotifyMessage } from './jobs/notify-consumer.ts';
import { reconcile } from './jobs/reconcile.ts';
import { handleVerifyMessage } from './jobs/verify-consumer.ts';
import { forEachConcurrently } from './lib/concurrency.ts';
import { randomId } from './lib/ids.ts';
import { createLogger } from './lib/log.ts';

const app = createApp();

/** Messages of one batch handled at once: enough to hide Djomy latency, few enough not to be rate limited. */
const BATCH_CONCURRENCY = 25;

export default {
  fetch: app.fetch,

  async queue(batch, env, ctx) {
    const deps = buildDeps(env, createLogger({ batch: randomId('batch_', 8), queue: batch.queue }), ctx);
    const handle =
      batch.queue === 'djomy-verify'
        ? (message: Message<unknown>) => handleVerifyMessage(deps, message)
        : batch.queue === 'djomy-notify'
          ? (message: Message<unknown>) =>
              handleNotifyMessage({ ...deps, fetch: (input, init) => fetch(input, init) }, message)
          : (message: Message<unknown>) => handleDeadLetter(deps, message);
    await forEachConcurrently(batch.messages, BATCH_CONCURRENCY, handle);
  },

  async scheduled(_controller, env, ctx) {
    await reconcile(buildDeps(env, createLogger({ cron: randomId('cron_', 8) }), ctx));
  },
} satisfies ExportedHandler<Env, unknown>;
