/**
 * The payer's side of direct payments (docs/djomy.md#otp-or-phone-approval): the phone page shows
 * each open OTP or push payment with its OTP and Approve / Decline buttons,
 * and the KULU page is what the KULU `redirectUrl` opens. A late-success
 * test payer's pending payment also shows there, with a button to make its
 * late success happen now instead of waiting.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { SimHono } from '../env.ts';
import { changeStatus, lateSuccessDue, payerApproves, payerDeclines, refreshPayment } from '../lifecycle.ts';
import { allPayments, type Payment, payments } from '../store.ts';
import { formatAmount, layout, outcomePage, payerReturnUrl } from './layout.ts';
import { behaviourNote, testNumbersSection } from './test-numbers.ts';

export const phone = new Hono<SimHono>();

function isWaitingOnPhone(payment: Payment): boolean {
  return payment.flow === 'direct' && payment.status === 'PENDING' && payment.mode !== 'redirect';
}

/** A late-success payment the payer has acted on (any flow), whose success has not come yet. */
function isAwaitingLateSuccess(payment: Payment): boolean {
  return payment.status === 'PENDING' && lateSuccessDue(payment) !== null;
}

function prompt(payment: Payment) {
  const id = payment.transactionId;
  const answers = isWaitingOnPhone(payment)
    ? html`<form method="post" action="/__sim/phone/${id}/approve" style="display:inline">
    <button class="primary" data-testid="phone-approve-${id}">Approuver</button></form>
  <form method="post" action="/__sim/phone/${id}/decline" style="display:inline">
    <button data-testid="phone-decline-${id}">Refuser</button></form>`
    : '';
  const note = behaviourNote(payment);
  const lateNow = isAwaitingLateSuccess(payment)
    ? html`<form method="post" action="/__sim/phone/${id}/late-success" style="display:inline">
    <button data-testid="phone-late-success-${id}">Réussir maintenant (en retard) <span lang="en">/ Succeed late now</span></button></form>`
    : '';
  return html`<div class="card" data-testid="phone-payment-${id}">
  <p class="amount">${formatAmount(payment.amount, payment.countryCode)}</p>
  <p>${payment.paymentMethod ?? payment.flow} · ${payment.payerIdentifier}
    ${payment.merchantPaymentReference ? html` · réf. <code>${payment.merchantPaymentReference}</code>` : ''}</p>
  ${note ? html`<p>${note}</p>` : ''}
  ${
    payment.otp
      ? html`<p>Code OTP reçu par SMS <span lang="en">(OTP sent to the payer)</span> : <span class="otp" data-testid="phone-otp-${id}">${payment.otp}</span></p>`
      : isWaitingOnPhone(payment)
        ? html`<p class="hint">Demande sur le téléphone : approuvez ou refusez. <span lang="en">Push prompt: approve or decline on the phone.</span></p>`
        : ''
  }
  ${answers}
  ${lateNow}
  <p class="hint">${id}</p>
</div>`;
}

phone.get('/__sim/phone', (c) => {
  const waiting = allPayments()
    .map(refreshPayment)
    .filter((p) => isWaitingOnPhone(p) || isAwaitingLateSuccess(p));
  const body = html`<p><a href="/__sim/phone">Rafraîchir <span lang="en">(refresh)</span></a></p>
${waiting.length > 0 ? waiting.map(prompt) : html`<p data-testid="phone-empty">Aucune demande en attente <span lang="en">(no pending prompt)</span>.</p>`}
${testNumbersSection()}`;
  return c.html(layout('Téléphone du payeur', body, { nav: true }));
});

/**
 * Approve → SUCCESS (FAILED for OM under sandbox quirks); decline → FAILED,
 * as an operator reports it; a test number may decide otherwise.
 */
phone.post('/__sim/phone/:transactionId/:answer{approve|decline}', (c) => {
  const payment = payments.get(c.req.param('transactionId'));
  if (!payment || !isWaitingOnPhone(refreshPayment(payment))) {
    return c.html(
      layout(
        'Plus de demande',
        html`<p>Ce paiement n'attend plus le téléphone. <span lang="en">This payment is not waiting on the phone.</span></p>`,
      ),
      409,
    );
  }
  if (c.req.param('answer') === 'approve') payerApproves(payment);
  else payerDeclines(payment, 'FAILED');
  return c.redirect('/__sim/phone', 303);
});

/** The operator's late confirmation, now rather than `lateSuccessSeconds` after creation. */
phone.post('/__sim/phone/:transactionId/late-success', (c) => {
  const payment = payments.get(c.req.param('transactionId'));
  if (!payment || !isAwaitingLateSuccess(refreshPayment(payment))) {
    return c.html(
      layout(
        'Plus de demande',
        html`<p>Ce paiement n'attend pas de succès tardif. <span lang="en">This payment is not awaiting a late success.</span></p>`,
      ),
      409,
    );
  }
  changeStatus(payment, 'SUCCESS');
  return c.redirect('/__sim/phone', 303);
});

function kuluPayment(id: string): Payment | null {
  const payment = payments.get(id);
  return payment?.mode === 'redirect' ? refreshPayment(payment) : null;
}

phone.get('/kulu/:transactionId', (c) => {
  const payment = kuluPayment(c.req.param('transactionId'));
  if (!payment)
    return c.html(
      layout('Paiement introuvable', html`<p>Paiement inconnu. <span lang="en">Unknown payment.</span></p>`),
      404,
    );
  if (payment.status !== 'PENDING') return c.html(outcomePage(payment, payerReturnUrl(payment, false)));
  const body = html`<form method="post" class="card">
  <p class="amount">${formatAmount(payment.amount, payment.countryCode)}</p>
  <p>Kulu · ${payment.payerIdentifier}</p>
  <button class="primary" name="answer" value="approve" data-testid="kulu-approve">Approuver</button>
  <button name="answer" value="decline" data-testid="kulu-decline">Refuser</button>
</form>`;
  return c.html(layout('Kulu (Digital Pay)', body));
});

/** Approve → SUCCESS; decline → CANCELLED (the payer backed out in the app). */
phone.post('/kulu/:transactionId', async (c) => {
  const payment = kuluPayment(c.req.param('transactionId'));
  if (!payment)
    return c.html(
      layout('Paiement introuvable', html`<p>Paiement inconnu. <span lang="en">Unknown payment.</span></p>`),
      404,
    );
  if (payment.status !== 'PENDING') return c.html(outcomePage(payment, payerReturnUrl(payment, false)), 409);
  const declined = (await c.req.parseBody()).answer === 'decline';
  if (declined) payerDeclines(payment, 'CANCELLED');
  else payerApproves(payment);
  const next = payerReturnUrl(payment, declined);
  return next ? c.redirect(next, 303) : c.html(outcomePage(payment, null));
});
