/**
 * The payment state machine: the one place that decides whether a payment's
 * status changes, and whether it is paid (SPEC §5, djomy-api.md decision 5).
 *
 * - Only an answer of `GET /v1/payments/{id}/status` can make a payment paid;
 *   hints (create, confirmOTP, webhooks, return URL) may only move it between
 *   open statuses.
 * - A terminal status never reopens; `SUCCESS` can only become `REFUNDED`.
 * - One refinement of SPEC §5: a payment that *our ledger* closed as `TIMEOUT`
 *   (the cron, with a `close_reason`) is not Djomy's verdict, so a later
 *   terminal answer from Djomy replaces it. Money that arrives late is never lost.
 * - A `SUCCESS` whose amount, reference or currency disagrees with the order
 *   is recorded as `SUCCESS` but flagged and not paid.
 */
import { isoCurrency } from '../djomy/currency.ts';
import {
  type DjomyPaymentStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
  TERMINAL_STATUSES,
} from '../djomy/schemas.ts';
import type { Payment } from './payment.ts';

export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export function asPaymentStatus(value: string): PaymentStatus | null {
  return (PAYMENT_STATUSES as readonly string[]).includes(value) ? (value as PaymentStatus) : null;
}

/** The merchant events of SPEC §6, plus `payment.flagged` for a SUCCESS we could not accept. */
export type MerchantEvent = 'payment.succeeded' | 'payment.failed' | 'payment.refunded' | 'payment.flagged';

/** Accounting fields copied from a verify answer. */
export interface Settlement {
  paidAmount: number | null;
  receivedAmount: number | null;
  fees: number | null;
  djomyCurrency: string | null;
}

export type Transition =
  | { change: false; reason: string }
  | {
      change: true;
      to: PaymentStatus;
      paid: boolean;
      flag: string | null;
      notify: MerchantEvent | null;
      settlement: Settlement | null;
      /** Set when our ledger, not Djomy, closes the payment. */
      closeReason?: string;
      detail: Record<string, unknown>;
    };

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

/** Why a SUCCESS cannot be accepted as paid, or null when it can. */
function successFlag(payment: Payment, answer: DjomyPaymentStatus): string | null {
  if (answer.paidAmount === null || answer.paidAmount !== payment.amount) return 'amount_mismatch';
  // Only payments we created carry our id; link payments carry the link's merchantReference (decision 13).
  const ours = payment.flow === 'gateway' || payment.flow === 'direct';
  if (ours && answer.merchantPaymentReference !== payment.id) return 'reference_mismatch';
  if (answer.currency !== null) {
    const iso = isoCurrency(answer.currency);
    if (iso === null) return 'unknown_currency';
    if (iso !== payment.currency) return 'currency_mismatch';
  }
  return null;
}

/**
 * Judges a verify_payment answer against the ledger's payment.
 *
 * @example const t = judgeVerifiedStatus(payment, await djomy.getPaymentStatus(payment.transactionId))
 */
export function judgeVerifiedStatus(payment: Payment, answer: DjomyPaymentStatus): Transition {
  const reported = asPaymentStatus(answer.status);
  if (reported === null)
    return { change: false, reason: `unknown Djomy status ${answer.status}, treated as open` };
  const closedByLedger = payment.status === 'TIMEOUT' && payment.closeReason !== null;

  if (isTerminal(payment.status) && !closedByLedger) {
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

  if (reported === payment.status && !closedByLedger) return { change: false, reason: 'unchanged' };
  if (closedByLedger && !isTerminal(reported))
    return { change: false, reason: 'closed by the ledger; Djomy still open' };
  if (closedByLedger && reported === 'TIMEOUT') return { change: false, reason: 'Djomy agrees: TIMEOUT' };

  const flag = reported === 'SUCCESS' ? successFlag(payment, answer) : null;
  const paid = reported === 'SUCCESS' && flag === null;
  return {
    change: true,
    to: reported,
    paid,
    flag,
    notify: eventFor(reported, paid),
    settlement: isTerminal(reported) || reported === 'CAPTURED' ? settlementOf(answer) : null,
    detail: {
      djomyStatus: reported,
      ...(flag ? { flag, paidAmount: answer.paidAmount, currency: answer.currency } : {}),
      ...(closedByLedger ? { reopenedFrom: payment.closeReason } : {}),
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
export function afterTransition(
  payment: Payment,
  transition: Extract<Transition, { change: true }>,
  now: number,
): Payment {
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
    closeReason: transition.closeReason ?? payment.closeReason,
    version: payment.version + 1,
    updatedAt: now,
  };
}
