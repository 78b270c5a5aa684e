/**
 * `GET /return/{id}`: where Djomy sends the payer's browser (SPEC §3). The
 * query string (`?transactionId=…&status=SUCCESS`) is not proof of anything
 * (djomy-api.md §8): the Worker asks Djomy, then sends the payer to the
 * site's success or cancel URL, or shows a page that waits for the verdict.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { PAYMENT_ID_PATTERN, type Payment, publicView } from '../../payments/payment.ts';
import { isTerminal } from '../../payments/status.ts';
import { verifyPayment } from '../../payments/verify-payment.ts';
import { claimVerify, getPayment } from '../../store/payments.ts';
import type { AppContext, AppEnv } from '../context.ts';
import { errorPage, htmlPage, pendingPage, resultPage } from '../pages.ts';
import { problems } from '../problem.ts';
import type { RouteSpec } from '../spec.ts';

/** Reloads of the pending page make at most one Djomy call per payment this often. */
const RETURN_VERIFY_INTERVAL = 3_000;

async function settle(c: AppContext, payment: Payment): Promise<Payment> {
  const { deps } = c.var;
  if (isTerminal(payment.status) || !payment.transactionId) return payment;
  // The payer coming back is news: check at once, then at most every few seconds on reloads.
  const claim = { now: deps.now(), interval: RETURN_VERIFY_INTERVAL, countFromCreation: false };
  if (!(await claimVerify(deps.db, payment.id, claim))) return payment;
  try {
    return (await verifyPayment(deps, payment, 'return')).payment;
  } catch (error) {
    deps.log.warn('return verify failed', { paymentId: payment.id, error: String(error) });
    return payment;
  }
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.href;
}

export const returns = new Hono<AppEnv>().get('/return/:id', async (c) => {
  const id = c.req.param('id');
  const found = PAYMENT_ID_PATTERN.test(id) ? await getPayment(c.var.deps.db, id) : null;
  if (!found) {
    if (c.req.header('accept')?.includes('text/html')) {
      return htmlPage(c, errorPage('Paiement introuvable', 'Payment not found.'), 404);
    }
    throw problems.notFound('Payment');
  }
  const payment = await settle(c, found);
  c.header('Cache-Control', 'no-store');
  if (!isTerminal(payment.status)) return htmlPage(c, pendingPage(publicView(payment)));
  if (payment.paid && payment.successUrl)
    return c.redirect(withParams(payment.successUrl, { payment: payment.id }), 303);
  if (!payment.paid && payment.cancelUrl) {
    const status = payment.status === 'SUCCESS' ? 'REVIEW' : payment.status;
    return c.redirect(withParams(payment.cancelUrl, { payment: payment.id, status }), 303);
  }
  return htmlPage(c, resultPage(publicView(payment)));
});

export const returnSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/return/{id}',
    tag: 'Browser',
    summary: "Djomy's return URL: verify, then send the payer on",
    description:
      'Ignores the query string as proof. 303 to `successUrl?payment={id}` when paid, to ' +
      '`cancelUrl?payment={id}&status=…` when closed unpaid (`REVIEW` for a flagged SUCCESS), ' +
      'else an HTML page that waits for the verdict.',
    params: z.object({ id: z.string() }),
    responses: {
      200: { description: 'Pending or result page', contentType: 'text/html' },
      303: { description: 'To the site’s success or cancel URL' },
      404: { description: 'Unknown payment' },
    },
  },
];
