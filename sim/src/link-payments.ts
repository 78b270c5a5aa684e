/**
 * A payer paying on a payment link, from the link page or `/__sim`. The
 * payment carries the link's `paymentLinkReference`, and its
 * `merchantReference` as `merchantPaymentReference` (empty when the link has
 * none, like a static shop QR; docs/djomy.md#payment-links).
 */
import type { PaymentStatus } from './domain.ts';
import { changeStatus, expireLinkIfStale, openPayment, payerApproves } from './lifecycle.ts';
import type { Link, Payment } from './store.ts';

export interface LinkPayment {
  amount?: number;
  paymentMethod?: string;
  phone?: string;
  /** The outcome; left out, the payer simply approves (and the sandbox fails OM). */
  status?: PaymentStatus;
}

/** A payment on the link, or why the link cannot take one. */
export function payOnLink(link: Link, request: LinkPayment): Payment | { refused: string } {
  if (expireLinkIfStale(link).status !== 'ACTIVE') return { refused: `link is ${link.status}` };
  const amount = request.amount ?? link.amountToPay;
  if (amount === null || amount === undefined) return { refused: 'this link has no amount: give one' };
  const paymentMethod = request.paymentMethod ?? link.allowedPaymentMethods[0] ?? 'OM';
  const payment = openPayment({
    transactionId: crypto.randomUUID(),
    flow: 'link',
    mode: 'link',
    status: 'PENDING',
    amount,
    countryCode: link.countryCode,
    paymentMethod,
    payerIdentifier: request.phone ?? link.phoneNumber ?? '00224620000000',
    otp: null,
    merchantPaymentReference: link.merchantReference ?? '',
    description: link.description,
    returnUrl: link.returnUrl,
    cancelUrl: link.cancelUrl,
    metadata: link.metadata,
    allowedPaymentMethods: link.allowedPaymentMethods,
    paymentLinkReference: link.reference,
    redirectUrl: null,
  });
  link.transactionIds.push(payment.transactionId);
  if (request.status) changeStatus(payment, request.status);
  else payerApproves(payment);
  return payment;
}
