/**
 * What one invocation may do, by Cloudflare plan (docs/free-plan.md). On the
 * Workers Free plan an invocation has about 10 ms of CPU, 50 subrequests,
 * 50 D1 queries and 6 connections at once, and the account 10,000 queue
 * operations a day (a delivered message costs 3): the Free figures keep
 * every invocation within 40 of 50 and spend the queue only where it helps.
 * `WORKERS_PLAN=paid` trades that thrift for speed.
 */

export type Plan = 'free' | 'paid';

export interface PlanLimits {
  /**
   * The young-payment schedule: delays (seconds) of the verify jobs queued
   * after a payment is created, so it settles even if its webhooks are lost.
   * After it, the cron takes over.
   */
  youngVerifySeconds: readonly number[];
  /** Verify messages handled at once in one consumer invocation (each is one Djomy call). */
  verifyConcurrency: number;
  /**
   * The cron's follow lane: `inline` verifies open transactions in the cron's
   * own invocation (no queue operation spent), at most `perRun` of them;
   * otherwise it queues a verify job for each, at most `perRun`.
   */
  cronFollow: { inline: boolean; perRun: number; concurrency: number };
  /**
   * Merchant events are delivered in the invocation that wrote them (after
   * its answer), the cron re-delivering what failed; otherwise through the
   * notify queue, with its retries.
   */
  notifyInline: boolean;
  /** Merchant events the cron delivers (inline) or re-queues per run. */
  cronOutboxPerRun: number;
}

export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: {
    // One check: a webhook or the payer's own page usually settles a payment first.
    youngVerifySeconds: [30],
    verifyConcurrency: 5,
    cronFollow: { inline: true, perRun: 5, concurrency: 5 },
    notifyInline: true,
    cronOutboxPerRun: 3,
  },
  paid: {
    youngVerifySeconds: [15, 30, 60, 120, 240, 480],
    verifyConcurrency: 25,
    cronFollow: { inline: false, perRun: 500, concurrency: 25 },
    notifyInline: false,
    cronOutboxPerRun: 100,
  },
};
