/**
 * How long payments stay open, and how often they are re-checked. All
 * durations in milliseconds. One place, so the cron, the queue and the
 * public poll agree.
 */
import type { Flow } from './payment.ts';

/**
 * After this, the payer can no longer pay: Djomy's gateway session dies after
 * about an hour (docs/djomy.md#gateway-payment); operator prompts expire
 * within minutes; links live until their own expiry, so we allow a day.
 */
export const PAYMENT_LIFETIME: Record<Flow, number> = {
  gateway: 65 * 60_000,
  direct: 30 * 60_000,
  link: 24 * 60 * 60_000,
  external: 24 * 60 * 60_000,
};

/**
 * The cron closes a payment Djomy still reports open this long after its
 * expiry (Djomy's own Odoo plugin gives up on pending payments after two hours).
 */
export const CLOSE_AFTER_EXPIRY = 60 * 60_000;

/** A browser poll triggers a Djomy check at most this often per payment. */
export const POLL_VERIFY_INTERVAL = 5_000;

/** The cron leaves alone what was verified this recently (the queue is on it). */
export const CRON_VERIFY_IDLE = 2 * 60_000;

/** `PROMPTS_PER_PHONE` direct-flow prompts are allowed per payer phone in this window. */
export const PROMPT_WINDOW = 10 * 60_000;

/** OTP codes that may reach Djomy for one payment; then the payer starts again. */
export const MAX_OTP_ATTEMPTS = 5;

/**
 * Djomy transactions are followed (by the cron) until Djomy closes them, but
 * not forever: one Djomy still reports open after this long is left to a human.
 */
export const FOLLOW_TRANSACTIONS_FOR = 7 * 24 * 60 * 60_000;

/**
 * An open-status webhook this soon after a check, or after our create's answer,
 * tells nothing new: its job makes no Djomy call.
 */
export const RECENT_CHECK_FOR_OPEN_EVENTS = 15_000;

/** A create with no outcome for this long was abandoned mid-call (the isolate died). */
export const CREATE_ABANDONED_AFTER = 60_000;

/**
 * After a lost create answer, Djomy's list is searched this long for other
 * transactions of the order (a replaced portal session): Djomy closes an
 * unused gateway session within about an hour.
 */
export const SWEEP_LOST_CREATES_FOR = 2 * 60 * 60_000;

/** Reloads of the return page make at most one Djomy call per payment this often. */
export const RETURN_VERIFY_INTERVAL = 3_000;

/** A webhook's verify job waits this long, so duplicates and a check already running settle first. */
export const WEBHOOK_VERIFY_DELAY_SECONDS = 2;

/** The verify job queued after an OTP (when the payment is still open) runs this much later. */
export const OTP_VERIFY_DELAY_SECONDS = 5;

/** A merchant event never tried this long after it was written is delivered by the cron. */
export const OUTBOX_UNTRIED = 60_000;

/** A merchant event whose last try is this old is tried again by the cron. */
export const OUTBOX_IDLE = 10 * 60_000;

/** A merchant event still undelivered after this long is given up (marked failed). */
export const OUTBOX_GIVE_UP = 3 * 24 * 60 * 60_000;
