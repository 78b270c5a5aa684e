/**
 * The dead-letter queue consumer: records each job that exhausted its
 * retries, with the last error we saw, so `GET /api/admin/dead-letters`
 * shows it. The payment itself is left to the cron, and a pending outbox row
 * to the cron's outbox retry.
 */
import type { PaymentDeps } from '../payments/deps.ts';
import { NotifyJob, VerifyJob } from '../payments/messages.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { getOutbox } from '../store/outbox.ts';
import { getPayment, getTransaction } from '../store/payments.ts';

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

export async function handleDeadLetter(deps: PaymentDeps, message: Message<unknown>): Promise<void> {
  try {
    const { queue, paymentId, error } = await describe(deps, message.body);
    await recordDeadLetter(
      deps.db,
      { queue, kind: 'retries_exhausted', paymentId, body: message.body, error, attempts: message.attempts },
      deps.now(),
    );
    deps.log.error('job exhausted its retries', { queue, paymentId, error });
    message.ack();
  } catch {
    message.retry({ delaySeconds: 30 });
  }
}
