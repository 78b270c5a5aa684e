/** What the payment use cases need from the outside world; built once per request or batch by `src/deps.ts`. */
import type { DjomyClient } from '../djomy/client.ts';
import type { Config } from '../env.ts';
import type { Logger } from '../lib/log.ts';
import type { NotifyJob, VerifyJob } from './messages.ts';

export interface PaymentDeps {
  db: D1Database;
  /** Null when the Djomy settings are missing or malformed (see `/healthz`). */
  djomy: DjomyClient | null;
  config: Config;
  verifyQueue: Queue<VerifyJob>;
  notifyQueue: Queue<NotifyJob>;
  log: Logger;
  now(): number;
  /**
   * Runs work the answer need not wait for (`ctx.waitUntil`): queueing a
   * notification or a later check, which the cron also covers if it fails.
   */
  defer(task: Promise<unknown>): void;
}
