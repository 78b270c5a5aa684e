/**
 * Verify: ask Djomy's status endpoint about a transaction and apply the
 * answer to the ledger. This is the only path by which a payment becomes
 * paid.
 *
 * Used by the verify queue, the cron, the return URL, the public poll and
 * the admin "verify now". Djomy faults are thrown as `DjomyError` for the
 * caller to retry or report.
 */
import { CURRENCY_BY_COUNTRY, isoCurrency } from '../djomy/currency.ts';
import { DjomyError } from '../djomy/errors.ts';
import type { DjomyPaymentStatus } from '../djomy/schemas.ts';
import { getLink } from '../store/links.ts';
import { getPayment, getTransaction, insertPayment, recordVerified } from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import { djomyOf, type PaymentDeps } from './deps.ts';
import { PAYMENT_LIFETIME } from './model/lifetimes.ts';
import type { EventSource } from './model/messages.ts';
import { newPayment, PAYMENT_ID_PATTERN, type Payment } from './model/payment.ts';
import { judgeOtherTransaction, judgeVerifiedStatus, successFlag, type Transition } from './model/status.ts';

export interface VerifyOutcome {
  payment: Payment;
  changed: boolean;
}

/** Djomy was not asked: the payment has no Djomy transaction (creation failed or is pending). */
export class NotAtDjomyError extends Error {
  override readonly name = 'NotAtDjomyError';
}

/**
 * Verifies the current Djomy transaction of one of our payments.
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
  return applyAnswer(deps, payment, answer, source);
}

/**
 * Applies a status-endpoint answer about any transaction of `payment`,
 * re-reading and re-judging if another writer changed the payment in between
 * (optimistic concurrency). The transaction itself is recorded whatever the
 * order's fate, so that it is followed until it closes.
 */
export async function applyAnswer(
  deps: PaymentDeps,
  payment: Payment,
  answer: DjomyPaymentStatus,
  source: EventSource,
): Promise<VerifyOutcome> {
  let current = payment;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.now();
    const isCurrent = current.transactionId === answer.transactionId;
    const transition: Transition = isCurrent
      ? judgeVerifiedStatus(current, answer)
      : judgeOtherTransaction(current, answer);
    const news = {
      transactionId: answer.transactionId,
      paymentId: current.id,
      status: answer.status,
      origin: 'found' as const,
      paidAmount: answer.paidAmount,
      flag: transactionFlag(current, answer, transition),
      verified: true,
    };
    if (!transition.change) {
      if (transition.reason.startsWith('unknown Djomy status')) {
        deps.log.warn('unknown Djomy status', { paymentId: current.id, status: answer.status });
      }
      await recordVerified(deps.db, news, { current: isCurrent, now });
      return {
        payment: isCurrent ? { ...current, verifiedAt: now, verifyCount: current.verifyCount + 1 } : current,
        changed: false,
      };
    }
    // Counted as a check of the order when the answer is about its (new) current transaction.
    const verified = isCurrent || transition.transaction !== undefined;
    const written = await commitTransition(deps, current, transition, {
      source,
      now,
      verified,
      transaction: news,
    });
    if (written) return { payment: written, changed: true };
    const fresh = await getPayment(deps.db, current.id);
    if (!fresh) throw new Error(`payment ${current.id} vanished`);
    current = fresh;
  }
  throw new Error(`payment ${payment.id}: too much contention`);
}

/** What a transaction needs a human for: money taken twice, or a success that does not match the order. */
function transactionFlag(
  payment: Payment,
  answer: DjomyPaymentStatus,
  transition: Transition,
): string | null {
  if (answer.status !== 'SUCCESS') return null;
  if (transition.change && transition.flag === 'duplicate_charge') return 'duplicate_charge';
  return successFlag(payment, answer);
}

/**
 * Verifies a Djomy transaction named by a webhook or the cron. It may be the
 * current transaction of one of ours, another transaction of one of ours
 * (a create whose answer we never received, a replaced portal session), or a
 * payment made on a payment link (ours or not): in the last case it is added
 * to the ledger from Djomy's own data, so that nothing Djomy reports is lost.
 *
 * Returns null when Djomy does not know the transaction.
 */
export async function verifyTransaction(
  deps: PaymentDeps,
  transactionId: string,
  source: EventSource,
): Promise<VerifyOutcome | null> {
  const known = await getTransaction(deps.db, transactionId);
  let answer: DjomyPaymentStatus;
  try {
    answer = await djomyOf(deps).getPaymentStatus(transactionId);
  } catch (error) {
    if (error instanceof DjomyError && error.kind === 'not_found') return null;
    throw error;
  }
  if (known) return applyAnswer(deps, known.payment, answer, source);
  const reference = answer.merchantPaymentReference ?? '';
  const ours = PAYMENT_ID_PATTERN.test(reference) ? await getPayment(deps.db, reference) : null;
  if (ours) return applyAnswer(deps, ours, answer, source);
  const recorded = await recordForeignPayment(deps, answer);
  return applyAnswer(deps, recorded, answer, 'link');
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
  const payment = newPayment({
    flow,
    amount: link?.amount ?? answer.paidAmount ?? 0,
    currency,
    countryCode: country,
    paymentMethod: answer.paymentMethod,
    payerPhone: answer.payerIdentifier,
    reference: answer.merchantPaymentReference || link?.merchantReference || null,
    transactionId: answer.transactionId,
    linkReference: link?.reference ?? null,
    expiresAt: now + PAYMENT_LIFETIME[flow],
    createdAt: now,
  });
  let outcome: Awaited<ReturnType<typeof insertPayment>>;
  try {
    outcome = await insertPayment(deps.db, payment, {
      source: 'link',
      now,
      transaction: {
        transactionId: answer.transactionId,
        paymentId: payment.id,
        status: answer.status,
        origin: 'found',
        verified: false,
      },
      detail: {
        recordedFromDjomy: true,
        paymentLinkReference: answer.paymentLinkReference,
        ourLink: Boolean(link),
      },
    });
  } catch (error) {
    // Another verify recorded the same transaction first (transaction_id is UNIQUE).
    const winner = await getTransaction(deps.db, answer.transactionId);
    if (winner) return winner.payment;
    throw error;
  }
  if (outcome.kind !== 'inserted') throw new Error(`payment ${payment.id} not recorded: ${outcome.kind}`);
  deps.log.info('payment recorded from Djomy', {
    paymentId: payment.id,
    flow,
    linkReference: answer.paymentLinkReference,
  });
  return outcome.payment;
}
