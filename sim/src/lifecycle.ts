/**
 * The one place where a payment's status changes, and what follows from it:
 * fees and the operator reference on success, link usage and closing rules
 * (docs/djomy.md#payment-links), and one webhook per change. Timeouts, late
 * successes and link expiry are evaluated lazily, when something reads the
 * payment or link: a Worker cannot rely on timers outliving the request.
 * The payer's test numbers (`test-numbers.ts`) bend what the payer's actions do.
 */
import { config } from './config.ts';
import { isTerminal, type PaymentStatus } from './domain.ts';
import { randomProviderReference } from './random.ts';
import { type Link, links, type Payment, payments } from './store.ts';
import { SHORT_PAYMENT, testBehaviourOf } from './test-numbers.ts';
import { queuePaymentEvent } from './webhooks.ts';

type NewPayment = Omit<
  Payment,
  'paidAmount' | 'fees' | 'receivedAmount' | 'providerReference' | 'createdAt' | 'updatedAt' | 'history'
>;

/** Stores a new payment and announces its first status. */
export function openPayment(fields: NewPayment): Payment {
  const now = new Date().toISOString();
  const payment: Payment = {
    ...fields,
    paidAmount: fields.amount,
    fees: 0,
    receivedAmount: 0,
    providerReference: null,
    createdAt: now,
    updatedAt: now,
    history: [{ status: fields.status, at: now }],
  };
  payments.set(payment.transactionId, payment);
  queuePaymentEvent(payment);
  return payment;
}

/** 1 % of what was paid, rounded to the currency's unit (whole GNF, else cents). */
function feesOn(payment: Payment): number {
  return payment.countryCode === 'GN'
    ? Math.round(payment.paidAmount * 0.01)
    : Math.round(payment.paidAmount) / 100;
}

/**
 * Moves a payment to `status`. A webhook goes out when something changed, or
 * always when `announce` is set (a test's explicit `/__sim` completion).
 */
export function changeStatus(
  payment: Payment,
  status: PaymentStatus,
  { paidAmount, announce = false }: { paidAmount?: number; announce?: boolean } = {},
): void {
  const changed =
    payment.status !== status || (paidAmount !== undefined && paidAmount !== payment.paidAmount);
  const firstSuccess = status === 'SUCCESS' && !payment.history.some((h) => h.status === 'SUCCESS');
  if (paidAmount !== undefined) payment.paidAmount = paidAmount;
  payment.status = status;
  payment.updatedAt = new Date().toISOString();
  payment.history.push({ status, at: payment.updatedAt });
  if (status === 'SUCCESS') {
    payment.fees = feesOn(payment);
    payment.receivedAmount = Math.round((payment.paidAmount - payment.fees) * 100) / 100;
    payment.providerReference ??= randomProviderReference(payment.paymentMethod ?? 'DJOMY');
  }
  if (firstSuccess && payment.paymentLinkReference) {
    const link = links.get(payment.paymentLinkReference);
    if (link) recordLinkUsage(link);
  }
  if (changed || announce) queuePaymentEvent(payment);
}

/**
 * The payer approved (OTP, phone, KULU, portal, link page). The sandbox fails
 * every OM payment (under `sandboxQuirks`), unless the payer's test number already decides.
 */
export function payerApproves(payment: Payment): void {
  switch (testBehaviourOf(payment.payerIdentifier)) {
    case 'decline':
      changeStatus(payment, 'FAILED');
      return;
    case 'lateSuccess':
      holdPending(payment);
      return;
    case 'amountMismatch':
      changeStatus(payment, 'SUCCESS', { paidAmount: Math.max(1, payment.amount - SHORT_PAYMENT) });
      return;
    default: {
      const sandboxFailsOm = config().sandboxQuirks && payment.paymentMethod === 'OM';
      changeStatus(payment, sandboxFailsOm ? 'FAILED' : 'SUCCESS');
    }
  }
}

/** The payer declined or cancelled (phone, KULU, portal): `status`, except for a late-success payer. */
export function payerDeclines(payment: Payment, status: 'FAILED' | 'CANCELLED'): void {
  if (testBehaviourOf(payment.payerIdentifier) === 'lateSuccess') holdPending(payment);
  else changeStatus(payment, status);
}

/**
 * A late-success payment answers every payer action with PENDING: the
 * operator has the money but tells Djomy only later, after the shop has
 * usually given up on the payment.
 */
function holdPending(payment: Payment): void {
  if (payment.status !== 'PENDING') changeStatus(payment, 'PENDING');
}

/** When a late-success payment succeeds on its own. */
export function lateSuccessDue(payment: Payment): Date | null {
  if (testBehaviourOf(payment.payerIdentifier) !== 'lateSuccess') return null;
  return new Date(Date.parse(payment.createdAt) + config().lateSuccessSeconds * 1000);
}

function isOpen(payment: Payment): boolean {
  return !isTerminal(payment.status) && payment.status !== 'CAPTURED';
}

/**
 * What time has done to a payment since it was last read: a late-success
 * payment succeeds once due (it never times out at Djomy), and a gateway
 * session dies after about an hour (docs/djomy.md#gateway-payment). Call it wherever a
 * payment is read, so the change and its webhook happen then.
 */
export function refreshPayment(payment: Payment): Payment {
  if (!isOpen(payment)) return payment;
  const due = lateSuccessDue(payment);
  if (due !== null) {
    const succeeded = payment.history.some((h) => h.status === 'SUCCESS');
    if (!succeeded && Date.now() >= due.getTime()) changeStatus(payment, 'SUCCESS');
    return payment;
  }
  if (payment.flow !== 'gateway') return payment;
  const deadline = Date.parse(payment.createdAt) + config().gatewayTimeoutMinutes * 60_000;
  if (Date.now() >= deadline) changeStatus(payment, 'TIMEOUT');
  return payment;
}

/**
 * A success on a link: UNIQUE closes at once (PAID, or REVOKED by setting);
 * MULTIPLE closes at its usageLimit, and without one after its first
 * success, as observed in production (docs/djomy.md#payment-links).
 */
function recordLinkUsage(link: Link): void {
  link.numberOfUsage += 1;
  if (link.status !== 'ACTIVE') return;
  if (link.usageType === 'UNIQUE') link.status = config().consumedUniqueLinkStatus;
  else if (link.usageLimit === null || link.numberOfUsage >= link.usageLimit) link.status = 'PAID';
}

/**
 * Past `expiresAt`, an active link is EXPIRED. Its payments are
 * refreshed first: a late success due before now may have closed the link.
 */
export function expireLinkIfStale(link: Link): Link {
  for (const id of link.transactionIds) {
    const payment = payments.get(id);
    if (payment) refreshPayment(payment);
  }
  if (link.status === 'ACTIVE' && link.expiresAt !== null && Date.parse(link.expiresAt) <= Date.now()) {
    link.status = 'EXPIRED';
  }
  return link;
}
