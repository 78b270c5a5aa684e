/**
 * The reconciliation cron: webhooks get lost, queue messages exhaust their
 * retries, isolates die mid-call. Each run works in lanes, each with its own
 * bound, so that none can starve another (a backlog of one kind never keeps
 * the others waiting) and one run stays within a Worker invocation's budget
 * of D1 queries, subrequests and time (docs/free-plan.md):
 *
 * 1. follow: queue a verify for Djomy transactions still open — of any
 *    order, paid or closed, since money may arrive on any of them — least
 *    recently checked first, and stamp them;
 * 2. outbox: re-queue merchant notifications left pending, give up on very
 *    old ones;
 * 3. sweep: payments whose create answer was lost: one search of Djomy's
 *    list (a few pages) finds the transactions Djomy did create, which are
 *    recorded on their order (adopted when it has none); orders it surely
 *    never created are closed once expired; the rest are stamped, so the next
 *    run looks at others;
 * 4. retention: purge old webhook bodies, idempotency keys and payer phones.
 */
import { describeError } from '../lib/log.ts';
import { forgetOldIdempotencyKeys } from '../store/idempotency.ts';
import { listStuckOutbox, recordDelivery } from '../store/outbox.ts';
import {
  forgetOldPayerPhones,
  knownTransactions,
  listPaymentsToSweep,
  listTransactionsToFollow,
  markPaymentsSwept,
  markTransactionsQueued,
} from '../store/payments.ts';
import { forgetOldWebhookEvents } from '../store/webhook-events.ts';
import { commitTransition } from './commit-transition.ts';
import type { PaymentDeps } from './deps.ts';
import { searchDjomyList } from './find-creation.ts';
import {
  CREATE_ABANDONED_AFTER,
  CRON_VERIFY_IDLE,
  FOLLOW_TRANSACTIONS_FOR,
  OUTBOX_GIVE_UP,
  OUTBOX_IDLE,
  SWEEP_LOST_CREATES_FOR,
} from './model/lifetimes.ts';
import type { NotifyJob, VerifyJob } from './model/messages.ts';
import { closeInLedger } from './model/status.ts';
import { verifyTransaction } from './verify-payment.ts';

/** Per-run bounds of each lane; their sum keeps a run within the Free plan's 50 D1 queries and 50 subrequests. */
export const CRON_LIMITS = {
  /** Transactions queued for a verify per run (2 queue sends, 3 D1 statements). */
  follow: 200,
  /** Outbox rows re-queued per run. */
  outbox: 100,
  /** Outbox rows given up per run (one D1 statement each). */
  outboxGiveUp: 5,
  /** Payments whose transactions are looked for in Djomy's list per run. */
  creation: 50,
  /** Pages of Djomy's list read per run (one Djomy call each). */
  listPages: 3,
  /** Transactions found in the list and recorded per run (a status call and a D1 write each). */
  adoptions: 5,
  /** Payments never created closed per run (one D1 batch each). */
  closes: 5,
  /** Rows purged per table per run. */
  purge: 500,
} as const;

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** A lane does not start once the run is this old: the next run, in 5 minutes, goes on. */
const RUN_DEADLINE_MS = 20_000;
const DAY = 24 * 60 * 60_000;

export interface ReconcileReport {
  verifyQueued: number;
  notifyQueued: number;
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
  const open = await listTransactionsToFollow(deps.db, {
    idleSince: now - CRON_VERIFY_IDLE,
    createdSince: now - FOLLOW_TRANSACTIONS_FOR,
    limit: CRON_LIMITS.follow,
  });
  const jobs: VerifyJob[] = open.map((t) => ({
    type: 'verify',
    transactionId: t.transactionId,
    source: 'cron',
  }));
  await sendAll(deps.verifyQueue, jobs);
  // Counted as checked now, so that the next run does not queue them again
  // while these jobs are still waiting (a slow Djomy, a long backlog).
  await markTransactionsQueued(
    deps.db,
    open.map((t) => t.transactionId),
    now,
  );
  report.verifyQueued = jobs.length;
}

async function resendOutbox(deps: PaymentDeps, now: number, report: ReconcileReport): Promise<void> {
  const stuck = await listStuckOutbox(deps.db, now - OUTBOX_IDLE, CRON_LIMITS.outbox);
  const notify: NotifyJob[] = [];
  for (const row of stuck) {
    if (now - row.createdAt <= OUTBOX_GIVE_UP) notify.push({ type: 'notify', outboxId: row.id });
    else if (report.outboxAbandoned < CRON_LIMITS.outboxGiveUp) {
      await recordDelivery(deps.db, row.id, { state: 'failed', error: row.lastError ?? 'gave up' }, now);
      report.outboxAbandoned++;
    }
  }
  await sendAll(deps.notifyQueue, notify);
  report.notifyQueued = notify.length;
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
  report.purged =
    (await forgetOldWebhookEvents(deps.db, before, CRON_LIMITS.purge)) +
    (await forgetOldIdempotencyKeys(deps.db, before, CRON_LIMITS.purge)) +
    (await forgetOldPayerPhones(deps.db, before, CRON_LIMITS.purge));
}

/**
 * @example const report = await reconcile(deps)
 */
export async function reconcile(deps: PaymentDeps): Promise<ReconcileReport> {
  const now = deps.now();
  const started = Date.now();
  const report: ReconcileReport = {
    verifyQueued: 0,
    notifyQueued: 0,
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
      deps.log.error('cron lane failed', { lane: name, error: describeError(error) });
    });
  }
  deps.log.info('reconciliation done', { ...report });
  return report;
}
