/**
 * `/__sim/`: what the simulator holds right now, for a person running
 * `npm run dev`: payments (with their OTP and the behaviour of a test payer)
 * and buttons to complete them with any status, how many payments each
 * merchant reference got, the test numbers, links, and the active
 * configuration.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { config } from '../config.ts';
import type { SimHono } from '../env.ts';
import { currentFaults } from '../faults.ts';
import { changeStatus, expireLinkIfStale, refreshPayment } from '../lifecycle.ts';
import { allPayments, links, type Payment, payments, paymentsByReference } from '../store.ts';
import { formatAmount, layout } from './layout.ts';
import { behaviourNote, testNumbersSection } from './test-numbers.ts';

export const dashboard = new Hono<SimHono>();

const COMPLETIONS = ['SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED', 'CAPTURED'] as const;

function paymentRow(payment: Payment) {
  const id = payment.transactionId;
  const page = payment.flow === 'gateway' || payment.mode === 'redirect' ? payment.redirectUrl : null;
  return html`<tr data-testid="dashboard-payment-${id}">
  <td><code>${id.slice(0, 8)}</code><br><span class="hint">${payment.flow}/${payment.mode}</span></td>
  <td>${formatAmount(payment.paidAmount, payment.countryCode)}<br>${payment.paymentMethod ?? '—'}</td>
  <td><strong>${payment.status}</strong>${payment.otp ? html`<br>OTP <span class="otp">${payment.otp}</span>` : ''}</td>
  <td>${payment.payerIdentifier}<br>${behaviourNote(payment)}</td>
  <td>${payment.merchantPaymentReference || '—'}${page ? html`<br><a href="${page}">page</a>` : ''}</td>
  <td><form method="post" action="/__sim/ui/payments/${id}/complete">
    ${COMPLETIONS.map((status) => html`<button name="status" value="${status}">${status}</button>`)}
  </form></td>
</tr>`;
}

/** Merchant references with their payment count; more than one is a double charge to look into. */
function referencesSection() {
  const entries = Object.entries(paymentsByReference());
  return html`<h2>Références marchand <span class="hint" lang="en">(payments per merchant reference)</span></h2>
${
  entries.length === 0
    ? html`<p class="hint">Aucune <span lang="en">(none)</span>.</p>`
    : html`<table>
  <tr><th scope="col">Référence</th><th scope="col">Paiements Djomy</th><th scope="col">Transactions</th></tr>
  ${entries.map(
    ([reference, { count, transactionIds }]) => html`<tr data-testid="dashboard-reference-${reference}">
  <td><code>${reference}</code></td>
  <td>${count > 1 ? html`<span class="warning">${count} — plusieurs paiements <span lang="en">(several payments)</span></span>` : count}</td>
  <td>${transactionIds.map((id) => html`<code>${id.slice(0, 8)}</code> `)}</td>
</tr>`,
  )}
</table>`
}`;
}

dashboard.get('/__sim', (c) => c.redirect('/__sim/', 302));
dashboard.get('/__sim/', (c) => {
  const all = allPayments().map(refreshPayment);
  const allLinks = [...links.values()].reverse().map(expireLinkIfStale);
  const body = html`<p><a href="/__sim/">Rafraîchir <span lang="en">(refresh)</span></a></p>
<h2>Paiements <span class="hint" lang="en">(payments)</span> (${all.length})</h2>
${
  all.length === 0
    ? html`<p class="hint">Aucun paiement <span lang="en">(no payment yet)</span>.</p>`
    : html`<table><tr><th scope="col">Transaction</th><th scope="col">Montant</th><th scope="col">Statut</th><th scope="col">Payeur</th><th scope="col">Référence</th><th scope="col">Terminer avec <span lang="en">(complete as)</span></th></tr>
${all.map(paymentRow)}</table>`
}
${referencesSection()}
${testNumbersSection()}
<h2>Liens <span class="hint" lang="en">(links)</span> (${allLinks.length})</h2>
<ul>${allLinks.map(
    (link) =>
      html`<li><a href="/links/${link.reference}">${link.reference}</a> · ${link.status} · ${link.usageType} · ${link.numberOfUsage} paiement(s)</li>`,
  )}</ul>
<h2>Configuration</h2>
<pre>${JSON.stringify(config(), null, 2)}</pre>
<h2>Pannes simulées <span class="hint" lang="en">(faults)</span></h2>
<pre>${JSON.stringify(currentFaults(), null, 2)}</pre>`;
  return c.html(layout('Simulateur Djomy', body, { nav: true }));
});

dashboard.post('/__sim/ui/payments/:transactionId/complete', async (c) => {
  const payment = payments.get(c.req.param('transactionId'));
  const status = (await c.req.parseBody()).status;
  const known = (COMPLETIONS as readonly unknown[]).includes(status);
  if (payment && known) changeStatus(payment, status as (typeof COMPLETIONS)[number], { announce: true });
  return c.redirect('/__sim/', 303);
});
