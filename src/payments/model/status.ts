/**
 * The payment state machine: the one place that decides whether a payment's
 * status changes, whether it is paid, and which of its Djomy transactions
 * counts (docs/money-safety.md).
 *
 * - Only an answer of Djomy's status endpoint can make a payment paid; hints
 *   (create, confirmOTP, webhooks, return URL) may only move it between open
 *   statuses.
 * - A terminal status never reopens to an open one; `SUCCESS` can only become
 *   `REFUNDED`. An unpaid close (`FAILED`, `CANCELLED`, `TIMEOUT`) gives way
 *   to a later `SUCCESS` from the status endpoint: money Djomy took is never
 *   dropped. A `TIMEOUT` our own ledger imposed (with a `close_reason`) also
 *   gives way to Djomy's later verdict, whatever it is.
 * - A `SUCCESS` whose amount, reference or currency disagrees with the order
 *   is recorded as `SUCCESS` but flagged and not paid.
 * - An order can have more than one Djomy transaction. When another one than
 *   the current reaches `SUCCESS`, an unpaid order switches to it and is
 *   paid; a paid one records it as a `duplicate_charge` for a human to refund.
 */
import { isoCurrency } from '../../djomy/currency.ts';
import {
  type DjomyPaymentStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
  TERMINAL_STATUSES,
} from '../../djomy/schemas.ts';
import type { CreateError, Payment } from './payment.ts';

/** Statuses in which a payment is still open (every status that is not terminal). */
export const OPEN_STATUSES: readonly PaymentStatus[] = PAYMENT_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.has(s),
);

export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** A Djomy status string as it may be stored for a transaction: unknown values count as open. */
export function isTerminalText(status: string): boolean {
  return TERMINAL_STATUSES.has(status as PaymentStatus);
}

export function asPaymentStatus(value: string): PaymentStatus | null {
  return (PAYMENT_STATUSES as readonly string[]).includes(value) ? (value as PaymentStatus) : null;
}

/** The merchant events: the three outcomes, plus `payment.flagged` for money that needs a human. */
export type MerchantEvent = 'payment.succeeded' | 'payment.failed' | 'payment.refunded' | 'payment.flagged';

/** Accounting fields copied from a verify answer. */
export interface Settlement {
  paidAmount: number | null;
  receivedAmount: number | null;
  fees: number | null;
  djomyCurrency: string | null;
}

/** A change to write: the status (possibly the same), what it means, and what to record with it. */
export interface Change {
  change: true;
  to: PaymentStatus;
  paid: boolean;
  flag: string | null;
  notify: MerchantEvent | null;
  /** What makes the merchant event once-only; its type when absent. */
  eventKey?: string;
  settlement: Settlement | null;
  /** Set (string) when our ledger, not Djomy, closes the payment; cleared (null) by Djomy's verdict. */
  closeReason?: string | null;
  /** The order's current Djomy transaction becomes this one. */
  transaction?: { id: string; nextUrl: string | null };
  /** Why Djomy could not create the payment (null clears it). */
  createError?: CreateError | null;
  detail: Record<string, unknown>;
}

export type Transition = { change: false; reason: string } | Change;

function settlementOf(answer: DjomyPaymentStatus): Settlement {
  return {
    paidAmount: answer.paidAmount,
    receivedAmount: answer.receivedAmount,
    fees: answer.fees,
    djomyCurrency: answer.currency,
  };
}

function eventFor(to: PaymentStatus, paid: boolean): MerchantEvent | null {
  if (to === 'SUCCESS') return paid ? 'payment.succeeded' : 'payment.flagged';
  if (to === 'REFUNDED') return 'payment.refunded';
  if (to === 'FAILED' || to === 'CANCELLED' || to === 'TIMEOUT') return 'payment.failed';
  return null;
}

/** Why a SUCCESS cannot be accepted as paid for this order, or null when it can. */
export function successFlag(payment: Payment, answer: DjomyPaymentStatus): string | null {
  if (answer.paidAmount === null || answer.paidAmount !== payment.amount) return 'amount_mismatch';
  // Only payments we created carry our id; link payments carry the link's merchantReference.
  const ours = payment.flow === 'gateway' || payment.flow === 'direct';
  if (ours && answer.merchantPaymentReference !== payment.id) return 'reference_mismatch';
  if (answer.currency !== null) {
    const iso = isoCurrency(answer.currency);
    if (iso === null) return 'unknown_currency';
    if (iso !== payment.currency) return 'currency_mismatch';
  }
  return null;
}

/** Our ledger, not Djomy, closed it: any later verdict of Djomy replaces ours. */
export function closedByLedger(payment: Pick<Payment, 'status' | 'closeReason'>): boolean {
  return payment.status === 'TIMEOUT' && payment.closeReason !== null;
}

/**
 * Judges a status-endpoint answer for the order's current transaction.
 *
 * @example const t = judgeVerifiedStatus(payment, await djomy.getPaymentStatus(payment.transactionId))
 */
export function judgeVerifiedStatus(payment: Payment, answer: DjomyPaymentStatus): Transition {
  const reported = asPaymentStatus(answer.status);
  if (reported === null)
    return { change: false, reason: `unknown Djomy status ${answer.status}, treated as open` };
  const byLedger = closedByLedger(payment);

  if (payment.status === 'SUCCESS' || payment.status === 'REFUNDED') {
    if (payment.status === 'SUCCESS' && reported === 'REFUNDED') {
      return {
        change: true,
        to: 'REFUNDED',
        paid: false,
        flag: payment.flag,
        notify: 'payment.refunded',
        settlement: settlementOf(answer),
        detail: { djomyStatus: reported },
      };
    }
    return { change: false, reason: `already ${payment.status}; Djomy says ${reported}` };
  }
  if (isTerminal(payment.status) && !byLedger && reported !== 'SUCCESS') {
    return { change: false, reason: `already ${payment.status}; Djomy says ${reported}` };
  }
  if (reported === payment.status && !byLedger) return { change: false, reason: 'unchanged' };
  if (byLedger && !isTerminal(reported))
    return { change: false, reason: 'closed by the ledger; Djomy still open' };
  if (byLedger && reported === 'TIMEOUT') return { change: false, reason: 'Djomy agrees: TIMEOUT' };

  const flag = reported === 'SUCCESS' ? successFlag(payment, answer) : null;
  const paid = reported === 'SUCCESS' && flag === null;
  const reopened = isTerminal(payment.status);
  return {
    change: true,
    to: reported,
    paid,
    flag,
    notify: eventFor(reported, paid),
    settlement: isTerminal(reported) || reported === 'CAPTURED' ? settlementOf(answer) : null,
    ...(isTerminal(reported) ? { closeReason: null } : {}),
    detail: {
      djomyStatus: reported,
      ...(flag ? { flag, paidAmount: answer.paidAmount, currency: answer.currency } : {}),
      ...(reopened ? { reopenedFrom: payment.status, closeReason: payment.closeReason } : {}),
    },
  };
}

/** A write with no verdict: the order keeps its status, and `transaction` becomes its current one. */
function adoptOnly(payment: Payment, transaction: Change['transaction'], detail: Change['detail']): Change {
  return {
    change: true,
    to: payment.status,
    paid: payment.paid,
    flag: payment.flag,
    notify: null,
    settlement: null,
    transaction,
    createError: null,
    detail,
  };
}

/**
 * Judges a status-endpoint answer for a transaction of the order that is not
 * its current one (a lost create answer, a replaced portal session, a second
 * prompt). Only a `SUCCESS` concerns the order:
 * - unpaid order: it switches to this transaction and is judged by it;
 * - paid order: the money was taken twice — recorded, flagged
 *   `duplicate_charge`, announced as `payment.flagged` naming both transactions.
 * An order without a current transaction adopts this one whatever its status.
 */
export function judgeOtherTransaction(payment: Payment, answer: DjomyPaymentStatus): Transition {
  const transaction = { id: answer.transactionId, nextUrl: null };
  if (payment.transactionId === null) {
    const judged = judgeVerifiedStatus({ ...payment, transactionId: answer.transactionId }, answer);
    if (judged.change)
      return { ...judged, transaction, detail: { ...judged.detail, adopted: transaction.id } };
    return adoptOnly(payment, transaction, { adopted: transaction.id, djomyStatus: answer.status });
  }
  if (answer.status !== 'SUCCESS')
    return { change: false, reason: `another transaction, ${answer.status}: followed, order unchanged` };
  if (payment.paid) {
    return {
      change: true,
      to: payment.status,
      paid: true,
      flag: 'duplicate_charge',
      notify: 'payment.flagged',
      eventKey: `payment.flagged:duplicate_charge:${answer.transactionId}`,
      settlement: null,
      detail: {
        flag: 'duplicate_charge',
        duplicateCharge: { transactionId: answer.transactionId, paidTransactionId: payment.transactionId },
        paidAmount: answer.paidAmount,
      },
    };
  }
  const flag = successFlag(payment, answer);
  const paid = flag === null;
  return {
    change: true,
    to: 'SUCCESS',
    paid,
    flag,
    notify: eventFor('SUCCESS', paid),
    settlement: settlementOf(answer),
    closeReason: null,
    transaction,
    detail: {
      djomyStatus: 'SUCCESS',
      switchedFrom: payment.transactionId,
      transactionId: answer.transactionId,
      ...(flag ? { flag, paidAmount: answer.paidAmount } : {}),
      ...(isTerminal(payment.status) ? { reopenedFrom: payment.status } : {}),
    },
  };
}

/**
 * A status hint from create or confirmOTP: it may move an open payment to
 * another open status, never to a terminal one (that takes a verify).
 */
export function judgeHint(payment: Payment, hint: string | null): Transition {
  const status = hint ? asPaymentStatus(hint) : null;
  if (status === null || isTerminal(payment.status) || isTerminal(status) || status === payment.status) {
    return { change: false, reason: 'hint ignored' };
  }
  return {
    change: true,
    to: status,
    paid: false,
    flag: null,
    notify: null,
    settlement: null,
    detail: { hint },
  };
}

/**
 * Djomy created the payment (our create call's answer): the transaction
 * becomes the order's current one, with the status hint of the answer.
 */
export function recordCreation(
  payment: Payment,
  created: { transactionId: string; status: string | null; nextUrl: string | null },
): Change {
  const hint = judgeHint(payment, created.status);
  const transaction = { id: created.transactionId, nextUrl: created.nextUrl };
  const detail = { transactionId: created.transactionId };
  if (hint.change) return { ...hint, transaction, createError: null, detail: { ...hint.detail, ...detail } };
  return adoptOnly(payment, transaction, detail);
}

/**
 * Djomy could not create the payment. A refusal closes it (`FAILED`, no
 * merchant event: nothing was ever asked of the payer); anything else is kept
 * so that a retry knows whether Djomy may have acted.
 */
export function recordCreateError(payment: Payment, error: CreateError, refused: boolean): Change {
  return {
    change: true,
    to: refused ? 'FAILED' : payment.status,
    paid: false,
    flag: payment.flag,
    notify: null,
    settlement: null,
    createError: error,
    ...(refused ? { closeReason: 'refused_by_djomy' } : {}),
    detail: refused ? { refusedByDjomy: error.message } : { createError: error },
  };
}

/**
 * The ledger gives up on a payment Djomy still reports open long after it
 * expired, or that Djomy never created. Recorded as `TIMEOUT` with the reason.
 */
export function closeInLedger(payment: Payment, reason: string): Transition {
  if (isTerminal(payment.status)) return { change: false, reason: `already ${payment.status}` };
  return {
    change: true,
    to: 'TIMEOUT',
    paid: false,
    flag: null,
    notify: payment.transactionId ? 'payment.failed' : null,
    settlement: null,
    closeReason: reason,
    detail: { closeReason: reason },
  };
}

/** The payment as it is once `transition` has been applied (what the store writes). */
export function afterTransition(payment: Payment, transition: Change, now: number): Payment {
  const s = transition.settlement;
  return {
    ...payment,
    status: transition.to,
    paid: transition.paid,
    flag: transition.flag,
    paidAmount: s?.paidAmount ?? payment.paidAmount,
    receivedAmount: s?.receivedAmount ?? payment.receivedAmount,
    fees: s?.fees ?? payment.fees,
    djomyCurrency: s?.djomyCurrency ?? payment.djomyCurrency,
    closeReason: transition.closeReason === undefined ? payment.closeReason : transition.closeReason,
    transactionId: transition.transaction?.id ?? payment.transactionId,
    nextUrl: transition.transaction ? transition.transaction.nextUrl : payment.nextUrl,
    createError: transition.createError === undefined ? payment.createError : transition.createError,
    paidAt: transition.paid ? (payment.paidAt ?? now) : payment.paidAt,
    version: payment.version + 1,
    updatedAt: now,
  };
}
