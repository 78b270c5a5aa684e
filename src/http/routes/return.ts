/**
 * `GET /return/{id}`: where Djomy sends the payer's browser. The query string
 * (`?transactionId=…&status=SUCCESS`) is not proof of anything: the Worker
 * asks Djomy, then sends the payer to the site's success or cancel URL, or
 * shows a page that waits for the verdict.
 */
import * as z from 'zod/mini';
import { publicView } from '../../payments/model/payment.ts';
import { isTerminal } from '../../payments/model/status.ts';
import { verifyIfDue } from '../../payments/verify-if-due.ts';
import type { AppContext } from '../context.ts';
import { errorPage, htmlPage, pendingPage, resultPage } from '../pages.ts';
import { findPayment } from '../payment-param.ts';
import { problems } from '../problem.ts';
import { browserRouter } from '../routers.ts';
import type { RouteSpec } from '../spec.ts';

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.href;
}

async function returnRoute(c: AppContext) {
  const found = await findPayment(c);
  if (!found) {
    if (c.req.header('accept')?.includes('text/html')) {
      return htmlPage(
        c,
        errorPage('Paiement introuvable', ['Ce paiement est introuvable.', 'Payment not found.']),
        404,
      );
    }
    throw problems.notFound('Payment');
  }
  const payment = await verifyIfDue(c.var.deps, found, 'return');
  c.header('Cache-Control', 'no-store');
  if (!isTerminal(payment.status)) return htmlPage(c, pendingPage(publicView(payment)));
  if (payment.paid && payment.successUrl)
    return c.redirect(withParams(payment.successUrl, { payment: payment.id }), 303);
  if (!payment.paid && payment.cancelUrl) {
    const status = payment.status === 'SUCCESS' ? 'REVIEW' : payment.status;
    return c.redirect(withParams(payment.cancelUrl, { payment: payment.id, status }), 303);
  }
  return htmlPage(c, resultPage(publicView(payment)));
}

export const returns = browserRouter().get('/:id', returnRoute);

export const returnSpecs = (): RouteSpec[] => [
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
