/**
 * The public page behind a link's `paymentPageUrl` (docs/djomy.md#payment-links): the payer types
 * the amount when the link has none, a phone and a method, and pays. With
 * `skipDjomyStatusPage` the payer goes straight back to `returnUrl`.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { isPayerPhone } from '../domain.ts';
import type { SimHono } from '../env.ts';
import { expireLinkIfStale } from '../lifecycle.ts';
import { payOnLink } from '../link-payments.ts';
import { type Link, links } from '../store.ts';
import { formatAmount, layout, outcomePage, payerReturnUrl } from './layout.ts';

export const linkPage = new Hono<SimHono>();

function linkForm(link: Link, problem: readonly [string, string] | null) {
  return html`<form method="post" class="card">
  ${link.linkName ? html`<p><strong>${link.linkName}</strong></p>` : ''}
  ${link.description ? html`<p>${link.description}</p>` : ''}
  ${
    link.amountToPay !== null
      ? html`<p class="amount" data-testid="link-amount">${formatAmount(link.amountToPay, link.countryCode)}</p>`
      : html`<p><label>Montant <span lang="en">(amount)</span> <input name="amount" inputmode="numeric" required data-testid="link-amount-input"></label></p>`
  }
  <p><label>Téléphone <span lang="en">(phone)</span> <input name="phone" value="${link.phoneNumber ?? ''}" placeholder="00224620000000" required data-testid="link-phone"></label></p>
  <p><label>Moyen <span lang="en">(method)</span> <select name="method" data-testid="link-method">
    ${link.allowedPaymentMethods.map((m) => html`<option>${m}</option>`)}
  </select></label></p>
  ${link.customFields.map(
    (field) =>
      html`<p><label>${field.label} <input name="custom:${field.label}" placeholder="${field.placeholder ?? ''}" ${field.required ? 'required' : ''}></label></p>`,
  )}
  ${problem ? html`<p role="alert" data-testid="link-error">${problem[0]} <span lang="en">${problem[1]}</span></p>` : ''}
  <button class="primary" data-testid="link-pay">Payer</button>
  <p class="hint">${link.usageType} · ${link.numberOfUsage}${link.usageLimit !== null ? ` / ${link.usageLimit}` : ''} paiement(s)</p>
</form>`;
}

function closedPage(link: Link) {
  return layout(
    'Lien fermé',
    html`<p data-testid="link-closed">Ce lien n'accepte plus de paiements (${link.status}). <span lang="en">This link takes no more payments.</span></p>`,
  );
}

linkPage.get('/links/:reference', (c) => {
  const link = links.get(c.req.param('reference'));
  if (!link)
    return c.html(
      layout('Lien introuvable', html`<p>Lien inconnu. <span lang="en">Unknown link.</span></p>`),
      404,
    );
  if (expireLinkIfStale(link).status !== 'ACTIVE') return c.html(closedPage(link), 410);
  return c.html(layout('Payer avec Djomy', linkForm(link, null)));
});

linkPage.post('/links/:reference', async (c) => {
  const link = links.get(c.req.param('reference'));
  if (!link)
    return c.html(
      layout('Lien introuvable', html`<p>Lien inconnu. <span lang="en">Unknown link.</span></p>`),
      404,
    );
  const form = await c.req.parseBody();
  const phone = String(form.phone ?? '').trim();
  const amountText = String(form.amount ?? '').trim();
  const amount = link.amountToPay ?? (/^\d+(\.\d{1,2})?$/.test(amountText) ? Number(amountText) : 0);
  const problem: readonly [string, string] | null = !isPayerPhone(phone)
    ? ['Numéro invalide (format 00224XXXXXXXXX).', 'Invalid number.']
    : amount <= 0 || (link.countryCode === 'GN' && !Number.isInteger(amount))
      ? ['Montant invalide.', 'Invalid amount.']
      : null;
  if (problem) return c.html(layout('Payer avec Djomy', linkForm(link, problem)), 400);
  const method = String(form.method ?? '');
  const result = payOnLink(link, { amount, phone, paymentMethod: method || undefined });
  if ('refused' in result) return c.html(closedPage(link), 410);
  const next = payerReturnUrl(result, false);
  if (next && link.skipDjomyStatusPage) return c.redirect(next, 303);
  return c.html(outcomePage(result, next));
});
