/**
 * Progressive enhancement of the no-JavaScript buy button page (the form
 * needs none of it):
 * - `/checkout` wants absolute successUrl/cancelUrl, and a static page does
 *   not know the origin it is deployed on, so they are added here; without
 *   JavaScript the payer ends on the Worker's own result page instead;
 * - the snippet shows this Worker's real origin;
 * - the language toggle.
 */
import { setupLanguage } from './i18n.js';

const form = document.querySelector('[data-testid="buy-form"]');
for (const [name, page] of [
  ['successUrl', 'success.html'],
  ['cancelUrl', 'cancel.html'],
]) {
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = name;
  input.value = new URL(page, location.href).href;
  form.append(input);
}
for (const node of document.querySelectorAll('[data-worker-origin]')) node.textContent = location.origin;
document.querySelector('[data-testid="lang-toggle"]')?.removeAttribute('hidden');
setupLanguage();
