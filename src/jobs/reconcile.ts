/**
 * The reconciliation cron (SPEC §5): webhooks get lost, queue messages
 * exhaust their retries, isolates die mid-call. Every run:
 *
 * 1. queues a verify for open payments not checked recently, oldest first,
 *    at most `BATCH` per run, and stamps them as checked (the verify consumer
 *    also closes, in our ledger, those Djomy still reports open long after
 *    their expiry);
 * 2. settles payments Djomy never created: adopts the transaction when a
 *    timed-out direct create did reach Djomy, else closes them once expired;
 * 3. re-queues merchant notifications left pending, and gives up on those
 *    older than `OUTBOX_GIVE_UP`.
 */
import { describeError } from '../lib/log.ts';
import { commitTransition } from '../payments/commit-transition.ts';
import { adoptFromDjomyList } from '../payments/create-payment.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { CRON_VERIFY_IDLE } from '../payments/lifetimes.ts';
import { closeInLedger } from '../payments/status.ts';
import { listStuckOutbox, recordDelivery } from '../store/outbox.ts';
import { listOpenPayments, markVerifyQueued } from '../store/payments.ts';
import type { NotifyJob, VerifyJob } from './messages.ts';

const BATCH = 500;
/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
const OUTBOX_IDLE = 10 * 60_000;
const OUTBOX_GIVE_UP = 3 * 24 * 60 * 60_000;
/** A create that has had no answer for this long was abandoned. */
const CREATE_ABANDONED = 60_000;

export interface ReconcileReport {
  verifyQueued: number;
  adopted: number;
  closed: number;
  notifyQueued: number;
  outboxAbandoned: number;
}

async function sendAll<T>(queue: Queue<T>, bodies: T[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += SEND_BATCH) {
    await queue.sendBatch(bodies.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  }
}

/**
 * @example const report = await reconcile(deps)
 */
export async function reconcile(deps: PaymentDeps): Promise<ReconcileReport> {
  const now = deps.now();
  const report: ReconcileReport = {
    verifyQueued: 0,
    adopted: 0,
    closed: 0,
    notifyQueued: 0,
    outboxAbandoned: 0,
  };

  const open = await listOpenPayments(deps.db, {
    verifiedBefore: now - CRON_VERIFY_IDLE,
    createdBefore: now - CREATE_ABANDONED,
    limit: BATCH,
  });
  const verify: VerifyJob[] = [];
  for (const payment of open) {
    if (payment.transactionId) {
      verify.push({ type: 'verify', paymentId: payment.id, source: 'cron' });
      continue;
    }
    const unknownOutcome = !payment.createError || payment.createError.outcomeUnknown;
    if (payment.flow === 'direct' && unknownOutcome) {
      const adopted = await adoptFromDjomyList(deps, payment).catch((error: unknown) => {
        deps.log.warn('cron could not search Djomy', { paymentId: payment.id, error: describeError(error) });
        return null;
      });
      if (adopted) {
        report.adopted++;
        verify.push({ type: 'verify', paymentId: adopted.id, source: 'cron' });
        continue;
      }
    }
    if (now > payment.expiresAt) {
      const close = closeInLedger(payment, 'never_created_at_djomy');
      if (
        close.change &&
        (await commitTransition(deps, payment, close, { source: 'cron', now, verified: false }))
      ) {
        report.closed++;
      }
    }
  }
  await sendAll(deps.verifyQueue, verify);
  // Counted as checked now, so that the next run does not queue them again
  // while these jobs are still waiting (a slow Djomy, a long backlog).
  await markVerifyQueued(
    deps.db,
    verify.map((job) => job.paymentId as string),
    now,
  );
  report.verifyQueued = verify.length;

  const stuck = await listStuckOutbox(deps.db, now - OUTBOX_IDLE, BATCH);
  const notify: NotifyJob[] = [];
  for (const row of stuck) {
    if (now - row.createdAt > OUTBOX_GIVE_UP) {
      await recordDelivery(deps.db, row.id, { state: 'failed', error: row.lastError ?? 'gave up' }, now);
      report.outboxAbandoned++;
    } else notify.push({ type: 'notify', outboxId: row.id });
  }
  await sendAll(deps.notifyQueue, notify);
  report.notifyQueued = notify.length;

  deps.log.info('reconciliation done', { ...report });
  return report;
}
