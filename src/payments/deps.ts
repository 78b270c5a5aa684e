/**
 * What the payment use cases need from the outside world, built once per
 * request or batch by `src/deps.ts`, and the few helpers every use case
 * shares to reach it.
 */
import type { DjomyClient } from '../djomy/client.ts';
import { DjomyError } from '../djomy/errors.ts';
import type { Config } from '../env.ts';
import { recordIncident } from '../lib/incidents.ts';
import type { Logger } from '../lib/log.ts';
import type { NotifyJob, VerifyJob } from './model/messages.ts';

export interface PaymentDeps {
  db: D1Database;
  /** Null when the Djomy settings are missing or malformed (see `/healthz`). */
  djomy: DjomyClient | null;
  config: Config;
  verifyQueue: Queue<VerifyJob>;
  notifyQueue: Queue<NotifyJob>;
  log: Logger;
  /** Outgoing HTTP other than Djomy's (merchant webhooks). */
  fetch: typeof fetch;
  now(): number;
  /**
   * Runs work the answer need not wait for (`ctx.waitUntil`): queueing a
   * notification or a later check, which the cron also covers if it fails.
   */
  defer(task: Promise<unknown>): void;
  /**
   * When merchant events written by this invocation are delivered: `now`
   * (after the answer) for a request, which settles one payment; `later` for
   * a batch (a queue consumer, the cron), which may settle many and must stay
   * within one invocation's budget — the cron's outbox lane delivers them.
   */
  deliver: 'now' | 'later';
}

/**
 * The Djomy client, or the one error that says Djomy is not configured
 * (`DjomyError` of kind `not_configured`), which routes answer as 503.
 *
 * @example const djomy = djomyOf(deps)
 */
export function djomyOf(deps: PaymentDeps): DjomyClient {
  if (!deps.djomy) throw new DjomyError({ kind: 'not_configured', operation: 'configuration' });
  return deps.djomy;
}

/**
 * Queues a verify job after the answer; a failure is only logged: webhooks,
 * polls and the cron still verify the payment.
 *
 * @example queueVerify(deps, { type: 'verify', paymentId, source: 'otp' }, 5)
 */
export function queueVerify(deps: PaymentDeps, job: VerifyJob, delaySeconds: number): void {
  deps.defer(
    deps.verifyQueue.send(job, { delaySeconds }).catch((error: unknown) => {
      recordIncident('queue', error);
      deps.log.warn('verify enqueue failed', {
        paymentId: job.paymentId,
        transactionId: job.transactionId,
        error: String(error),
      });
    }),
  );
}
