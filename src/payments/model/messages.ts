/** Queue message bodies. Each consumer validates them again: a queue is an input too. */
import * as z from 'zod/mini';

/**
 * What triggered a status change; recorded on every payment event: the
 * create call, an OTP, a webhook, the return URL, a poll, the cron, an admin,
 * `schedule` (the verify queue's own re-checks of young payments) and `link`
 * (a payment recorded from Djomy's data).
 */
const Source = z.enum(['create', 'otp', 'webhook', 'return', 'poll', 'schedule', 'cron', 'admin', 'link']);
export type EventSource = z.infer<typeof Source>;

/**
 * Ask Djomy for the status of one payment: ours by `paymentId`, or any by
 * Djomy's `transactionId` (webhooks, link payments).
 */
export const VerifyJob = z
  .object({
    type: z.literal('verify'),
    paymentId: z.optional(z.string().check(z.maxLength(64))),
    transactionId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    source: Source,
    /** The webhook event type that triggered it, if any (`payment.success`, …). */
    hint: z.optional(z.string().check(z.maxLength(100))),
    /**
     * Part of the young-payment schedule: after it runs, the next check is
     * queued while the payment is open and young. Other jobs never re-schedule.
     */
    chain: z.optional(z.boolean()),
    /** Position in that schedule. */
    round: z.optional(z.int().check(z.gte(0), z.lte(100))),
  })
  .check(z.refine((job) => Boolean(job.paymentId || job.transactionId), 'paymentId or transactionId'));
export type VerifyJob = z.infer<typeof VerifyJob>;

/** Deliver one outbox row to the merchant. */
export const NotifyJob = z.object({
  type: z.literal('notify'),
  outboxId: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type NotifyJob = z.infer<typeof NotifyJob>;
