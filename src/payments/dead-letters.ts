/**
 * A job that exhausted its retries: recorded with the last error we saw, so
 * `GET /api/admin/dead-letters` shows it. The payment itself is left to the
 * cron, and a pending outbox row to the cron's outbox retry.
 */
import { recordDeadLetter } from '../store/dead-letters.ts';
import { getOutbox } from '../store/outbox.ts';
import { getPayment, getTransaction } from '../store/payments.ts';
import type { PaymentDeps } from './deps.ts';
import { NotifyJob, VerifyJob } from './model/messages.ts';

async function describe(deps: PaymentDeps, body: unknown) {
  const verify = VerifyJob.safeParse(body);
  if (verify.success) {
    const job = verify.data;
    const payment = job.paymentId
      ? await getPayment(deps.db, job.paymentId)
      : (await getTransaction(deps.db, job.transactionId as string))?.payment;
    return {
      queue: 'djomy-verify',
      paymentId: payment?.id ?? job.paymentId ?? null,
      error: payment?.lastError ?? null,
    };
  }
  const notify = NotifyJob.safeParse(body);
  if (notify.success) {
    const row = await getOutbox(deps.db, notify.data.outboxId);
    return { queue: 'djomy-notify', paymentId: row?.paymentId ?? null, error: row?.lastError ?? null };
  }
  return { queue: 'unknown', paymentId: null, error: null };
}

/**
 * @example await recordExhaustedJob(deps, message.body, message.attempts)
 */
export async function recordExhaustedJob(deps: PaymentDeps, body: unknown, attempts: number): Promise<void> {
  const { queue, paymentId, error } = await describe(deps, body);
  await recordDeadLetter(
    deps.db,
    { queue, kind: 'retries_exhausted', paymentId, body, error, attempts },
    deps.now(),
  );
  deps.log.error('job exhausted its retries', { queue, paymentId, error });
}
