/**
 * The simulator's memory: every payment and link it knows, with the truth
 * that Djomy's API does not show (OTP, mode, URLs). One process-wide store;
 * `/__sim/reset` empties it.
 */
import type { CountryCode, PaymentStatus } from './domain.ts';
import type { Metadata } from './validation.ts';

/** How the payer is expected to act on a payment. */
export type PaymentMode =
  | 'otp' // direct: confirmOTP with the pin, or approval on the phone page
  | 'push' // direct: approval on the phone page only
  | 'redirect' // direct KULU: approval on the page behind redirectUrl
  | 'portal' // gateway: the hosted portal
  | 'link'; // paid by a payer on a payment link page

export interface Payment {
  transactionId: string;
  flow: 'direct' | 'gateway' | 'link';
  mode: PaymentMode;
  status: PaymentStatus;
  /** The amount asked for at creation. */
  amount: number;
  /** What the payer paid; equals `amount` unless a test overrides it. */
  paidAmount: number;
  /** Djomy's fee and the merchant's net, fixed when the payment succeeds (0 before). */
  fees: number;
  receivedAmount: number;
  countryCode: CountryCode;
  /** Unknown for a gateway payment until the payer picks one on the portal. */
  paymentMethod: string | null;
  payerIdentifier: string;
  otp: string | null;
  merchantPaymentReference: string;
  description: string | null;
  returnUrl: string | null;
  cancelUrl: string | null;
  metadata: Metadata;
  allowedPaymentMethods: string[];
  paymentLinkReference: string | null;
  providerReference: string | null;
  /** The page the payer opens (portal or KULU); null for the other direct methods. */
  redirectUrl: string | null;
  createdAt: string;
  updatedAt: string;
  history: { status: PaymentStatus; at: string }[];
}

export type LinkStatus = 'ACTIVE' | 'PAID' | 'REVOKED' | 'EXPIRED';

export interface CustomField {
  label: string;
  placeholder?: string;
  required?: boolean;
}

export interface Link {
  reference: string;
  status: LinkStatus;
  usageType: 'UNIQUE' | 'MULTIPLE';
  usageLimit: number | null;
  numberOfUsage: number;
  amountToPay: number | null;
  countryCode: CountryCode;
  linkName: string | null;
  description: string | null;
  merchantReference: string | null;
  phoneNumber: string | null;
  sendSms: boolean;
  returnUrl: string | null;
  cancelUrl: string | null;
  allowedPaymentMethods: string[];
  customFields: CustomField[];
  metadata: Metadata;
  skipDjomyStatusPage: boolean;
  paymentPageUrl: string;
  createdAt: string;
  expiresAt: string | null;
  transactionIds: string[];
}

export const payments = new Map<string, Payment>();
export const links = new Map<string, Link>();

export function clearStore(): void {
  payments.clear();
  links.clear();
}

/** Newest first, as the dashboard and `/__sim/payments` show them. */
export function allPayments(): Payment[] {
  return [...payments.values()].reverse();
}

export interface ReferenceCount {
  count: number;
  transactionIds: string[];
}

/**
 * Every payment per `merchantPaymentReference`, in creation order. More than
 * one means an order got several Djomy payments: a double charge if two succeed.
 */
export function paymentsByReference(): Record<string, ReferenceCount> {
  // A Map, not an object literal: a reference may be any text, `__proto__` included.
  const byReference = new Map<string, ReferenceCount>();
  for (const payment of payments.values()) {
    const reference = payment.merchantPaymentReference;
    if (reference === '') continue;
    const entry = byReference.get(reference) ?? { count: 0, transactionIds: [] };
    entry.count += 1;
    entry.transactionIds.push(payment.transactionId);
    byReference.set(reference, entry);
  }
  return Object.fromEntries(byReference);
}
