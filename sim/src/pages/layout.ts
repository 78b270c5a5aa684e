/**
 * The frame of every simulator page: small, readable, no scripts, French
 * labels with English hints. Interpolated values are escaped by `html`.
 * Landmarks (header, nav, main) so screen readers and accessibility scans
 * find their way, whichever page it is.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { config } from '../config.ts';
import { COUNTRIES, type CountryCode } from '../domain.ts';
import type { Payment } from '../store.ts';

export type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d2433; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .banner { background: #fff4d6; border: 1px solid #e8c76a; padding: .4rem .8rem; border-radius: 6px; font-size: .9rem; }
  .card { border: 1px solid #d8dde6; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  .amount { font-size: 1.6rem; font-weight: 600; }
  .otp { font: 600 1.4rem ui-monospace, monospace; letter-spacing: .2em; }
  .hint { color: #667085; font-size: .85rem; }
  button { font: inherit; padding: .4rem 1rem; margin: .2rem .2rem .2rem 0; border-radius: 6px; border: 1px solid #98a2b3; background: #fff; cursor: pointer; }
  button.primary { background: #c2410c; border-color: #c2410c; color: #fff; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; } td, th { border-bottom: 1px solid #e4e7ec; padding: .3rem; text-align: left; vertical-align: top; }
  code, pre { font-size: .8rem; } input, select { font: inherit; padding: .3rem; }
  nav a { margin-right: 1rem; }
  .test-number { display: inline-block; background: #eef4ff; border: 1px solid #a4bcfd; border-radius: 4px; padding: 0 .4rem; font-size: .85rem; }
  .warning { color: #b42318; font-weight: 600; }
`;

/** The simulator's own pages (dashboard, phone) link to each other; the payer's pages show no such links. */
const SIM_NAV = html`<nav aria-label="Simulateur">
  <a href="/__sim/">Tableau de bord <span class="hint" lang="en">(dashboard)</span></a>
  <a href="/__sim/phone">Téléphone du payeur <span class="hint" lang="en">(payer's phone)</span></a>
</nav>`;

export function layout(title: string, body: Fragment, { nav = false }: { nav?: boolean } = {}): Fragment {
  return html`<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Djomy simulator</title><style>${raw(STYLE)}</style></head>
<body>
<header>
<p class="banner">Simulateur Djomy — aucun argent réel <span class="hint" lang="en">(Djomy simulator: no real money)</span></p>
${nav ? SIM_NAV : ''}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body></html>`;
}

export function formatAmount(amount: number, country: CountryCode): string {
  const label = config().currencyLabel ?? COUNTRIES[country].currency;
  return `${amount.toLocaleString('fr-FR')} ${label}`;
}

/**
 * Where the payer's browser goes after the portal or a link page:
 * `returnUrl` with `?transactionId=…&status=…` appended unless the
 * `returnParams` switch is off; a cancel goes to `cancelUrl`, else `returnUrl`.
 */
export function payerReturnUrl(payment: Payment, cancelled: boolean): string | null {
  const base = cancelled ? (payment.cancelUrl ?? payment.returnUrl) : payment.returnUrl;
  if (!base) return null;
  if (!config().returnParams) return base;
  const url = new URL(base);
  url.searchParams.set('transactionId', payment.transactionId);
  url.searchParams.set('status', payment.status);
  return url.href;
}

/** The page a payer sees when there is nowhere to send them back to. */
export function outcomePage(payment: Payment, next: string | null): Fragment {
  return layout(
    `Paiement ${payment.status}`,
    html`<div class="card">
  <p class="amount">${formatAmount(payment.paidAmount, payment.countryCode)}</p>
  <p>Statut <span lang="en">(status)</span> : <strong data-testid="outcome-status">${payment.status}</strong></p>
  <p class="hint">Transaction ${payment.transactionId}</p>
  ${next ? html`<p><a href="${next}" data-testid="outcome-continue">Retour au marchand <span lang="en">(back to the shop)</span></a></p>` : ''}
</div>`,
  );
}
