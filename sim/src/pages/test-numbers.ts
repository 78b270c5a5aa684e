/**
 * The payer's test numbers as the dashboard and the phone page show them: the
 * list of what each number does, and the name of the behaviour next to each
 * payment made with one, so a person clicking through `npm run dev` sees why
 * a payment acts oddly.
 */
import { html } from 'hono/html';
import { isTerminal } from '../domain.ts';
import { lateSuccessDue } from '../lifecycle.ts';
import type { Payment } from '../store.ts';
import { TEST_NUMBERS, type TestBehaviour, testBehaviourOf } from '../test-numbers.ts';
import type { Fragment } from './layout.ts';

export function testNumbersSection(): Fragment {
  const rows = (Object.entries(TEST_NUMBERS) as [TestBehaviour, (typeof TEST_NUMBERS)[TestBehaviour]][]).map(
    ([behaviour, number]) => html`<tr data-testid="test-number-${behaviour}">
  <td><code>${number.national}</code><br><span class="hint">${number.phone}</span></td>
  <td><strong>${number.label.fr}</strong><br>${number.effect.fr}</td>
  <td lang="en"><strong>${number.label.en}</strong><br>${number.effect.en}</td>
</tr>`,
  );
  return html`<section aria-labelledby="test-numbers-title">
<h2 id="test-numbers-title">Numéros de test <span class="hint" lang="en">(test numbers)</span></h2>
<p>Le numéro du payeur choisit l'issue ; tout autre numéro se comporte normalement.
<span class="hint" lang="en">The payer's number chooses the outcome; any other number behaves normally.</span></p>
<table>
  <tr><th scope="col">Numéro <span lang="en">(number)</span></th><th scope="col">Effet</th><th scope="col" lang="en">Effect</th></tr>
  ${rows}
</table>
</section>`;
}

/** Names the behaviour of a payment whose payer is a test number; empty otherwise. */
export function behaviourNote(payment: Payment): Fragment | '' {
  const behaviour = testBehaviourOf(payment.payerIdentifier);
  if (!behaviour) return '';
  const { label } = TEST_NUMBERS[behaviour];
  const due = lateSuccessDue(payment);
  return html`<span class="test-number" data-testid="test-behaviour-${payment.transactionId}">Numéro de test : ${label.fr} <span lang="en">(test number: ${label.en})</span></span>${
    due && !isTerminal(payment.status)
      ? html` <span class="hint">SUCCESS vers ${due.toISOString().slice(11, 19)} UTC</span>`
      : ''
  }`;
}
