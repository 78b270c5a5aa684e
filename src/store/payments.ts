/**
 * D1 queries for payments. A status change is one D1 batch (a transaction):
 * the payment row (guarded by its version, so concurrent verifies cannot
 * both apply), its event, and the merchant outbox row when there is one.
 */
import type { PaymentStatus } from '../djomy/schemas.ts';
import type { EventSource } from '../jobs/messages.ts';
import { randomId } from '../lib/ids.ts';
import type { CreateError, Flow, Metadata, OrderLine, Payment } from '../payments/payment.ts';
import type { Transition } from '../payments/status.ts';
import { eventInsert } from './events.ts';
import { type OutboxDraft, outboxInsert } from './outbox.ts';

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
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewPayment = Pick<
  Payment,
  | 'id'
  | 'flow'
  | 'status'
  | 'amount'
  | 'currency'
  | 'countryCode'
  | 'paymentMethod'
  | 'payerPhone'
  | 'reference'
  | 'items'
  | 'metadata'
  | 'allowedMethods'
  | 'successUrl'
  | 'cancelUrl'
  | 'transactionId'
  | 'linkReference'
  | 'expiresAt'
  | 'createdAt'
>;

/** The INSERT of a new payment, to run alone or in a batch with its idempotency key. */
export function paymentInsert(db: D1Database, p: NewPayment): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO payments (id, flow, status, amount, currency, country_code, payment_method, payer_phone,
         reference, items, metadata, allowed_methods, success_url, cancel_url, transaction_id, link_reference,
         expires_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)`,
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
    );
}

export async function getPayment(db: D1Database, id: string): Promise<Payment | null> {
  const row = await db.prepare('SELECT * FROM payments WHERE id = ?').bind(id).first<PaymentRow>();
  return row ? toPayment(row) : null;
}

export async function getPaymentByTransaction(
  db: D1Database,
  transactionId: string,
): Promise<Payment | null> {
  const row = await db
    .prepare('SELECT * FROM payments WHERE transaction_id = ?')
    .bind(transactionId)
    .first<PaymentRow>();
  return row ? toPayment(row) : null;
}

/** Djomy created the payment: remember its transaction id and where the payer goes next. */
export async function recordDjomyCreation(
  db: D1Database,
  id: string,
  created: { transactionId: string; nextUrl: string | null },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE payments SET transaction_id = ?2, next_url = ?3, create_error = NULL, updated_at = ?4
       WHERE id = ?1 AND transaction_id IS NULL`,
    )
    .bind(id, created.transactionId, created.nextUrl, now)
    .run();
}

/** Djomy could not create the payment. A refusal closes it as FAILED; anything else leaves it retryable. */
export async function recordCreateError(
  db: D1Database,
  payment: Payment,
  error: CreateError,
  refused: boolean,
  now: number,
): Promise<void> {
  const guard = randomId('tr_', 12);
  const statements = [
    db
      .prepare(
        `UPDATE payments SET create_error = ?2, status = CASE WHEN ?3 THEN 'FAILED' ELSE status END,
           close_reason = CASE WHEN ?3 THEN 'refused_by_djomy' ELSE close_reason END,
           version = version + 1, transition_id = ?5, updated_at = ?4
         WHERE id = ?1 AND transaction_id IS NULL AND version = ?6`,
      )
      .bind(payment.id, JSON.stringify(error), refused ? 1 : 0, now, guard, payment.version),
  ];
  if (refused) {
    statements.push(
      eventInsert(db, {
        paymentId: payment.id,
        from: payment.status,
        to: 'FAILED',
        source: 'create',
        detail: { refusedByDjomy: error.message },
        at: now,
        guard,
      }),
    );
  }
  await db.batch(statements);
}

/** Counts a verify answer that did not change anything (the cron and the poll use `verified_at`). */
export async function recordVerified(db: D1Database, id: string, now: number): Promise<void> {
  await db
    .prepare(
      'UPDATE payments SET verify_count = verify_count + 1, verified_at = ?2, last_error = NULL WHERE id = ?1',
    )
    .bind(id, now)
    .run();
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

/** Stamps payments whose verify job was just queued, in one statement. */
export async function markVerifyQueued(db: D1Database, ids: string[], now: number): Promise<void> {
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 99) {
    const chunk = ids.slice(i, i + 99);
    await db
      .prepare(
        `UPDATE payments SET verified_at = ?1 WHERE id IN (${chunk.map((_, j) => `?${j + 2}`).join(', ')})`,
      )
      .bind(now, ...chunk)
      .run();
  }
}

/**
 * Applies a status change decided by `payments/status.ts`, with its event and
 * (when given) its outbox row, atomically. Returns false when another writer
 * changed the payment first; the caller then re-reads and re-judges.
 */
export async function applyTransition(
  db: D1Database,
  payment: Payment,
  transition: Extract<Transition, { change: true }>,
  source: EventSource,
  now: number,
  options: {
    verified: boolean;
    outbox: OutboxDraft | null;
    /** Also record Djomy's creation answer (one write instead of two). */
    created?: { transactionId: string; nextUrl: string | null };
  },
): Promise<boolean> {
  const s = transition.settlement;
  const guard = randomId('tr_', 12);
  const update = db
    .prepare(
      `UPDATE payments SET status = ?3, paid = ?4, flag = ?5,
         paid_amount = coalesce(?6, paid_amount), received_amount = coalesce(?7, received_amount),
         fees = coalesce(?8, fees), djomy_currency = coalesce(?9, djomy_currency),
         close_reason = coalesce(?10, close_reason),
         verify_count = verify_count + ?11, verified_at = CASE WHEN ?11 THEN ?12 ELSE verified_at END,
         last_error = CASE WHEN ?11 THEN NULL ELSE last_error END,
         transaction_id = coalesce(transaction_id, ?14), next_url = coalesce(?15, next_url),
         create_error = CASE WHEN ?14 IS NULL THEN create_error ELSE NULL END,
         version = version + 1, transition_id = ?13, updated_at = ?12
       WHERE id = ?1 AND version = ?2`,
    )
    .bind(
      payment.id,
      payment.version,
      transition.to,
      transition.paid ? 1 : 0,
      transition.flag,
      s?.paidAmount ?? null,
      s?.receivedAmount ?? null,
      s?.fees ?? null,
      s?.djomyCurrency ?? null,
      transition.closeReason ?? null,
      options.verified ? 1 : 0,
      now,
      guard,
      options.created?.transactionId ?? null,
      options.created?.nextUrl ?? null,
    );
  const statements = [
    update,
    eventInsert(db, {
      paymentId: payment.id,
      from: payment.status,
      to: transition.to,
      source,
      detail: transition.detail,
      at: now,
      guard,
    }),
  ];
  if (options.outbox) statements.push(outboxInsert(db, options.outbox, guard));
  const [result] = await db.batch(statements);
  return result?.meta.changes === 1;
}

export interface PaymentFilter {
  status?: PaymentStatus;
  limit: number;
  /** Continue after this (created_at, id), newest first. */
  after?: { createdAt: number; id: string };
}

/** Newest first, keyset-paginated so pages stay stable while payments are added. */
export async function listPayments(db: D1Database, filter: PaymentFilter): Promise<Payment[]> {
  const where: string[] = [];
  const binds: unknown[] = [];
  if (filter.status) {
    where.push(`status = ?${binds.length + 1}`);
    binds.push(filter.status);
  }
  if (filter.after) {
    const a = binds.length + 1;
    where.push(`(created_at < ?${a} OR (created_at = ?${a} AND id < ?${a + 1}))`);
    binds.push(filter.after.createdAt, filter.after.id);
  }
  const sql = `SELECT * FROM payments ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, id DESC LIMIT ?${binds.length + 1}`;
  const { results } = await db
    .prepare(sql)
    .bind(...binds, filter.limit)
    .all<PaymentRow>();
  return results.map(toPayment);
}

/**
 * Open payments for the cron, least recently verified first, skipping those
 * verified after `verifiedBefore` (the queue is already watching them).
 */
export async function listOpenPayments(
  db: D1Database,
  { verifiedBefore, createdBefore, limit }: { verifiedBefore: number; createdBefore: number; limit: number },
): Promise<Payment[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM payments
       WHERE status IN ('CREATED', 'PENDING', 'REDIRECTED', 'CAPTURED')
         AND (verified_at IS NULL OR verified_at < ?1) AND created_at < ?2
       ORDER BY verified_at IS NOT NULL, verified_at, created_at
       LIMIT ?3`,
    )
    .bind(verifiedBefore, createdBefore, limit)
    .all<PaymentRow>();
  return results.map(toPayment);
}

/** How many payments are in each status (diagnostics, tests). */
export async function countPaymentsByStatus(db: D1Database): Promise<Record<string, number>> {
  const { results } = await db
    .prepare('SELECT status, count(*) AS n FROM payments GROUP BY status')
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}
