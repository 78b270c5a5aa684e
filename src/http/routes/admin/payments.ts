/** Admin: the ledger: list with cursor pagination, one payment with its history and transactions, verify now. */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { DjomyError } from '../../../djomy/errors.ts';
import { maskPhone } from '../../../djomy/phone.ts';
import { PAYMENT_STATUSES } from '../../../djomy/schemas.ts';
import { PAYMENT_ID_PATTERN, type Payment, publicView } from '../../../payments/model/payment.ts';
import { NotAtDjomyError, verifyPayment } from '../../../payments/verify-payment.ts';
import { listEvents } from '../../../store/events.ts';
import { listOutboxForPayment } from '../../../store/outbox.ts';
import { listPayments, listTransactions } from '../../../store/payments.ts';
import { parseWith } from '../../body.ts';
import type { AppContext, AppEnv } from '../../context.ts';
import { paymentFromParam } from '../../payment-param.ts';
import { djomyProblem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

const Cursor = z.pipe(
  z.string().check(z.maxLength(200)),
  z.transform((cursor, ctx) => {
    try {
      const [createdAt, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [
        unknown,
        unknown,
      ];
      if (typeof createdAt === 'number' && typeof id === 'string' && PAYMENT_ID_PATTERN.test(id))
        return { createdAt, id };
    } catch {}
    ctx.issues.push({ code: 'custom', message: 'not a cursor from a previous page', input: cursor });
    return z.NEVER;
  }),
);

export const ListQuery = z.strictObject({
  status: z.optional(z.enum(PAYMENT_STATUSES)),
  /** `true`: only payments that need a human (a flag on the payment or on one of its transactions). */
  flagged: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((value) => value === 'true'),
    ),
  ),
  limit: z._default(
    z
      .pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number))
      .check(z.refine((n) => n >= 1 && n <= 100, 'between 1 and 100')),
    20,
  ),
  cursor: z.optional(Cursor),
});

function encodeCursor(payment: Payment): string {
  return btoa(JSON.stringify([payment.createdAt, payment.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function summary(payment: Payment) {
  return {
    ...publicView(payment),
    transactionId: payment.transactionId,
    payer: payment.payerPhone ? maskPhone(payment.payerPhone) : null,
    flag: payment.flag,
    createdAt: new Date(payment.createdAt).toISOString(),
  };
}

function record(payment: Payment) {
  return {
    ...summary(payment),
    payer: payment.payerPhone,
    countryCode: payment.countryCode,
    items: payment.items,
    metadata: payment.metadata,
    allowedPaymentMethods: payment.allowedMethods,
    successUrl: payment.successUrl,
    cancelUrl: payment.cancelUrl,
    linkReference: payment.linkReference,
    nextUrl: payment.nextUrl,
    paidAmount: payment.paidAmount,
    receivedAmount: payment.receivedAmount,
    fees: payment.fees,
    djomyCurrency: payment.djomyCurrency,
    createError: payment.createError,
    closeReason: payment.closeReason,
    lastError: payment.lastError,
    verifyCount: payment.verifyCount,
    verifiedAt: payment.verifiedAt ? new Date(payment.verifiedAt).toISOString() : null,
    expiresAt: new Date(payment.expiresAt).toISOString(),
  };
}

async function listPaymentsRoute(c: AppContext) {
  const query = parseWith(ListQuery, c.req.query());
  const page = await listPayments(c.var.deps.db, {
    status: query.status,
    flagged: query.flagged,
    limit: query.limit + 1,
    after: query.cursor,
  });
  const more = page.length > query.limit;
  const shown = page.slice(0, query.limit);
  return c.json({
    payments: shown.map(summary),
    nextCursor: more ? encodeCursor(shown[shown.length - 1] as Payment) : null,
  });
}

async function paymentRoute(c: AppContext) {
  const payment = await paymentFromParam(c);
  const [events, notifications, transactions] = await Promise.all([
    listEvents(c.var.deps.db, payment.id),
    listOutboxForPayment(c.var.deps.db, payment.id),
    listTransactions(c.var.deps.db, payment.id),
  ]);
  return c.json({
    payment: record(payment),
    events,
    notifications: notifications.map(({ payload: _payload, ...row }) => row),
    transactions: transactions.map((t) => ({
      transactionId: t.transactionId,
      status: t.status,
      origin: t.origin,
      current: t.transactionId === payment.transactionId,
      paidAmount: t.paidAmount,
      flag: t.flag,
      verifiedAt: t.verifiedAt ? new Date(t.verifiedAt).toISOString() : null,
      createdAt: new Date(t.createdAt).toISOString(),
    })),
  });
}

async function verifyNowRoute(c: AppContext) {
  const payment = await paymentFromParam(c);
  try {
    const outcome = await verifyPayment(c.var.deps, payment, 'admin');
    return c.json({ changed: outcome.changed, payment: record(outcome.payment) });
  } catch (error) {
    if (error instanceof NotAtDjomyError) throw problems.conflict('This payment was never created at Djomy.');
    if (error instanceof DjomyError) {
      if (error.kind === 'not_found') throw problems.conflict('Djomy does not know this transaction.');
      throw djomyProblem(error, { paymentId: payment.id });
    }
    throw error;
  }
}

export const adminPayments = new Hono<AppEnv>()
  .get('/', listPaymentsRoute)
  .get('/:id', paymentRoute)
  .post('/:id/verify', verifyNowRoute);

const Id = z.object({ id: z.string() });
const adminErrors = {
  401: { description: 'Missing or wrong admin token' },
  503: { description: 'ADMIN_TOKEN not set' },
};

export const adminPaymentSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/admin/payments',
    tag: 'Admin',
    admin: true,
    summary: 'Payments, newest first, with cursor pagination',
    query: ListQuery,
    responses: {
      200: { description: '`{payments, nextCursor}`' },
      400: { description: 'Invalid query' },
      ...adminErrors,
    },
  },
  {
    method: 'get',
    path: '/api/admin/payments/{id}',
    tag: 'Admin',
    admin: true,
    summary: 'One payment with its event history, notifications and Djomy transactions',
    params: Id,
    responses: {
      200: { description: '`{payment, events, notifications, transactions}`' },
      404: { description: 'Unknown payment' },
      ...adminErrors,
    },
  },
  {
    method: 'post',
    path: '/api/admin/payments/{id}/verify',
    tag: 'Admin',
    admin: true,
    summary: 'Verify a payment with Djomy now',
    params: Id,
    responses: {
      200: { description: '`{changed, payment}`' },
      404: { description: 'Unknown payment' },
      409: { description: 'Not at Djomy' },
      502: { description: 'Djomy unreachable' },
      ...adminErrors,
    },
  },
];
