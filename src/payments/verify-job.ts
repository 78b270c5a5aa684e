/**
 * A verify job: what a message of the `verify` queue asks, done. The
 * consumer (src/jobs/verify-consumer.ts) only parses the message and turns
 * the outcome into an ack, a retry or a dead letter.
 *
 * - A job names one of our payments (its current transaction) or any Djomy
 *   transaction (webhooks, the cron): a transaction of another order's is
 *   recorded on it (docs/money-safety.md).
 * - Closed transactions are not asked again, except on an event that says
 *   something new (a refund of a success, a success after an unpaid close).
 * - Open payments on the young-payment schedule are re-queued with growing
 *   delays; after the schedule the cron takes over. A payment whose create
 *   answer was lost is looked for in Djomy's list on the same schedule.
 * - A job from the cron closes, in our ledger, a payment Djomy still reports
 *   open long after its expiry.
 */
import { DjomyError } from '../djomy/errors.ts';
import { describeError } from '../lib/log.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { getPayment, getTransaction, recordVerifyError } from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import { djomyOf, type PaymentDeps } from './deps.ts';
import { lookForCreation } from './find-creation.ts';
import {
  CLOSE_AFTER_EXPIRY,
  CREATE_ABANDONED_AFTER,
  RECENT_CHECK_FOR_OPEN_EVENTS,
} from './model/lifetimes.ts';
import type { EventSource, VerifyJob } from './model/messages.ts';
import type { Payment, PaymentTransaction } from './model/payment.ts';
import { closedByLedger, closeInLedger, isTerminal, isTerminalText } from './model/status.ts';
import { applyAnswer, NotAtDjomyError, verifyPayment, verifyTransaction } from './verify-payment.ts';

export type VerifyJobOutcome =
  | { kind: 'done' }
  /** A Djomy fault worth retrying later with backoff. */
  | { kind: 'retry'; reason: string }
  /** Repeating cannot help (a configuration problem, Djomy refusing the question): recorded as a dead letter. */
  | { kind: 'given_up'; reason: string };

/** Webhook events that only say a payment is still open. */
export const OPEN_EVENTS: ReadonlySet<string> = new Set([
  'payment.created',
  'payment.redirected',
  'payment.pending',
]);

/** Whether a job about one of our payments (its current transaction) is worth a Djomy call. */
export function needsDjomyCall(
  payment: Payment,
  job: VerifyJob,
  now: number,
  schedule: readonly number[],
): boolean {
  if (isTerminal(payment.status) && !closedByLedger(payment)) {
    return payment.status === 'SUCCESS' && job.hint === 'payment.refunded';
  }
  const sinceCheck = payment.verifiedAt === null ? Number.POSITIVE_INFINITY : now - payment.verifiedAt;
  if (job.source === 'webhook' && job.hint && OPEN_EVENTS.has(job.hint))
    return sinceCheck > RECENT_CHECK_FOR_OPEN_EVENTS;
  if (job.chain) {
    const delay = schedule[job.round ?? 0] ?? schedule[0] ?? 0;
    return sinceCheck > (delay * 1000) / 2;
  }
  return true;
}

/**
 * Whether a job about one Djomy transaction is worth a call. A transaction
 * Djomy closed is asked again only when an event says something new about
 * it: a refund of a success, or a success after an unpaid close.
 */
export function transactionNeedsCall(
  transaction: PaymentTransaction,
  trigger: Trigger,
  now: number,
): boolean {
  if (trigger.source === 'webhook' && trigger.hint && OPEN_EVENTS.has(trigger.hint)) {
    // Djomy's last word on it: a status check, or the answer to our own create a moment ago.
    const lastWord =
      transaction.verifiedAt ?? (transaction.origin === 'create' ? transaction.createdAt : null);
    if (lastWord !== null && now - lastWord <= RECENT_CHECK_FOR_OPEN_EVENTS) return false;
  }
  if (transaction.verifiedAt === null) return true;
  if (isTerminalText(transaction.status)) {
    if (transaction.status === 'SUCCESS') return trigger.hint === 'payment.refunded';
    if (transaction.status === 'REFUNDED') return false;
    return trigger.hint === 'payment.success';
  }
  return true;
}

/** What asks about a transaction: a webhook (with its event type as a hint), the cron, a job. */
export interface Trigger {
  source: EventSource;
  hint?: string;
}

export type CheckOutcome = 'checked' | 'skipped' | 'unknown_to_djomy';

/**
 * Asks Djomy about one transaction when that can tell something new, and
 * applies the answer to its order (recording the transaction and, for a
 * payment we did not create, the order itself). From the cron, an order
 * Djomy still reports open long after its expiry is then closed in our
 * ledger. Djomy faults are thrown.
 *
 * @example await checkTransaction(deps, transactionId, { source: 'webhook', hint: 'payment.success' })
 */
export async function checkTransaction(
  deps: PaymentDeps,
  transactionId: string,
  trigger: Trigger,
  known?: { transaction: PaymentTransaction; payment: Payment } | null,
): Promise<CheckOutcome> {
  const recorded = known === undefined ? await getTransaction(deps.db, transactionId) : known;
  if (!recorded) {
    const outcome = await verifyTransaction(deps, transactionId, trigger.source);
    if (!outcome) deps.log.warn('Djomy does not know this transaction', { transactionId });
    return outcome ? 'checked' : 'unknown_to_djomy';
  }
  const now = deps.now();
  let payment = recorded.payment;
  const needed = transactionNeedsCall(recorded.transaction, trigger, now);
  if (needed) {
    try {
      const answer = await djomyOf(deps).getPaymentStatus(transactionId);
      payment = (await applyAnswer(deps, payment, answer, trigger.source)).payment;
    } catch (error) {
      await recordVerifyError(deps.db, payment.id, describeError(error)).catch(() => undefined);
      throw error;
    }
  }
  if (trigger.source === 'cron' && payment.transactionId === transactionId)
    await closeIfOverdue(deps, payment, now);
  return needed ? 'checked' : 'skipped';
}

/** A cron job closes, in our ledger, an order Djomy still reports open long after its expiry. */
async function closeIfOverdue(deps: PaymentDeps, payment: Payment, now: number): Promise<void> {
  if (isTerminal(payment.status) || now <= payment.expiresAt + CLOSE_AFTER_EXPIRY) return;
  const close = closeInLedger(payment, 'open_at_djomy_long_after_expiry');
  if (close.change) await commitTransition(deps, payment, close, { source: 'cron', now, verified: false });
}

async function runPaymentJob(deps: PaymentDeps, job: VerifyJob, paymentId: string): Promise<void> {
  let payment = await getPayment(deps.db, paymentId);
  if (!payment) return deps.log.warn('verify job for an unknown payment', { paymentId });
  const now = deps.now();
  if (!payment.transactionId) {
    // Djomy's answer to the create was lost: keep looking in its list while the payment is young.
    const unknown =
      payment.createError?.outcomeUnknown ||
      (!payment.createError && now - payment.updatedAt > CREATE_ABANDONED_AFTER);
    if (!unknown || isTerminal(payment.status)) return;
    const found = await lookForCreation(deps, payment, job.source);
    if (found) payment = found;
    else return requeue(deps, job, payment);
  } else if (needsDjomyCall(payment, job, now, deps.config.limits.youngVerifySeconds)) {
    try {
      payment = (await verifyPayment(deps, payment, job.source)).payment;
    } catch (error) {
      if (!(error instanceof NotAtDjomyError)) {
        await recordVerifyError(deps.db, payment.id, describeError(error)).catch(() => undefined);
        throw error;
      }
    }
  }
  if (job.source === 'cron') return closeIfOverdue(deps, payment, now);
  await requeue(deps, job, payment);
}

/** The next check of the young-payment schedule, while the payment is open. */
async function requeue(deps: PaymentDeps, job: VerifyJob, payment: Payment): Promise<void> {
  const round = (job.round ?? 0) + 1;
  const schedule = deps.config.limits.youngVerifySeconds;
  if (job.chain && !isTerminal(payment.status) && round < schedule.length) {
    await deps.verifyQueue.send({ ...job, round }, { delaySeconds: schedule[round] as number });
  }
}

async function runJob(deps: PaymentDeps, job: VerifyJob): Promise<void> {
  if (job.transactionId) {
    await checkTransaction(deps, job.transactionId, { source: job.source, hint: job.hint });
    return;
  }
  return runPaymentJob(deps, job, job.paymentId as string);
}

/**
 * A business call refused twice with 401 although `/v1/auth` had just issued
 * a fresh token: a token that expired in flight, not wrong credentials (those
 * fail on `/v1/auth` itself). Worth a later retry with backoff; if it lasts,
 * the message's retries run out and it lands in the dead-letter queue.
 */
function tokenRace(error: DjomyError): boolean {
  return error.kind === 'unauthorized' && error.operation !== 'authenticate';
}

/**
 * Runs one verify job. Djomy faults become an outcome; a job that cannot
 * proceed is recorded as a dead letter here, with its reason.
 *
 * @example const outcome = await runVerifyJob(deps, job, message.attempts)
 */
export async function runVerifyJob(
  deps: PaymentDeps,
  job: VerifyJob,
  attempts: number,
): Promise<VerifyJobOutcome> {
  try {
    await runJob(deps, job);
    return { kind: 'done' };
  } catch (error) {
    if (error instanceof DjomyError && !error.transient && !tokenRace(error)) {
      const kind = error.configuration ? `configuration:${error.kind}` : `djomy:${error.kind}`;
      await recordDeadLetter(
        deps.db,
        {
          queue: 'djomy-verify',
          kind,
          paymentId: job.paymentId ?? null,
          body: job,
          error: error.message,
          attempts,
        },
        deps.now(),
      ).catch(() => undefined);
      return { kind: 'given_up', reason: kind };
    }
    return { kind: 'retry', reason: describeError(error) };
  }
}
