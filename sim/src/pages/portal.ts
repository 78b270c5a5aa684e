/**
 * Djomy's hosted payment portal (docs/djomy.md#gateway-payment) for gateway payments. Opening it moves
 * the payment to REDIRECTED; the payer then pays, fails or cancels, and is
 * sent back with a 303. Buttons carry stable `data-testid`s for browser tests.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { isTerminal } from '../domain.ts';
import type { SimHono } from '../env.ts';
import { changeStatus, payerApproves, payerDeclines, refreshPayment } from '../lifecycle.ts';
import { type Payment, payments } from '../store.ts';
import { formatAmount, layout, outcomePage, payerReturnUrl } from './layout.ts';
import { behaviourNote } from './test-numbers.ts';

export const portal = new Hono<SimHono>();

function gatewayPayment(id: string): Payment | null {
  const payment = payments.get(id);
  return payment?.flow === 'gateway' ? refreshPayment(payment) : null;
}

function portalForm(payment: Payment) {
  const methods = payment.allowedPaymentMethods;
  return html`<form method="post" class="card">
  <p class="amount" data-testid="portal-amount">${formatAmount(payment.amount, payment.countryCode)}</p>
  ${payment.merchantPaymentReference ? html`<p>Référence marchand : <code>${payment.merchantPaymentReference}</code></p>` : ''}
  ${payment.description ? html`<p>${payment.description}</p>` : ''}
  <p>Payeur <span lang="en">(payer)</span> : ${payment.payerIdentifier} ${behaviourNote(payment)}</p>
  <fieldset><legend>Moyen de paiement <span lang="en">(method)</span></legend>
  ${methods.map(
    (method, index) =>
      html`<label><input type="radio" name="method" value="${method}" data-testid="portal-method-${method}" ${index === 0 ? 'checked' : ''}> ${method}</label> `,
  )}
  </fieldset>
  <p>
    <button class="primary" name="action" value="pay" data-testid="portal-pay">Payer</button>
    <button name="action" value="fail" data-testid="portal-fail">Simuler un échec</button>
    <button name="action" value="cancel" data-testid="portal-cancel">Annuler</button>
  </p>
  <p class="hint">Payer → SUCCESS · échec → FAILED · annuler → CANCELLED <span lang="en">(pay, fail, cancel)</span></p>
</form>`;
}

portal.get('/portal/:transactionId', (c) => {
  const payment = gatewayPayment(c.req.param('transactionId'));
  if (!payment)
    return c.html(
      layout('Paiement introuvable', html`<p>Paiement inconnu. <span lang="en">Unknown payment.</span></p>`),
      404,
    );
  if (isTerminal(payment.status)) return c.html(outcomePage(payment, payerReturnUrl(payment, false)));
  if (payment.status === 'CREATED') changeStatus(payment, 'REDIRECTED');
  return c.html(layout('Paiement Djomy', portalForm(payment)));
});

portal.post('/portal/:transactionId', async (c) => {
  const payment = gatewayPayment(c.req.param('transactionId'));
  if (!payment)
    return c.html(
      layout('Paiement introuvable', html`<p>Paiement inconnu. <span lang="en">Unknown payment.</span></p>`),
      404,
    );
  if (isTerminal(payment.status)) return c.html(outcomePage(payment, payerReturnUrl(payment, false)), 409);
  const form = await c.req.parseBody();
  const chosen = String(form.method ?? '');
  const action = String(form.action ?? '');
  if (action !== 'cancel') {
    payment.paymentMethod = payment.allowedPaymentMethods.includes(chosen)
      ? chosen
      : (payment.allowedPaymentMethods[0] ?? null);
  }
  if (action === 'pay') payerApproves(payment);
  else if (action === 'fail') payerDeclines(payment, 'FAILED');
  else if (action === 'cancel') payerDeclines(payment, 'CANCELLED');
  else
    return c.html(
      layout('Action inconnue', html`<p>Action inconnue. <span lang="en">Unknown action.</span></p>`),
      400,
    );
  const next = payerReturnUrl(payment, action === 'cancel');
  return next ? c.redirect(next, 303) : c.html(outcomePage(payment, null));
});
