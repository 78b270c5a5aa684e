/**
 * The `verify` queue consumer: parses each message, runs it as a verify job
 * (src/payments/verify-job.ts) and acks or retries it. Each message is
 * handled on its own: one bad message never retries the batch. Djomy faults
 * retry with exponential backoff; what exhausts the retries goes to the
 * dead-letter queue.
 */
import type { PaymentDeps } from '../payments/deps.ts';
import { VerifyJob } from '../payments/model/messages.ts';
import { runVerifyJob } from '../payments/verify-job.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { retryDelaySeconds } from './backoff.ts';

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
  const outcome = await runVerifyJob({ ...deps, log }, job, message.attempts);
  if (outcome.kind === 'retry') {
    log.warn('verify failed; retrying', { error: outcome.reason, attempts: message.attempts });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  if (outcome.kind === 'given_up') log.error('verify cannot proceed', { kind: outcome.reason });
  message.ack();
}
