/** Queue message bodies. They are validated again by each consumer: a queue is an input too. */

/** Where a status change came from; recorded on every payment event. */
export type EventSource = 'create' | 'otp' | 'webhook' | 'return' | 'poll' | 'cron' | 'admin' | 'link';

/** Ask Djomy for the status of one payment (ours by id, or any by Djomy transactionId). */
export interface VerifyJob {
  type: 'verify';
  paymentId?: string;
  transactionId?: string;
  source: EventSource;
  /** How many times this payment was re-scheduled while open (0 for the first check). */
  round: number;
}

/** Deliver one outbox row to the merchant. */
export interface NotifyJob {
  type: 'notify';
  outboxId: string;
}
