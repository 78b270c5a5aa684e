/**
 * The payer's own pages, served from static assets (`public/payer/`) under a
 * URL that names the payment: `/pay/{id}` to come back to a payment,
 * `/r/{id}` its receipt, `/v/{id}` the live check the receipt's QR code
 * opens, and `/r/{id}/qr.svg` that QR code. The pages read the payment from
 * the public API; an unknown id is a 404 here. They carry the security
 * headers of every page, never leak their URL (`no-referrer`: it holds the
 * payment id) and are kept out of search engines.
 */
import { renderSVG } from 'uqr';
import * as z from 'zod/mini';
import { type AppContext, publicOrigin } from '../context.ts';
import { errorPage, htmlPage } from '../pages.ts';
import { findPayment } from '../payment-param.ts';
import { browserRouter } from '../routers.ts';
import type { RouteSpec } from '../spec.ts';

const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex',
  'Cache-Control': 'no-store',
};

function staticPage(file: string) {
  return async (c: AppContext) => {
    if (!(await findPayment(c)))
      return htmlPage(c, errorPage('Paiement introuvable', ['Vérifiez le lien.', 'Payment not found.']), 404);
    const asset = await c.env.ASSETS.fetch(new URL(`/payer/${file}`, c.req.url));
    const headers = new Headers(asset.headers);
    for (const [name, value] of Object.entries(PAGE_HEADERS)) headers.set(name, value);
    headers.delete('ETag');
    return new Response(asset.body, { status: asset.status, headers });
  };
}

/** The QR code of the live check, printed on the receipt: scanned at the counter, it shows Djomy's verdict now. */
async function receiptQrRoute(c: AppContext) {
  const payment = await findPayment(c);
  if (!payment)
    return htmlPage(c, errorPage('Paiement introuvable', ['Vérifiez le lien.', 'Payment not found.']), 404);
  return c.body(renderSVG(`${publicOrigin(c)}/v/${payment.id}`, { border: 2 }), 200, {
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  });
}

export const payerPages = browserRouter()
  .get('/pay/:id', staticPage('pay.html'))
  .get('/r/:id', staticPage('receipt.html'))
  .get('/r/:id/qr.svg', receiptQrRoute)
  .get('/v/:id', staticPage('check.html'));

const PaymentParams = z.object({ id: z.string() });

/** A page of `public/payer/`, named by its payment. */
const pageSpec = (path: string, summary: string, description: string): RouteSpec => ({
  method: 'get',
  path,
  tag: 'Browser',
  summary,
  description,
  params: PaymentParams,
  responses: {
    200: { description: 'HTML page (French, with an English switch)', contentType: 'text/html' },
    404: { description: 'Unknown payment (HTML page)', contentType: 'text/html' },
  },
});

export const payerPageSpecs = (): RouteSpec[] => [
  pageSpec(
    '/pay/{id}',
    "The payer's page for a payment (`payUrl`)",
    'Follows the payment until it closes and offers what the payer can do while it is open: the OTP form, ' +
      "Djomy's portal again, the wallet app, or approval on the phone; once paid, a link to the receipt.",
  ),
  pageSpec(
    '/r/{id}',
    "A payment's receipt",
    'Only for a paid payment; otherwise a page that says it is not paid (yet). Carries a QR code of `/v/{id}`.',
  ),
  {
    method: 'get',
    path: '/r/{id}/qr.svg',
    tag: 'Browser',
    summary: "The receipt's QR code: the URL of its live check `/v/{id}`",
    params: PaymentParams,
    responses: {
      200: { description: 'SVG image', contentType: 'image/svg+xml' },
      404: { description: 'Unknown payment (HTML page)', contentType: 'text/html' },
    },
  },
  pageSpec(
    '/v/{id}',
    "A receipt's live check",
    "What the receipt's QR code opens, for the cashier: asks now whether the payment is paid, and shows when " +
      'it was paid beside the time of the check.',
  ),
];
