/**
 * The `verify` queue consumer (SPEC §5). Each message is handled on its own:
 * one bad message never retries the batch.
 *
 * - Terminal payments are not checked again, except on a refund event.
 * - Open payments on the young-payment schedule are re-queued with growing
 *   delays; after the schedule the cron takes over.
 * - Djomy faults retry with exponential backoff; what exhausts the retries
 *   goes to the dead-letter queue. A configuration problem (credentials, edge
 *   refusal of the Worker's IP or partner domain) is recorded and not retried:
 *   repeating cannot help, and the cron will try again once it is fixed.
 * - A job from the cron closes, in our ledger, a payment Djomy still reports
 *   open long after its expiry.
 */
import { DjomyError } from '../djomy/errors.ts';
import { describeError } from '../lib/log.ts';
import { commitTransition } from '../payments/commit-transition.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { CLOSE_AFTER_EXPIRY, YOUNG_VERIFY_DELAYS_SECONDS } from '../payments/lifetimes.ts';
import type { Payment } from '../payments/payment.ts';
import { closeInLedger, isTerminal } from '../payments/status.ts';
import { NotAtDjomyError, verifyPayment, verifyTransaction } from '../payments/verify-payment.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { getPayment, getPaymentByTransaction, recordVerifyError } from '../store/payments.ts';
import { retryDelaySeconds } from './backoff.ts';
import { VerifyJob } from './messages.ts';

const OPEN_EVENTS = new Set(['payment.created', 'payment.redirected', 'payment.pending']);
/** An open-status webhook right after a check tells us nothing new. */
const RECENT_CHECK_MS = 15_000;

function closedByLedger(payment: Payment): boolean {
  return payment.status === 'TIMEOUT' && payment.closeReason !== null;
}

/** Whether this job is worth a Djomy call (djomy-api.md §11: fewer calls, same truth). */
export function needsDjomyCall(payment: Payment, job: VerifyJob, now: number): boolean {
  if (isTerminal(payment.status) && !closedByLedger(payment)) {
    return payment.status === 'SUCCESS' && job.hint === 'payment.refunded';
  }
  const sinceCheck = payment.verifiedAt === null ? Number.POSITIVE_INFINITY : now - payment.verifiedAt;
  if (job.source === 'webhook' && job.hint && OPEN_EVENTS.has(job.hint)) return sinceCheck > RECENT_CHECK_MS;
  if (job.chain) {
    const delay = YOUNG_VERIFY_DELAYS_SECONDS[job.round ?? 0] ?? YOUNG_VERIFY_DELAYS_SECONDS[0];
    return sinceCheck > (delay * 1000) / 2;
  }
  return true;
}

async function runVerifyJob(deps: PaymentDeps, job: VerifyJob): Promise<void> {
  let payment = job.paymentId
    ? await getPayment(deps.db, job.paymentId)
    : await getPaymentByTransaction(deps.db, job.transactionId as string);
  if (!payment) {
    if (!job.transactionId)
      return deps.log.warn('verify job for an unknown payment', { paymentId: job.paymentId });
    const outcome = await verifyTransaction(deps, job.transactionId, job.source);
    if (!outcome) deps.log.warn('Djomy does not know this transaction', { transactionId: job.transactionId });
    return;
  }
  if (!payment.transactionId) return; // never created at Djomy: the cron decides
  const now = deps.now();
  if (needsDjomyCall(payment, job, now)) {
    try {
      payment = (await verifyPayment(deps, payment, job.source)).payment;
    } catch (error) {
      if (!(error instanceof NotAtDjomyError)) {
        await recordVerifyError(deps.db, payment.id, describeError(error)).catch(() => undefined);
        throw error;
      }
    }
  }
  if (job.source === 'cron' && !isTerminal(payment.status) && now > payment.expiresAt + CLOSE_AFTER_EXPIRY) {
    const close = closeInLedger(payment, 'open_at_djomy_long_after_expiry');
    if (close.change) await commitTransition(deps, payment, close, { source: 'cron', now, verified: false });
    return;
  }
  const round = (job.round ?? 0) + 1;
  if (job.chain && !isTerminal(payment.status) && round < YOUNG_VERIFY_DELAYS_SECONDS.length) {
    await deps.verifyQueue.send(
      { ...job, round },
      { delaySeconds: YOUNG_VERIFY_DELAYS_SECONDS[round] as number },
    );
  }
}

/**
 * A business call refused twice with 401 although `/v1/auth` had just issued
 * a fresh token: a token that expired in flight, not wrong credentials (those
 * fail on `/v1/auth` itself). Worth a later retry with backoff; if it lasts,
 * the message's retries run out and it lands in the dead-letter queue.
 */
function tokenRace(error: DjomyError): boolean {
  return (
    error.kind === 'unauthorized' && error.operation !== 'authenticate' && error.operation !== 'configuration'
  );
}

/**
 * Handles one message and acks or retries it; never throws.
 *
 * @example await handleVerifyMessage(deps, message)
 */
export async function handleVerifyMessage(deps: PaymentDeps, message: Message<unknown>): Promise<void> {
  const parsed = VerifyJob.safeParse(message.body);
  if (!parsed.success) {
    await recordDeadLetter(
      deps.db,
      {
        queue: 'djomy-verify',
        kind: 'invalid_message',
        paymentId: null,
        body: message.body,
        error: 'not a verify job',
        attempts: message.attempts,
      },
      deps.now(),
    ).catch(() => undefined);
    message.ack();
    return;
  }
  const job = parsed.data;
  const log = deps.log.with({
    messageId: message.id,
    paymentId: job.paymentId,
    transactionId: job.transactionId,
  });
  try {
    await runVerifyJob({ ...deps, log }, job);
    message.ack();
  } catch (error) {
    if (error instanceof DjomyError && !error.transient && !tokenRace(error)) {
      // Repeating cannot help: a configuration problem, or Djomy refusing the question.
      const kind = error.configuration ? `configuration:${error.kind}` : `djomy:${error.kind}`;
      log.error('verify cannot proceed', { kind: error.kind, status: error.status });
      await recordDeadLetter(
        deps.db,
        {
          queue: 'djomy-verify',
          kind,
          paymentId: job.paymentId ?? null,
          body: job,
          error: error.message,
          attempts: message.attempts,
        },
        deps.now(),
      ).catch(() => undefined);
      message.ack();
      return;
    }
    log.warn('verify failed; retrying', { error: describeError(error), attempts: message.attempts });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
