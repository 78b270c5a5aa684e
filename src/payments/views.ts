/**
 * How the ledger shows a payment to the merchant's people and tools: a line
 * of a list, the full record, a page cursor. A cashier (`viewer`) and an AI
 * assistant see payer phones masked; the merchant (`admin`) sees them whole.
 */
import { maskPhone } from '../djomy/phone.ts';
import { PAYMENT_ID_PATTERN, type Payment, publicView } from './model/payment.ts';

export type Role = 'admin' | 'viewer';

/** Whether `role` may see payer phones whole. */
export const revealsPhones = (role: Role): boolean => role === 'admin';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A line of a list. */
export function paymentSummary(payment: Payment) {
  return {
    ...publicView(payment),
    transactionId: payment.transactionId,
    payer: payment.payerPhone ? maskPhone(payment.payerPhone) : null,
    flag: payment.flag,
    createdAt: new Date(payment.createdAt).toISOString(),
    paidAt: iso(payment.paidAt),
  };
}

/** Everything the ledger knows of one payment; the phone whole only for `admin`. */
export function paymentRecord(payment: Payment, role: Role) {
  return {
    ...paymentSummary(payment),
    payer: payment.payerPhone && !revealsPhones(role) ? maskPhone(payment.payerPhone) : payment.payerPhone,
    countryCode: payment.countryCode,
    items: payment.items,
    metadata: payment.metadata,
    allowedPaymentMethods: payment.allowedMethods,
    successUrl: payment.successUrl,
    cancelUrl: payment.cancelUrl,
    linkReference: payment.linkReference,
    nextUrl: payment.nextUrl,
    paidAmount: payment.paidAmount,
    receivedAmount: payment.receivedAmount,
    fees: payment.fees,
    djomyCurrency: payment.djomyCurrency,
    createError: payment.createError,
    closeReason: payment.closeReason,
    lastError: payment.lastError,
    verifyCount: payment.verifyCount,
    verifiedAt: iso(payment.verifiedAt),
    expiresAt: new Date(payment.expiresAt).toISOString(),
  };
}

/** The opaque cursor that continues a list after `payment`. */
export function encodeCursor(payment: Pick<Payment, 'createdAt' | 'id'>): string {
  return btoa(JSON.stringify([payment.createdAt, payment.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  try {
    const [createdAt, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [
      unknown,
      unknown,
    ];
    if (typeof createdAt === 'number' && typeof id === 'string' && PAYMENT_ID_PATTERN.test(id))
      return { createdAt, id };
  } catch {}
  return null;
}

/**
 * What a receipt shows: everything only for a paid payment; otherwise just
 * that it is not paid (yet), so nothing unpaid can look like a receipt. The
 * phone is masked: the page is for the payer and whoever they show it to.
 */
export function receiptView(payment: Payment, merchantName: string | null, now: number) {
  const paid = payment.paid;
  return {
    paid,
    status: payment.status,
    merchantName,
    amount: payment.amount,
    currency: payment.currency,
    paymentMethod: paid ? payment.paymentMethod : null,
    reference: paid ? payment.reference : null,
    paidAt: paid ? iso(payment.paidAt ?? payment.verifiedAt) : null,
    payer: paid && payment.payerPhone ? maskPhone(payment.payerPhone) : null,
    transactionId: paid ? payment.transactionId : null,
    checkedAt: new Date(now).toISOString(),
  };
}
