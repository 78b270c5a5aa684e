/**
 * The few HTML pages the Worker itself shows a payer: waiting for Djomy's
 * verdict after the portal, the result when the site gave no URL to go back
 * to, and errors of the no-JavaScript checkout. French first, English below.
 *
 * Every page leaves through `htmlPage`, which sets the security headers: a
 * Content-Security-Policy that allows only this page's own inline script and
 * style (by hash, never `unsafe-inline`), no framing, `nosniff`, and no
 * referrer (these URLs hold a payment id).
 */
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { toBase64 } from '../lib/crypto.ts';
import type { PublicPayment } from '../payments/model/payment.ts';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7f9; color: #1d2330; }
  main { background: #fff; padding: 2rem 2.5rem; border-radius: 12px; box-shadow: 0 2px 12px rgb(0 0 0 / 8%); max-width: 28rem; margin: 1rem; text-align: center; }
  .en { color: #4a5160; font-size: .9em; }
  .spinner { width: 2rem; height: 2rem; border: 3px solid #dde; border-top-color: #c2410c; border-radius: 50%; margin: 1rem auto; animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(1turn); } }
  @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
`;

/**
 * The pending page's poll: the payment id is read from the page, so the
 * script is the same bytes for every payment and its CSP hash is constant.
 */
const POLL_SCRIPT = `
(function poll(delay) {
  var id = document.querySelector('main').getAttribute('data-payment');
  setTimeout(function () {
    fetch('/api/payments/' + encodeURIComponent(id), { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (['SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED'].indexOf(p.status) >= 0) location.reload();
        else poll(Math.min(delay * 1.5, 10000));
      })
      .catch(function () { poll(Math.min(delay * 1.5, 10000)); });
  }, delay);
})(2000);
`;

async function sha256Source(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${toBase64(new Uint8Array(digest))}'`;
}

let policy: Promise<string> | null = null;

/** The CSP of every Worker page, computed once per isolate. */
function contentSecurityPolicy(): Promise<string> {
  policy ??= Promise.all([sha256Source(STYLE), sha256Source(POLL_SCRIPT)]).then(
    ([style, script]) =>
      `default-src 'none'; script-src ${script}; style-src ${style}; connect-src 'self'; img-src 'self' data:; ` +
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  return policy;
}

/**
 * Answers an HTML page with the security headers every page of the Worker carries.
 *
 * @example return htmlPage(c, errorPage('Paiement impossible', ['Formulaire incomplet.', 'Incomplete form.']), 400)
 */
export async function htmlPage(
  c: Context,
  page: Page,
  status: 200 | 400 | 404 | 502 = 200,
): Promise<Response> {
  c.header('Content-Security-Policy', await contentSecurityPolicy());
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  return c.html(await page, status);
}

function layout(title: string, body: Page, { head = html``, paymentId = '' } = {}): Page {
  return html`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title><style>${raw(STYLE)}</style>${head}</head>
<body><main data-payment="${paymentId}">${body}</main></body></html>`;
}

function amount(payment: PublicPayment): string {
  return `${new Intl.NumberFormat('fr-FR').format(payment.amount)} ${payment.currency}`;
}

/**
 * Djomy has not given its verdict yet. The page polls the public view and
 * reloads itself once the verdict is in; without JavaScript the payer
 * reloads it with its link (no meta refresh: a page that reloads on a timer
 * takes a screen reader back to its top, WCAG 2.2.1).
 */
export function pendingPage(payment: PublicPayment): Page {
  return layout(
    'Paiement en cours',
    html`<h1>Paiement en cours…</h1>
      <div class="spinner" role="status" aria-label="en attente"></div>
      <p>Nous attendons la confirmation de Djomy pour ${amount(payment)}.</p>
      <p class="en" lang="en">Waiting for Djomy to confirm the payment. This page updates by itself.</p>
      <p>Ne payez pas une seconde fois. <span class="en" lang="en">Do not pay again.</span></p>
      <p data-testid="payment-status">${payment.status}</p>
      <p><a href="/return/${payment.id}">Actualiser <span lang="en">(refresh)</span></a> ·
        <a href="/pay/${payment.id}">Page du paiement <span lang="en">(payment page)</span></a></p><script>${raw(POLL_SCRIPT)}</script>`,
    { paymentId: payment.id },
  );
}

/** Where the payer lands when the site gave no success/cancel URL. */
export function resultPage(payment: PublicPayment): Page {
  const [title, english] = payment.paid
    ? ['Paiement reçu', 'Payment received. Thank you!']
    : payment.status === 'SUCCESS'
      ? ['Paiement en vérification', 'The payment is being reviewed by the merchant.']
      : ['Paiement non abouti', 'The payment did not go through.'];
  return layout(
    title,
    html`<h1>${title}</h1><p>${amount(payment)}${payment.reference ? html` — ${payment.reference}` : ''}</p>
      <p class="en" lang="en">${english}</p><p data-testid="payment-status">${payment.status}</p>${
        payment.paid
          ? html`<p><a href="/r/${payment.id}">Voir le reçu <span lang="en">(receipt)</span></a></p>`
          : ''
      }`,
  );
}

/** An error, in French then in English. */
export function errorPage(title: string, [french, english]: readonly [string, string]): Page {
  return layout(title, html`<h1>${title}</h1><p>${french}</p><p class="en" lang="en">${english}</p>`);
}
