/**
 * The reconciliation cron: webhooks get lost, queue messages exhaust their
 * retries, isolates die mid-call. Each run works in lanes, each with its own
 * bound, so that none can starve another (a backlog of one kind never keeps
 * the others waiting) and one run stays within a Worker invocation's budget
 * of D1 queries, subrequests and time (docs/free-plan.md):
 *
 * 1. follow: check Djomy transactions still open — of any order, paid or
 *    closed, since money may arrive on any of them — whose next check is due
 *    (checks space out as they age), least recently checked first: in this
 *    invocation on the Free plan, through the verify queue on the Paid plan
 *    (the plan's `cronFollow` limits);
 * 2. outbox: merchant events left pending are delivered again (inline on the
 *    Free plan, re-queued on the Paid plan); very old ones are given up;
 * 3. sweep: payments whose create answer was lost: one search of Djomy's
 *    list (a few pages) finds the transactions Djomy did create, which are
 *    recorded on their order (adopted when it has none); orders it surely
 *    never created are closed once expired; the rest are stamped, so the next
 *    run looks at others;
 * 4. retention: purge old webhook bodies, idempotency keys and payer phones.
 */
import { forEachConcurrently } from '../lib/concurrency.ts';
import { isD1Error, recordIncident } from '../lib/incidents.ts';
import { describeError } from '../lib/log.ts';
import { listStuckOutbox, type OutboxRow, recordDelivery } from '../store/outbox.ts';
import {
  knownTransactions,
  listPaymentsToSweep,
  listTransactionsToFollow,
  markPaymentsSwept,
  markTransactionsQueued,
} from '../store/payments.ts';
import { purgeExpired } from '../store/retention.ts';
import { commitTransition } from './commit-transition.ts';
import { deliverNotification } from './deliver-notification.ts';
import type { PaymentDeps } from './deps.ts';
import { searchDjomyList } from './find-creation.ts';
import {
  CREATE_ABANDONED_AFTER,
  CRON_VERIFY_IDLE,
  FOLLOW_TRANSACTIONS_FOR,
  OUTBOX_GIVE_UP,
  OUTBOX_IDLE,
  OUTBOX_UNTRIED,
  SWEEP_LOST_CREATES_FOR,
} from './model/lifetimes.ts';
import type { NotifyJob, VerifyJob } from './model/messages.ts';
import { closeInLedger } from './model/status.ts';
import { checkTransaction } from './verify-job.ts';
import { verifyTransaction } from './verify-payment.ts';

/**
 * Per-run bounds of each lane besides `follow` (whose bound is the plan's);
 * with it, they keep a run within the Free plan's 50 D1 queries and 50
 * subrequests (test/budgets/ counts them).
 */
/** Between two alerts to the same Telegram chat. */
const TELEGRAM_SPACING_MS = 1100;

export const CRON_LIMITS = {
  /** Outbox rows delivered here when the queue refuses them (Paid plan). */
  outboxInlineFallback: 8,
  /** Outbox rows given up per run (one D1 statement each). */
  outboxGiveUp: 2,
  /** Payments whose transactions are looked for in Djomy's list per run. */
  creation: 50,
  /** Pages of Djomy's list read per run (one Djomy call each). */
  listPages: 2,
  /** Transactions found in the list and recorded per run (a status call and a D1 write each). */
  adoptions: 1,
  /** Payments never created closed per run (one D1 batch each). */
  closes: 2,
  /** Rows purged per table per run. */
  purge: 500,
} as const;

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** A lane does not start once the run is this old: the next run, in 5 minutes, goes on. */
const RUN_DEADLINE_MS = 20_000;
const DAY = 24 * 60 * 60_000;

export interface ReconcileReport {
  /** Transactions checked in the cron's own invocation (Free plan). */
  verified: number;
  /** Transactions queued for a verify job (Paid plan). */
  verifyQueued: number;
  notifyQueued: number;
  /** Merchant events delivered in the cron's own invocation. */
  notifyDelivered: number;
  outboxAbandoned: number;
  searched: number;
  listPages: number;
  adopted: number;
  closed: number;
  purged: number;
  /** Lanes skipped because the run ran out of time. */
  skipped: string[];
}

async function sendAll<T>(queue: Queue<T>, bodies: T[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += SEND_BATCH) {
    await queue.sendBatch(bodies.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  }
}

async function followTransactions(deps: PaymentDeps, now: number, report: ReconcileReport): Promise<void> {
  const { inline, perRun, concurrency } = deps.config.limits.cronFollow;
  const due = await listTransactionsToFollow(deps.db, {
    now,
    idle: CRON_VERIFY_IDLE,
    createdSince: now - FOLLOW_TRANSACTIONS_FOR,
    limit: perRun,
  });
  // Counted as checked now, so that the next run takes others while these
  // are being checked (a slow Djomy, a long backlog).
  await markTransactionsQueued(
    deps.db,
    due.map((d) => d.transaction.transactionId),
    now,
  );
  if (inline) {
    // Free plan: checked here, a few at a time, without spending queue operations.
    await forEachConcurrently(due, concurrency, async (known) => {
      const outcome = await checkTransaction(
        deps,
        known.transaction.transactionId,
        { source: 'cron' },
        known,
      ).catch((error: unknown) => {
        deps.log.warn('cron check failed', {
          transactionId: known.transaction.transactionId,
          error: describeError(error),
        });
        return 'failed' as const;
      });
      if (outcome === 'checked') report.verified++;
    });
    return;
  }
  const jobs: VerifyJob[] = due.map((d) => ({
    type: 'verify',
    transactionId: d.transaction.transactionId,
    source: 'cron',
  }));
  await sendAll(deps.verifyQueue, jobs);
  report.verifyQueued = jobs.length;
}

async function resendOutbox(deps: PaymentDeps, now: number, report: ReconcileReport): Promise<void> {
  const perRun = deps.config.limits.cronOutboxPerRun;
  const stuck = await listStuckOutbox(deps.db, {
    untriedSince: now - OUTBOX_UNTRIED,
    idleSince: now - OUTBOX_IDLE,
    limit: perRun + CRON_LIMITS.outboxGiveUp,
    now,
  });
  const due: OutboxRow[] = [];
  for (const row of stuck) {
    if (now - row.createdAt <= OUTBOX_GIVE_UP) {
      if (due.length < perRun) due.push(row);
    } else if (report.outboxAbandoned < CRON_LIMITS.outboxGiveUp) {
      await recordDelivery(deps.db, row.id, { state: 'failed', error: row.lastError ?? 'gave up' }, now);
      report.outboxAbandoned++;
    }
  }
  if (!deps.config.limits.notifyInline) {
    try {
      await sendAll(
        deps.notifyQueue,
        due.map((row): NotifyJob => ({ type: 'notify', outboxId: row.id })),
      );
      report.notifyQueued = due.length;
      return;
    } catch (error) {
      recordIncident('queue', error);
      // The queue refuses (its daily operations spent?): deliver a few here instead.
      deps.log.warn('notify re-queue failed; delivering now', { error: describeError(error) });
      due.splice(CRON_LIMITS.outboxInlineFallback);
    }
  }
  let lastAlertAt = 0;
  for (const row of due) {
    // Telegram takes about one message a second per chat.
    if (row.channel === 'telegram') {
      const wait = lastAlertAt + TELEGRAM_SPACING_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastAlertAt = Date.now();
    }
    const outcome = await deliverNotification(deps, row).catch(() => null);
    if (outcome?.kind === 'done') report.notifyDelivered++;
  }
}

async function sweepCreations(deps: PaymentDeps, now: number, report: ReconcileReport): Promise<void> {
  const pending = await listPaymentsToSweep(deps.db, {
    idleSince: now - CRON_VERIFY_IDLE,
    createdBefore: now - CREATE_ABANDONED_AFTER,
    lostSince: now - SWEEP_LOST_CREATES_FOR,
    limit: CRON_LIMITS.creation,
  });
  if (pending.length === 0) return;
  report.searched = pending.length;
  const search = await searchDjomyList(deps, pending, { maxPages: CRON_LIMITS.listPages }).catch(
    (error: unknown) => {
      deps.log.warn('cron could not search Djomy', { error: describeError(error) });
      return null;
    },
  );
  report.listPages = search?.pages ?? 0;
  const found = [...(search?.found.values() ?? [])].flat();
  const known = found.length > 0 ? await knownTransactions(deps.db, found) : new Set<string>();
  const swept: string[] = [];
  for (const payment of pending) {
    const unknown = (search?.found.get(payment.id) ?? []).filter((id) => !known.has(id));
    let settled = true;
    for (const transactionId of unknown) {
      if (report.adopted >= CRON_LIMITS.adoptions) {
        settled = false;
        break;
      }
      // Asked of the status endpoint, then recorded on the order (adopted if it has none).
      const recorded = await verifyTransaction(deps, transactionId, 'cron').catch((error: unknown) => {
        deps.log.warn('cron could not record a transaction', {
          paymentId: payment.id,
          error: describeError(error),
        });
        return null;
      });
      if (recorded) report.adopted++;
      else settled = false;
    }
    // Closed only when the list surely shows Djomy never created it (a failed search proves nothing).
    const neverCreated =
      search !== null && !payment.transactionId && unknown.length === 0 && search.covered.has(payment.id);
    if (neverCreated && now > payment.expiresAt && report.closed < CRON_LIMITS.closes) {
      const close = closeInLedger(payment, 'never_created_at_djomy');
      if (
        close.change &&
        (await commitTransition(deps, payment, close, { source: 'cron', now, verified: false }))
      ) {
        report.closed++;
      }
    }
    if (settled) swept.push(payment.id);
  }
  await markPaymentsSwept(deps.db, swept, now);
}

async function purgeExpiredData(deps: PaymentDeps, now: number, report: ReconcileReport): Promise<void> {
  const before = now - deps.config.retentionDays * DAY;
  report.purged = await purgeExpired(deps.db, before, CRON_LIMITS.purge);
}

/**
 * @example const report = await reconcile(deps)
 */
export async function reconcile(deps: PaymentDeps): Promise<ReconcileReport> {
  const now = deps.now();
  const started = Date.now();
  const report: ReconcileReport = {
    verified: 0,
    verifyQueued: 0,
    notifyQueued: 0,
    notifyDelivered: 0,
    outboxAbandoned: 0,
    searched: 0,
    listPages: 0,
    adopted: 0,
    closed: 0,
    purged: 0,
    skipped: [],
  };
  const lanes: [string, (deps: PaymentDeps, now: number, report: ReconcileReport) => Promise<void>][] = [
    ['follow', followTransactions],
    ['outbox', resendOutbox],
    ['sweep', sweepCreations],
    ['retention', purgeExpiredData],
  ];
  for (const [name, lane] of lanes) {
    if (Date.now() - started > RUN_DEADLINE_MS) {
      report.skipped.push(name);
      continue;
    }
    // One lane failing (D1 or a queue refusing) does not stop the others.
    await lane(deps, now, report).catch((error: unknown) => {
      if (isD1Error(error)) recordIncident('d1', error);
      deps.log.error('cron lane failed', { lane: name, error: describeError(error) });
    });
  }
  deps.log.info('reconciliation done', { ...report });
  return report;
}
