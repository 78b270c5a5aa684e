/**
 * Admin: the ledger (src/payments/ledger.ts): the list with filters and
 * cursor pagination, the CSV export of every matching payment, one payment
 * with its history and transactions, verify now, and sending its merchant
 * event again.
 */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { DjomyError } from '../../../djomy/errors.ts';
import {
  CSV_COLUMNS,
  exportPaymentsCsv,
  listPaymentPage,
  paymentDetail,
  resendNotification,
} from '../../../payments/ledger.ts';
import { fromQuery, PageRequest, PaymentFilter } from '../../../payments/model/payment-filter.ts';
import { NotAtDjomyError, verifyPayment } from '../../../payments/verify-payment.ts';
import { paymentRecord } from '../../../payments/views.ts';
import { parseWith } from '../../body.ts';
import type { AdminContext, AdminEnv } from '../../context.ts';
import { paymentFromParam } from '../../payment-param.ts';
import { djomyProblem, Problem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

export const ListQuery = z.extend(PaymentFilter, PageRequest.shape);

const QUERY_KINDS = { booleans: ['flagged', 'stuck'], numbers: ['limit'] } as const;

async function listPaymentsRoute(c: AdminContext) {
  const { limit, cursor, ...filter } = parseWith(ListQuery, fromQuery(c.req.query(), QUERY_KINDS));
  const page = await listPaymentPage(c.var.deps, filter, { limit, cursor });
  if (page.kind === 'bad_cursor')
    throw problems.validation([{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  return c.json({ payments: page.payments, nextCursor: page.nextCursor });
}

/** `GET /api/admin/payments.csv`: streamed, never held whole (a 10,000-row export is 10 D1 reads). */
export async function exportCsvRoute(c: AdminContext) {
  const filter = parseWith(PaymentFilter, fromQuery(c.req.query(), QUERY_KINDS));
  const day = new Date(c.var.deps.now()).toISOString().slice(0, 10);
  return new Response(exportPaymentsCsv(c.var.deps, filter, c.var.role), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="payments-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}

async function paymentRoute(c: AdminContext) {
  const payment = await paymentFromParam(c);
  return c.json(await paymentDetail(c.var.deps, payment, c.var.role));
}

/** `POST /api/admin/payments/{id}/verify`: only asks Djomy, so the cashier may too (src/http/routes/admin/index.ts). */
export async function verifyNowRoute(c: AdminContext) {
  const payment = await paymentFromParam(c);
  try {
    const outcome = await verifyPayment(c.var.deps, payment, 'admin');
    return c.json({ changed: outcome.changed, payment: paymentRecord(outcome.payment, c.var.role) });
  } catch (error) {
    if (error instanceof NotAtDjomyError) throw problems.conflict('This payment was never created at Djomy.');
    if (error instanceof DjomyError) {
      if (error.kind === 'not_found') throw problems.conflict('Djomy does not know this transaction.');
      throw djomyProblem(error, { paymentId: payment.id });
    }
    throw error;
  }
}

async function notifyRoute(c: AdminContext) {
  const payment = await paymentFromParam(c);
  const outcome = await resendNotification(c.var.deps, payment);
  switch (outcome.kind) {
    case 'not_closed':
      throw problems.conflict('This payment is still open: it has no outcome to announce yet.');
    case 'no_channel':
      throw new Problem({
        status: 409,
        slug: 'conflict',
        title: 'No merchant webhook',
        detail: 'MERCHANT_WEBHOOK_URL is not set: there is nowhere to send the event.',
      });
    case 'sent':
      return c.json({ type: outcome.type, notification: outcome.notification }, 200);
  }
}

export const adminPayments = new Hono<AdminEnv>()
  .get('/', listPaymentsRoute)
  .get('/:id', paymentRoute)
  .post('/:id/notify', notifyRoute);

const Id = z.object({ id: z.string() });
const adminErrors = {
  401: { description: 'No valid token or session' },
  429: { description: 'Too many admin requests from this IP' },
  503: { description: 'ADMIN_TOKEN not set' },
};
const writeErrors = {
  403: { description: 'The cashier may not; or a session write without its CSRF token' },
};

export const adminPaymentSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/payments',
    tag: 'Admin',
    admin: true,
    summary: 'Payments, newest first, filtered, with cursor pagination',
    description:
      '`q` finds a payment id, part of a reference, or the last digits (3 or more) of the payer phone. `from` and `to` are UTC days, inclusive. `stuck=true`: still open after their expiry (what the summary counts as `stuckOpen`). Phones are masked.',
    query: ListQuery,
    responses: {
      200: { description: '`{payments, nextCursor}`' },
      400: { description: 'Invalid filter or cursor' },
      ...adminErrors,
    },
  },
  {
    method: 'get',
    path: '/api/admin/payments.csv',
    tag: 'Admin',
    admin: true,
    summary: 'Every payment matching the filters, as CSV',
    description: `UTF-8 with a BOM, a header row (${CSV_COLUMNS.join(', ')}), newest first, integer amounts, ISO 8601 dates; cells starting with = + - @ are prefixed with '. The cashier gets phones masked.`,
    query: PaymentFilter,
    responses: {
      200: { description: 'CSV', contentType: 'text/csv' },
      400: { description: 'Invalid filter' },
      ...adminErrors,
    },
  },
  {
    method: 'get',
    path: '/api/admin/payments/{id}',
    tag: 'Admin',
    admin: true,
    summary: 'One payment with its event history, notifications and Djomy transactions',
    description: 'The payer phone is whole for the admin, masked for the cashier.',
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
    summary: 'Verify a payment with Djomy now (the cashier may too)',
    params: Id,
    responses: {
      200: { description: '`{changed, payment}`' },
      404: { description: 'Unknown payment' },
      409: { description: 'Not at Djomy' },
      502: { description: 'Djomy unreachable' },
      ...writeErrors,
      ...adminErrors,
    },
  },
  {
    method: 'post',
    path: '/api/admin/payments/{id}/notify',
    tag: 'Admin',
    admin: true,
    summary: "Send the payment's merchant event again, now",
    description:
      "Delivers the event that announces the payment's current outcome with its original `webhook-id` and body (the merchant deduplicates on the id); writes it first when it was never written. Answers with the notification after the attempt.",
    params: Id,
    responses: {
      200: { description: '`{type, notification: {id, state, attempts, lastError}}`' },
      404: { description: 'Unknown payment' },
      409: { description: 'Still open, or MERCHANT_WEBHOOK_URL not set' },
      ...writeErrors,
      ...adminErrors,
    },
  },
];
