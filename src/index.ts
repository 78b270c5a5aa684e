/**
 * djomy-edge: the Worker's three entry points, wired and nothing else.
 * - `fetch`: the HTTP API (src/http/app.ts)
 * - `queue`: verify jobs, merchant notifications, dead letters (src/jobs/)
 * - `scheduled`: the reconciliation cron (src/payments/reconcile.ts)
 */
import { buildDeps } from './deps.ts';
import type { Env } from './env.ts';
import { createApp } from './http/app.ts';
import { handleDeadLetter } from './jobs/dead-letter-consumer.ts';
import { handleNotifyMessage } from './jobs/notify-consumer.ts';
import { handleVerifyMessage } from './jobs/verify-consumer.ts';
import { forEachConcurrently } from './lib/concurrency.ts';
import { randomId } from './lib/ids.ts';
import { createLogger } from './lib/log.ts';
import { reconcile } from './payments/reconcile.ts';

const app = createApp(buildDeps);

/** Messages of one batch handled at once: enough to hide Djomy latency, few enough not to be rate limited. */
const BATCH_CONCURRENCY = 25;

async function queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const deps = buildDeps(env, createLogger({ batch: randomId('batch_', 8), queue: batch.queue }), ctx);
  const handle =
    batch.queue === 'djomy-verify'
      ? (message: Message<unknown>) => handleVerifyMessage(deps, message)
      : batch.queue === 'djomy-notify'
        ? (message: Message<unknown>) => handleNotifyMessage(deps, message)
        : (message: Message<unknown>) => handleDeadLetter(deps, message);
  await forEachConcurrently(batch.messages, BATCH_CONCURRENCY, handle);
}

async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  await reconcile(buildDeps(env, createLogger({ cron: randomId('cron_', 8) }), ctx));
}

export default {
  fetch: app.fetch,
  queue,
  scheduled,
} satisfies ExportedHandler<Env, unknown>;
