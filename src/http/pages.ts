/**
 * The few HTML pages the Worker itself shows a payer: waiting for Djomy's
 * verdict after the portal, the result when the site gave no URL to go back
 * to, and errors of the no-JavaScript checkout. French first, English below.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { PublicPayment } from '../payments/payment.ts';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = raw(`<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7f9; color: #1d2330; }
  main { background: #fff; padding: 2rem 2.5rem; border-radius: 12px; box-shadow: 0 2px 12px rgb(0 0 0 / 8%); max-width: 28rem; text-align: center; }
  .en { color: #667; font-size: .9em; }
  .spinner { width: 2rem; height: 2rem; border: 3px solid #dde; border-top-color: #f60; border-radius: 50%; margin: 1rem auto; animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(1turn); } }
</style>`);

function layout(title: string, body: Page, head: Page = html``): Page {
  return html`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${STYLE}${head}</head><body><main>${body}</main></body></html>`;
}

function amount(payment: PublicPayment): string {
  return `${new Intl.NumberFormat('fr-FR').format(payment.amount)} ${payment.currency}`;
}

/**
 * Djomy has not given its verdict yet. The page polls the public view and
 * reloads itself (with a meta refresh when JavaScript is off).
 */
export function pendingPage(payment: PublicPayment): Page {
  const script = raw(`<script>
    (function poll(delay) {
      setTimeout(async function () {
        try {
          var r = await fetch('/api/payments/' + ${JSON.stringify(payment.id)}, { cache: 'no-store' });
          var p = await r.json();
          if (['SUCCESS','FAILED','CANCELLED','TIMEOUT','REFUNDED'].indexOf(p.status) >= 0) return location.reload();
        } catch (e) {}
        poll(Math.min(delay * 1.5, 10000));
      }, delay);
    })(2000);
  </script>`);
  return layout(
    'Paiement en cours',
    html`<h1>Paiement en cours…</h1>
      <div class="spinner" role="status" aria-label="en attente"></div>
      <p>Nous attendons la confirmation de Djomy pour ${amount(payment)}.</p>
      <p class="en">Waiting for Djomy to confirm the payment. This page updates by itself.</p>
      <p data-testid="payment-status">${payment.status}</p>${script}`,
    html`<meta http-equiv="refresh" content="10">`,
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
      <p class="en">${english}</p><p data-testid="payment-status">${payment.status}</p>`,
  );
}

export function errorPage(title: string, detail: string): Page {
  return layout(title, html`<h1>${title}</h1><p>${detail}</p>`);
}
