/**
 * D1 for payments and their Djomy transactions. This module owns the SQL and
 * the D1 batches (transactions) of the ledger: callers state an intent —
 * insert a new payment with its idempotency key, apply a change decided by
 * the state machine, claim the right to verify — and get the row back.
 *
 * A status change is one D1 batch: the transaction row, the payment row
 * (compare-and-set on its version, so that concurrent writers cannot both
 * apply), its event, and its merchant outbox rows. The event and outbox rows
 * follow the payment row's `transition_id`, so a writer that lost the race
 * writes nothing but what is true whoever won: the transaction row.
 */
import { type PaymentStatus, TERMINAL_STATUSES } from '../djomy/schemas.ts';
import { randomId } from '../lib/ids.ts';
import type { OutboxDraft } from '../payments/model/merchant-event.ts';
import type { EventSource } from '../payments/model/messages.ts';
import {
  type CreateError,
  type Flow,
  type Metadata,
  type OrderLine,
  PAYMENT_ID_PATTERN,
  type Payment,
  type PaymentTransaction,
} from '../payments/model/payment.ts';
import { dayRange, type PaymentFilter, searchPattern } from '../payments/model/payment-filter.ts';
import { type Change, OPEN_STATUSES } from '../payments/model/status.ts';
import { eventInsert } from './events.ts';
import { outboxInsert } from './outbox.ts';

/** A list of statuses as an SQL literal, from the state machine's own lists (never typed twice). */
const sqlList = (statuses: Iterable<string>) => `(${[...statuses].map((s) => `'${s}'`).join(', ')})`;
const OPEN_SQL = sqlList(OPEN_STATUSES);
const TERMINAL_SQL = sqlList(TERMINAL_STATUSES);

interface PaymentRow {
  id: string;
  flow: Flow;
  status: PaymentStatus;
  paid: number;
  version: number;
  amount: number;
  currency: string;
  country_code: string;
  payment_method: string | null;
  payer_phone: string | null;
  reference: string | null;
  items: string | null;
  metadata: string | null;
  allowed_methods: string | null;
  success_url: string | null;
  cancel_url: string | null;
  transaction_id: string | null;
  next_url: string | null;
  link_reference: string | null;
  paid_amount: number | null;
  received_amount: number | null;
  fees: number | null;
  djomy_currency: string | null;
  flag: string | null;
  create_error: string | null;
  close_reason: string | null;
  last_error: string | null;
  verify_count: number;
  verified_at: number | null;
  otp_attempts: number;
  paid_at: number | null;
  lost_create_at: number | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    flow: row.flow,
    status: row.status,
    paid: row.paid === 1,
    version: row.version,
    amount: row.amount,
    currency: row.currency,
    countryCode: row.country_code,
    paymentMethod: row.payment_method,
    payerPhone: row.payer_phone,
    reference: row.reference,
    items: parseJson<OrderLine[]>(row.items),
    metadata: parseJson<Metadata>(row.metadata),
    allowedMethods: parseJson<string[]>(row.allowed_methods),
    successUrl: row.success_url,
    cancelUrl: row.cancel_url,
    transactionId: row.transaction_id,
    nextUrl: row.next_url,
    linkReference: row.link_reference,
    paidAmount: row.paid_amount,
    receivedAmount: row.received_amount,
    fees: row.fees,
    djomyCurrency: row.djomy_currency,
    flag: row.flag,
    createError: parseJson<CreateError>(row.create_error),
    closeReason: row.close_reason,
    lastError: row.last_error,
    verifyCount: row.verify_count,
    verifiedAt: row.verified_at,
    otpAttempts: row.otp_attempts,
    paidAt: row.paid_at,
    lostCreateAt: row.lost_create_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

interface TransactionRow {
  transaction_id: string;
  payment_id: string;
  status: string;
  origin: 'create' | 'found';
  next_url: string | null;
  paid_amount: number | null;
  flag: string | null;
  verified_at: number | null;
  created_at: number;
  updated_at: number;
}

function toTransaction(row: TransactionRow): PaymentTransaction {
  return {
    transactionId: row.transaction_id,
    paymentId: row.payment_id,
    status: row.status,
    origin: row.origin,
    nextUrl: row.next_url,
    paidAmount: row.paid_amount,
    flag: row.flag,
    verifiedAt: row.verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What we learnt about one Djomy transaction of an order: a create answer, or a status-endpoint answer. */
export interface TransactionNews {
  transactionId: string;
  paymentId: string;
  status: string;
  origin: 'create' | 'found';
  nextUrl?: string | null;
  paidAmount?: number | null;
  flag?: string | null;
  /** Set when `status` comes from the status endpoint (not a hint). */
  verified: boolean;
}

/**
 * Records a transaction of an order, or what is new about it. Unconditional:
 * whatever happens to the order, Djomy's transaction is on record. A hint
 * never overwrites a status the status endpoint gave.
 */
function transactionUpsert(db: D1Database, news: TransactionNews, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO payment_transactions (transaction_id, payment_id, status, origin, next_url, paid_amount, flag,
         verified_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
       ON CONFLICT (transaction_id) DO UPDATE SET
         status = CASE WHEN excluded.verified_at IS NULL AND payment_transactions.verified_at IS NOT NULL
                       THEN payment_transactions.status ELSE excluded.status END,
         next_url = coalesce(payment_transactions.next_url, excluded.next_url),
         paid_amount = coalesce(excluded.paid_amount, payment_transactions.paid_amount),
         flag = coalesce(excluded.flag, payment_transactions.flag),
         verified_at = coalesce(excluded.verified_at, payment_transactions.verified_at),
         updated_at = excluded.updated_at`,
    )
    .bind(
      news.transactionId,
      news.paymentId,
      news.status,
      news.origin,
      news.nextUrl ?? null,
      news.paidAmount ?? null,
      news.flag ?? null,
      news.verified ? now : null,
      now,
    );
}

// ── Reading ──────────────────────────────────────────────────────────────────

export async function getPayment(db: D1Database, id: string): Promise<Payment | null> {
  const row = await db.prepare('SELECT * FROM payments WHERE id = ?').bind(id).first<PaymentRow>();
  return row ? toPayment(row) : null;
}

/** The order a Djomy transaction belongs to, and the transaction as recorded. */
export async function getTransaction(
  db: D1Database,
  transactionId: string,
): Promise<{ transaction: PaymentTransaction; payment: Payment } | null> {
  const [transactions, payments] = await db.batch([
    db.prepare('SELECT * FROM payment_transactions WHERE transaction_id = ?1').bind(transactionId),
    db
      .prepare(
        'SELECT p.* FROM payments p JOIN payment_transactions t ON t.payment_id = p.id WHERE t.transaction_id = ?1',
      )
      .bind(transactionId),
  ]);
  const transaction = (transactions?.results[0] as TransactionRow | undefined) ?? null;
  const payment = (payments?.results[0] as PaymentRow | undefined) ?? null;
  return transaction && payment
    ? { transaction: toTransaction(transaction), payment: toPayment(payment) }
    : null;
}

/** Every Djomy transaction of an order, oldest first. */
export async function listTransactions(db: D1Database, paymentId: string): Promise<PaymentTransaction[]> {
  const { results } = await db
    .prepare('SELECT * FROM payment_transactions WHERE payment_id = ? ORDER BY created_at, transaction_id')
    .bind(paymentId)
    .all<TransactionRow>();
  return results.map(toTransaction);
}

// ── Writing ──────────────────────────────────────────────────────────────────

export type InsertOutcome =
  | { kind: 'inserted'; payment: Payment }
  /** The Idempotency-Key was claimed first by another request: nothing was written. */
  | { kind: 'key_taken' }
  /** The payer's phone had too many prompts in the window: nothing was written. */
  | { kind: 'prompt_cap' };

export interface InsertOptions {
  source: EventSource;
  now: number;
  idempotency?: { key: string; requestHash: string };
  /** Refuse the insert when the phone already had `max` direct payments since `since` (not counting refusals). */
  promptCap?: { max: number; since: number };
  /** Djomy's data for a payment we did not create (a link payment): recorded with it. */
  transaction?: TransactionNews;
  detail?: Record<string, unknown> | null;
}

/**
 * Inserts a new payment, its first event and its Idempotency-Key claim in one
 * transaction. The prompt cap is counted inside the INSERT itself, so two
 * concurrent requests cannot both pass it.
 *
 * @example const outcome = await insertPayment(db, newPayment({ … }), { source: 'create', now, idempotency })
 */
export async function insertPayment(
  db: D1Database,
  p: Payment,
  options: InsertOptions,
): Promise<InsertOutcome> {
  const cap = options.promptCap;
  const insert = db
    .prepare(
      `INSERT INTO payments (id, flow, status, amount, currency, country_code, payment_method, payer_phone,
         reference, items, metadata, allowed_methods, success_url, cancel_url, transaction_id, link_reference,
         expires_at, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18
       WHERE ?19 IS NULL OR (
         SELECT count(*) FROM payments WHERE flow = 'direct' AND payer_phone = ?8 AND created_at > ?20
           AND coalesce(close_reason, '') <> 'refused_by_djomy') < ?19
       RETURNING *`,
    )
    .bind(
      p.id,
      p.flow,
      p.status,
      p.amount,
      p.currency,
      p.countryCode,
      p.paymentMethod,
      p.payerPhone,
      p.reference,
      p.items ? JSON.stringify(p.items) : null,
      p.metadata ? JSON.stringify(p.metadata) : null,
      p.allowedMethods ? JSON.stringify(p.allowedMethods) : null,
      p.successUrl,
      p.cancelUrl,
      p.transactionId,
      p.linkReference,
      p.expiresAt,
      p.createdAt,
      cap ? cap.max : null,
      cap ? cap.since : 0,
    );
  const statements = [
    insert,
    eventInsert(db, {
      paymentId: p.id,
      from: null,
      to: p.status,
      source: options.source,
      detail: options.detail ?? null,
      at: options.now,
      ifPaymentExists: true,
    }),
  ];
  if (options.transaction) statements.push(transactionUpsert(db, options.transaction, options.now));
  if (options.idempotency) {
    statements.push(
      db
        .prepare(
          `INSERT INTO idempotency_keys (key, request_hash, payment_id, created_at)
           SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM payments WHERE id = ?3)`,
        )
        .bind(options.idempotency.key, options.idempotency.requestHash, p.id, options.now),
    );
  }
  try {
    const [inserted] = await db.batch(statements);
    const row = inserted?.results[0] as PaymentRow | undefined;
    return row ? { kind: 'inserted', payment: toPayment(row) } : { kind: 'prompt_cap' };
  } catch (error) {
    // The batch is one transaction: if the key was claimed before, nothing was written.
    if (options.idempotency && /UNIQUE/i.test(String(error))) return { kind: 'key_taken' };
    throw error;
  }
}

export interface ApplyOptions {
  source: EventSource;
  now: number;
  /** The change comes from a status-endpoint answer about the (new) current transaction. */
  verified: boolean;
  outbox: OutboxDraft[];
  /** What we learnt about a Djomy transaction, recorded whether or not the change applies. */
  transaction?: TransactionNews;
}

/**
 * Applies a change decided by `payments/status.ts` with its event and outbox
 * rows, atomically. Returns the payment as written, or null when another
 * writer changed it first: the caller re-reads and re-judges.
 */
export async function applyTransition(
  db: D1Database,
  payment: Payment,
  change: Change,
  options: ApplyOptions,
): Promise<Payment | null> {
  const { now } = options;
  const s = change.settlement;
  const guard = randomId('tr_', 12);
  const update = db
    .prepare(
      `UPDATE payments SET status = ?3, paid = ?4, flag = ?5,
         paid_amount = coalesce(?6, paid_amount), received_amount = coalesce(?7, received_amount),
         fees = coalesce(?8, fees), djomy_currency = coalesce(?9, djomy_currency),
         close_reason = CASE WHEN ?10 THEN ?11 ELSE close_reason END,
         create_error = CASE WHEN ?12 THEN ?13 ELSE create_error END,
         lost_create_at = CASE WHEN ?19 THEN coalesce(lost_create_at, ?17) ELSE lost_create_at END,
         transaction_id = coalesce(?14, transaction_id),
         next_url = CASE WHEN ?14 IS NULL THEN next_url
                         ELSE coalesce(?15, (SELECT next_url FROM payment_transactions WHERE transaction_id = ?14)) END,
         verify_count = verify_count + ?16, verified_at = CASE WHEN ?16 THEN ?17 ELSE verified_at END,
         last_error = CASE WHEN ?16 THEN NULL ELSE last_error END,
         paid_at = CASE WHEN ?4 THEN coalesce(paid_at, ?17) ELSE paid_at END,
         version = version + 1, transition_id = ?18, updated_at = ?17
       WHERE id = ?1 AND version = ?2
       RETURNING *`,
    )
    .bind(
      payment.id,
      payment.version,
      change.to,
      change.paid ? 1 : 0,
      change.flag,
      s?.paidAmount ?? null,
      s?.receivedAmount ?? null,
      s?.fees ?? null,
      s?.djomyCurrency ?? null,
      change.closeReason === undefined ? 0 : 1,
      change.closeReason ?? null,
      change.createError === undefined ? 0 : 1,
      change.createError ? JSON.stringify(change.createError) : null,
      change.transaction?.id ?? null,
      change.transaction?.nextUrl ?? null,
      options.verified ? 1 : 0,
      now,
      guard,
      change.createError?.outcomeUnknown ? 1 : 0,
    );
  const statements: D1PreparedStatement[] = [];
  // First, so that the payment's next_url can be read from it in the same batch.
  if (options.transaction) statements.push(transactionUpsert(db, options.transaction, now));
  statements.push(
    update,
    eventInsert(db, {
      paymentId: payment.id,
      from: payment.status,
      to: change.to,
      source: options.source,
      detail: change.detail,
      at: now,
      guard,
    }),
    ...options.outbox.map((draft) => outboxInsert(db, draft, guard)),
  );
  const results = await db.batch(statements);
  const row = results[options.transaction ? 1 : 0]?.results[0] as PaymentRow | undefined;
  return row ? toPayment(row) : null;
}

/**
 * A status-endpoint answer that changed nothing: counted as a check (the
 * cron, the poll and the return page read `verified_at`) and recorded on the
 * transaction. `current` is false for another transaction of the order.
 */
export async function recordVerified(
  db: D1Database,
  news: TransactionNews,
  { current, now }: { current: boolean; now: number },
): Promise<void> {
  const statements = [transactionUpsert(db, news, now)];
  if (current) {
    statements.push(
      db
        .prepare(
          'UPDATE payments SET verify_count = verify_count + 1, verified_at = ?2, last_error = NULL WHERE id = ?1',
        )
        .bind(news.paymentId, now),
    );
  }
  await db.batch(statements);
}

/** Remembers why the last verify failed; the dead-letter record quotes it. */
export async function recordVerifyError(db: D1Database, id: string, error: string): Promise<void> {
  await db.prepare('UPDATE payments SET last_error = ?2 WHERE id = ?1').bind(id, error).run();
}

/**
 * Claims the right to verify now: true for at most one caller per `interval`
 * per payment, so a crowd of browser polls makes at most one Djomy call. The
 * interval runs from the last check; with `countFromCreation`, a payment never
 * checked waits one interval after its creation too (a poll right after
 * create has nothing to learn).
 */
export async function claimVerify(
  db: D1Database,
  id: string,
  { now, interval, countFromCreation }: { now: number; interval: number; countFromCreation: boolean },
): Promise<boolean> {
  const last = countFromCreation ? 'coalesce(verified_at, created_at)' : 'coalesce(verified_at, 0)';
  const result = await db
    .prepare(`UPDATE payments SET verified_at = ?2 WHERE id = ?1 AND ${last} <= ?3`)
    .bind(id, now, now - interval)
    .run();
  return result.meta.changes === 1;
}

/**
 * Counts one more OTP code for Djomy, if the payment has codes left. Returns
 * false when `max` codes already reached Djomy.
 */
export async function claimOtpAttempt(db: D1Database, id: string, max: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE payments SET otp_attempts = otp_attempts + 1 WHERE id = ?1 AND otp_attempts < ?2')
    .bind(id, max)
    .run();
  return result.meta.changes === 1;
}

/**
 * Claims the right to ask Djomy to create this payment again (a retry after
 * Djomy certainly did nothing, or a new portal session): bumps the version,
 * so a concurrent retry's claim fails. Returns the claimed row, or null.
 */
export async function claimCreation(db: D1Database, payment: Payment, now: number): Promise<Payment | null> {
  const row = await db
    .prepare(
      `UPDATE payments SET create_error = NULL, version = version + 1, updated_at = ?3
       WHERE id = ?1 AND version = ?2 AND status IN ${OPEN_SQL} RETURNING *`,
    )
    .bind(payment.id, payment.version, now)
    .first<PaymentRow>();
  return row ? toPayment(row) : null;
}

// ── Lists ────────────────────────────────────────────────────────────────────

export interface PaymentQuery extends PaymentFilter {
  limit: number;
  /** Continue after this (created_at, id), newest first. */
  after?: { createdAt: number; id: string };
  /** The present, for `stuck` (milliseconds since the epoch). */
  now?: number;
}

export function paymentsWhere(filter: PaymentFilter & Pick<PaymentQuery, 'after' | 'now'>): {
  sql: string;
  binds: unknown[];
} {
  const where: string[] = [];
  const binds: unknown[] = [];
  const bind = (value: unknown) => {
    binds.push(value);
    return `?${binds.length}`;
  };
  if (filter.status) where.push(`status = ${bind(filter.status)}`);
  if (filter.method) where.push(`payment_method = ${bind(filter.method)}`);
  if (filter.flow) where.push(`flow = ${bind(filter.flow)}`);
  const { since, until } = dayRange(filter);
  if (since !== undefined) where.push(`created_at >= ${bind(since)}`);
  if (until !== undefined) where.push(`created_at < ${bind(until)}`);
  if (filter.flagged !== undefined) {
    where.push(
      filter.flagged
        ? '(flag IS NOT NULL OR EXISTS (SELECT 1 FROM payment_transactions t WHERE t.payment_id = payments.id AND t.flag IS NOT NULL))'
        : '(flag IS NULL AND NOT EXISTS (SELECT 1 FROM payment_transactions t WHERE t.payment_id = payments.id AND t.flag IS NOT NULL))',
    );
  }
  if (filter.stuck !== undefined) {
    const stuck = `(status IN ${OPEN_SQL} AND expires_at < ${bind(filter.now ?? Date.now())})`;
    where.push(filter.stuck ? stuck : `NOT ${stuck}`);
  }
  if (filter.q) {
    const q = filter.q.trim();
    if (PAYMENT_ID_PATTERN.test(q)) {
      // A whole payment id names one payment: its digits are not the end of a phone number.
      where.push(`id = ${bind(q)}`);
    } else {
      const digits = q.replace(/\D/g, '');
      where.push(
        `(reference LIKE ${bind(searchPattern(q))} ESCAPE '\\'` +
          (digits.length >= 3 ? ` OR payer_phone LIKE ${bind(`%${digits}`)}` : '') +
          ')',
      );
    }
  }
  if (filter.after) {
    const at = bind(filter.after.createdAt);
    where.push(`(created_at < ${at} OR (created_at = ${at} AND id < ${bind(filter.after.id)}))`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', binds };
}

/** Newest first, keyset-paginated so pages stay stable while payments are added. */
export async function listPayments(db: D1Database, query: PaymentQuery): Promise<Payment[]> {
  const { sql, binds } = paymentsWhere(query);
  const { results } = await db
    .prepare(`SELECT * FROM payments ${sql} ORDER BY created_at DESC, id DESC LIMIT ?${binds.length + 1}`)
    .bind(...binds, query.limit)
    .all<PaymentRow>();
  return results.map(toPayment);
}

/**
 * The cron's follow lane: open Djomy transactions (of any order, paid, closed
 * or open) created since `createdSince`, whose next check is due — checks
 * space out as a transaction ages (a third of its age, at least `idle`) —
 * least recently checked first, each with its order.
 */
export async function listTransactionsToFollow(
  db: D1Database,
  { now, idle, createdSince, limit }: { now: number; idle: number; createdSince: number; limit: number },
): Promise<{ transaction: PaymentTransaction; payment: Payment }[]> {
  const { results } = await db
    .prepare(
      `SELECT t.transaction_id AS t_transaction_id, t.payment_id AS t_payment_id, t.status AS t_status,
         t.origin AS t_origin, t.next_url AS t_next_url, t.paid_amount AS t_paid_amount, t.flag AS t_flag,
         t.verified_at AS t_verified_at, t.created_at AS t_created_at, t.updated_at AS t_updated_at, p.*
       FROM payment_transactions t JOIN payments p ON p.id = t.payment_id
       WHERE t.status NOT IN ${TERMINAL_SQL} AND t.created_at > ?2
         AND coalesce(t.verified_at, t.created_at) < ?1 - max(?3, (?1 - t.created_at) / 3)
       ORDER BY coalesce(t.verified_at, t.created_at) LIMIT ?4`,
    )
    .bind(now, createdSince, idle, limit)
    .all<PaymentRow & Record<`t_${keyof TransactionRow}`, never>>();
  return results.map((row) => {
    const r = row as unknown as Record<string, unknown>;
    const transaction = Object.fromEntries(
      Object.entries(r)
        .filter(([key]) => key.startsWith('t_'))
        .map(([key, value]) => [key.slice(2), value]),
    ) as unknown as TransactionRow;
    return { transaction: toTransaction(transaction), payment: toPayment(row as PaymentRow) };
  });
}

/** Stamps transactions whose verify job was just queued, so the next run takes others. */
export async function markTransactionsQueued(db: D1Database, ids: string[], now: number): Promise<void> {
  await stampMany(db, 'payment_transactions', 'transaction_id', 'verified_at', ids, now);
}

/**
 * The cron's sweep lane: payments whose Djomy transactions may be unknown to
 * us — still without one (the create's answer was lost, or the isolate died
 * mid-call), or whose create answer was lost since `lostSince` (a replaced
 * portal session may exist) — created before `createdBefore`, not swept since
 * `idleSince`, least recently swept first.
 */
export async function listPaymentsToSweep(
  db: D1Database,
  {
    idleSince,
    createdBefore,
    lostSince,
    limit,
  }: { idleSince: number; createdBefore: number; lostSince: number; limit: number },
): Promise<Payment[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM payments
       WHERE ((transaction_id IS NULL AND status IN ${OPEN_SQL}) OR lost_create_at > ?3)
         AND (transaction_id IS NULL OR lost_create_at IS NOT NULL)
         AND coalesce(swept_at, 0) < ?1 AND created_at < ?2
       ORDER BY coalesce(swept_at, 0), created_at LIMIT ?4`,
    )
    .bind(idleSince, createdBefore, lostSince, limit)
    .all<PaymentRow>();
  return results.map(toPayment);
}

/** Which of `transactionIds` are already on record. */
export async function knownTransactions(db: D1Database, transactionIds: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < transactionIds.length; i += 99) {
    const chunk = transactionIds.slice(i, i + 99);
    const { results } = await db
      .prepare(
        `SELECT transaction_id FROM payment_transactions WHERE transaction_id IN (${chunk.map((_, j) => `?${j + 1}`).join(', ')})`,
      )
      .bind(...chunk)
      .all<{ transaction_id: string }>();
    for (const row of results) known.add(row.transaction_id);
  }
  return known;
}

/** Stamps payments just swept, so the next run takes others. */
export async function markPaymentsSwept(db: D1Database, ids: string[], now: number): Promise<void> {
  await stampMany(db, 'payments', 'id', 'swept_at', ids, now);
}

async function stampMany(
  db: D1Database,
  table: 'payments' | 'payment_transactions',
  key: 'id' | 'transaction_id',
  column: 'verified_at' | 'swept_at',
  ids: string[],
  now: number,
): Promise<void> {
  // D1 binds at most 100 parameters per statement.
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 99) {
    const chunk = ids.slice(i, i + 99);
    statements.push(
      db
        .prepare(
          `UPDATE ${table} SET ${column} = ?1 WHERE ${key} IN (${chunk.map((_, j) => `?${j + 2}`).join(', ')})`,
        )
        .bind(now, ...chunk),
    );
  }
  if (statements.length > 0) await db.batch(statements);
}

/** How many payments are in each status (diagnostics, tests). */
export async function countPaymentsByStatus(db: D1Database): Promise<Record<string, number>> {
  const { results } = await db
    .prepare('SELECT status, count(*) AS n FROM payments GROUP BY status')
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}
