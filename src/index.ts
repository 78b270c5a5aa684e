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

async function queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const log = createLogger({ batch: randomId('batch_', 8), queue: batch.queue });
  // A batch may settle many payments: their merchant events are delivered by the cron.
  const deps = buildDeps(env, log, ctx, 'later');
  const handle =
    batch.queue === 'djomy-verify'
      ? (message: Message<unknown>) => handleVerifyMessage(deps, message)
      : batch.queue === 'djomy-notify'
        ? (message: Message<unknown>) => handleNotifyMessage(deps, message)
        : (message: Message<unknown>) => handleDeadLetter(deps, message);
  // Messages of one batch handled at once: enough to hide Djomy's latency, within the plan's
  // connections per invocation (docs/free-plan.md).
  await forEachConcurrently(batch.messages, deps.config.limits.verifyConcurrency, handle);
}

async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  await reconcile(buildDeps(env, createLogger({ cron: randomId('cron_', 8) }), ctx, 'later'));
}

export default {
  fetch: app.fetch,
  queue,
  scheduled,
} satisfies ExportedHandler<Env, unknown>;
