/**
 * Verify: ask Djomy for the status of a payment and apply it to the ledger.
 * This is the only path by which a payment becomes paid (decision 5).
 *
 * Used by the verify queue, the cron, the return URL, the public poll and
 * the admin "verify now". Djomy faults are thrown as `DjomyError` for the
 * caller to retry or report.
 */
import { CURRENCY_BY_COUNTRY, isoCurrency } from '../djomy/currency.ts';
import { DjomyError } from '../djomy/errors.ts';
import type { DjomyPaymentStatus } from '../djomy/schemas.ts';
import type { EventSource } from '../jobs/messages.ts';
import { eventInsert } from '../store/events.ts';
import { getLink } from '../store/links.ts';
import {
  getPayment,
  getPaymentByTransaction,
  paymentInsert,
  recordDjomyCreation,
  recordVerified,
} from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import type { PaymentDeps } from './deps.ts';
import { PAYMENT_LIFETIME } from './lifetimes.ts';
import { newPaymentId, PAYMENT_ID_PATTERN, type Payment } from './payment.ts';
import { afterTransition, judgeVerifiedStatus } from './status.ts';

export interface VerifyOutcome {
  payment: Payment;
  changed: boolean;
}

/** Djomy was not asked: the payment has no Djomy transaction (creation failed or is pending). */
export class NotAtDjomyError extends Error {
  override readonly name = 'NotAtDjomyError';
}

function djomyOf(deps: PaymentDeps) {
  if (!deps.djomy)
    throw new DjomyError({
      kind: 'unauthorized',
      operation: 'configuration',
      detail: 'Djomy settings missing',
    });
  return deps.djomy;
}

/**
 * Verifies one of our payments with Djomy.
 *
 * @example const { payment, changed } = await verifyPayment(deps, payment, 'return')
 */
export async function verifyPayment(
  deps: PaymentDeps,
  payment: Payment,
  source: EventSource,
): Promise<VerifyOutcome> {
  if (!payment.transactionId) throw new NotAtDjomyError(`payment ${payment.id} has no Djomy transaction`);
  const answer = await djomyOf(deps).getPaymentStatus(payment.transactionId);
  return applyDjomyStatus(deps, payment, answer, source);
}

/**
 * Applies a verify answer, re-reading and re-judging if another writer
 * changed the payment in between (optimistic concurrency).
 */
export async function applyDjomyStatus(
  deps: PaymentDeps,
  payment: Payment,
  answer: DjomyPaymentStatus,
  source: EventSource,
): Promise<VerifyOutcome> {
  let current = payment;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.now();
    const transition = judgeVerifiedStatus(current, answer);
    if (!transition.change) {
      if (transition.reason.startsWith('unknown Djomy status')) {
        deps.log.warn('unknown Djomy status', { paymentId: current.id, status: answer.status });
      }
      await recordVerified(deps.db, current.id, now);
      return {
        payment: { ...current, verifiedAt: now, verifyCount: current.verifyCount + 1 },
        changed: false,
      };
    }
    if (await commitTransition(deps, current, transition, { source, now, verified: true })) {
      return { payment: afterTransition(current, transition, now), changed: true };
    }
    const fresh = await getPayment(deps.db, current.id);
    if (!fresh) throw new Error(`payment ${current.id} vanished`);
    current = fresh;
  }
  throw new Error(`payment ${payment.id}: too much contention`);
}

/**
 * Verifies a Djomy transaction named by a webhook. It may be one of ours,
 * one of ours whose creation answer we never received, or a payment made on a
 * payment link (ours or not): in the last case it is added to the ledger from
 * Djomy's own data (SPEC §4), so that nothing Djomy reports is lost.
 *
 * Returns null when Djomy does not know the transaction.
 */
export async function verifyTransaction(
  deps: PaymentDeps,
  transactionId: string,
  source: EventSource,
): Promise<VerifyOutcome | null> {
  const known = await getPaymentByTransaction(deps.db, transactionId);
  if (known) return verifyPayment(deps, known, source);
  let answer: DjomyPaymentStatus;
  try {
    answer = await djomyOf(deps).getPaymentStatus(transactionId);
  } catch (error) {
    if (error instanceof DjomyError && error.kind === 'not_found') return null;
    throw error;
  }
  const reference = answer.merchantPaymentReference ?? '';
  if (PAYMENT_ID_PATTERN.test(reference)) {
    const ours = await getPayment(deps.db, reference);
    if (ours && !ours.transactionId) {
      // Our create call timed out but Djomy did create it: adopt the transaction.
      await recordDjomyCreation(deps.db, ours.id, { transactionId, nextUrl: null }, deps.now());
      const adopted = await getPayment(deps.db, ours.id);
      if (adopted?.transactionId === transactionId) return applyDjomyStatus(deps, adopted, answer, source);
    }
    if (ours) {
      deps.log.warn('Djomy transaction superseded by a newer one', { paymentId: ours.id, transactionId });
      return { payment: ours, changed: false };
    }
  }
  const recorded = await recordForeignPayment(deps, answer);
  return applyDjomyStatus(deps, recorded, answer, 'link');
}

/** Adds a payment we did not create (link or unknown origin) to the ledger, from Djomy's data. */
async function recordForeignPayment(deps: PaymentDeps, answer: DjomyPaymentStatus): Promise<Payment> {
  const now = deps.now();
  const link = answer.paymentLinkReference ? await getLink(deps.db, answer.paymentLinkReference) : null;
  const country = link?.countryCode ?? deps.config.defaultCountry;
  const currency =
    (answer.currency && isoCurrency(answer.currency)) ??
    CURRENCY_BY_COUNTRY[country as keyof typeof CURRENCY_BY_COUNTRY] ??
    'GNF';
  const flow = answer.paymentLinkReference ? 'link' : 'external';
  const id = newPaymentId();
  try {
    await deps.db.batch([
      paymentInsert(deps.db, {
        id,
        flow,
        status: 'CREATED',
        amount: link?.amount ?? answer.paidAmount ?? 0,
        currency,
        countryCode: country,
        paymentMethod: answer.paymentMethod,
        payerPhone: answer.payerIdentifier,
        reference: answer.merchantPaymentReference || link?.merchantReference || null,
        items: null,
        metadata: null,
        allowedMethods: null,
        successUrl: null,
        cancelUrl: null,
        transactionId: answer.transactionId,
        linkReference: link?.reference ?? null,
        expiresAt: now + PAYMENT_LIFETIME[flow],
        createdAt: now,
      }),
      eventInsert(deps.db, {
        paymentId: id,
        from: null,
        to: 'CREATED',
        source: 'link',
        detail: {
          recordedFromDjomy: true,
          paymentLinkReference: answer.paymentLinkReference,
          ourLink: Boolean(link),
        },
        at: now,
      }),
    ]);
  } catch (error) {
    // Another verify recorded the same transaction first (transaction_id is UNIQUE).
    const winner = await getPaymentByTransaction(deps.db, answer.transactionId);
    if (winner) return winner;
    throw error;
  }
  deps.log.info('payment recorded from Djomy', {
    paymentId: id,
    flow,
    linkReference: answer.paymentLinkReference,
  });
  const recorded = await getPayment(deps.db, id);
  if (!recorded) throw new Error(`payment ${id} vanished`);
  return recorded;
}
