/** The payment a route's `:id` names, or a 404: one place decides what an id may look like. */
import { PAYMENT_ID_PATTERN, type Payment } from '../payments/model/payment.ts';
import { getPayment } from '../store/payments.ts';
import type { AppContext } from './context.ts';

/** Any route's context: the public routes' and the admin routes'. */
type RouteContext = Pick<AppContext, 'req'> & { var: Pick<AppContext['var'], 'deps'> };

import { problems } from './problem.ts';

/** Null when the id is not a payment id or names no payment. */
export async function findPayment(c: RouteContext): Promise<Payment | null> {
  const id = c.req.param('id') ?? '';
  return PAYMENT_ID_PATTERN.test(id) ? getPayment(c.var.deps.db, id) : null;
}

/** @example const payment = await paymentFromParam(c) */
export async function paymentFromParam(c: RouteContext): Promise<Payment> {
  const payment = await findPayment(c);
  if (!payment) throw problems.notFound('Payment');
  return payment;
}
