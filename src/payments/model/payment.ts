/**
 * A payment as the ledger knows it, and the view of it a browser may see.
 */
import * as z from 'zod/mini';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../djomy/schemas.ts';
import { randomId } from '../../lib/ids.ts';

/**
 * `gateway` and `direct` payments are created by this Worker; `link` payments
 * arrive through a Djomy payment link; `external` ones are payments Djomy
 * reported that we neither created nor can tie to a link (recorded anyway).
 */
export type Flow = 'gateway' | 'direct' | 'link' | 'external';

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitAmount: number;
}

/** Why Djomy could not create the payment; kept so an Idempotency-Key retry knows what to do. */
export interface CreateError {
  kind: string;
  status?: number;
  message: string;
  /** The request may have reached Djomy (timeout): do not blindly create again. */
  outcomeUnknown: boolean;
}

export type Metadata = Record<string, string | number | boolean>;

export interface Payment {
  id: string;
  flow: Flow;
  status: PaymentStatus;
  paid: boolean;
  version: number;
  amount: number;
  currency: string;
  countryCode: string;
  paymentMethod: string | null;
  payerPhone: string | null;
  reference: string | null;
  items: OrderLine[] | null;
  metadata: Metadata | null;
  allowedMethods: string[] | null;
  successUrl: string | null;
  cancelUrl: string | null;
  transactionId: string | null;
  nextUrl: string | null;
  linkReference: string | null;
  paidAmount: number | null;
  receivedAmount: number | null;
  fees: number | null;
  djomyCurrency: string | null;
  flag: string | null;
  createError: CreateError | null;
  closeReason: string | null;
  /** Why the last verify failed, if it did. */
  lastError: string | null;
  verifyCount: number;
  verifiedAt: number | null;
  /** OTP codes that reached Djomy (capped by `MAX_OTP_ATTEMPTS`). */
  otpAttempts: number;
  /** When the payment became paid. */
  paidAt: number | null;
  /** When a create's answer was first lost: Djomy may hold a transaction we never heard of. */
  lostCreateAt: number | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * One Djomy transaction created for an order. An order normally has one; a
 * lost create answer or a replaced portal session can give it more, and each
 * is followed until Djomy closes it (docs/money-safety.md).
 */
export interface PaymentTransaction {
  transactionId: string;
  paymentId: string;
  /** Djomy's last word: a hint until `verifiedAt` is set, then the status endpoint's answer. */
  status: string;
  /** `create`: our create call's answer; `found`: learnt later (Djomy's list, a webhook). */
  origin: 'create' | 'found';
  nextUrl: string | null;
  paidAmount: number | null;
  flag: string | null;
  verifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What a new payment needs; everything else starts empty. */
export type NewPaymentFields = Pick<
  Payment,
  'flow' | 'amount' | 'currency' | 'countryCode' | 'expiresAt' | 'createdAt'
> &
  Partial<Payment>;

/**
 * A payment that has not been written yet: a fresh id, status `CREATED`,
 * nothing verified. The one place that lists a payment's starting values.
 *
 * @example const payment = newPayment({ flow: 'direct', amount: 15000, currency: 'GNF', countryCode: 'GN', expiresAt, createdAt: now })
 */
export function newPayment(fields: NewPaymentFields): Payment {
  return {
    id: newPaymentId(),
    status: 'CREATED',
    paid: false,
    version: 0,
    paymentMethod: null,
    payerPhone: null,
    reference: null,
    items: null,
    metadata: null,
    allowedMethods: null,
    successUrl: null,
    cancelUrl: null,
    transactionId: null,
    nextUrl: null,
    linkReference: null,
    paidAmount: null,
    receivedAmount: null,
    fees: null,
    djomyCurrency: null,
    flag: null,
    createError: null,
    closeReason: null,
    lastError: null,
    verifyCount: 0,
    verifiedAt: null,
    otpAttempts: 0,
    paidAt: null,
    lostCreateAt: null,
    updatedAt: fields.createdAt,
    ...fields,
  };
}

/** What `GET /api/payments/{id}` shows: no phone number, no Djomy internals. */
export const PublicPayment = z.object({
  id: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  /** True only after verify_payment returned SUCCESS for the right amount. */
  paid: z.boolean(),
  flow: z.enum(['gateway', 'direct', 'link', 'external']),
  amount: z.int(),
  currency: z.string(),
  paymentMethod: z.nullable(z.string()),
  reference: z.nullable(z.string()),
  updatedAt: z.string(),
});
export type PublicPayment = z.infer<typeof PublicPayment>;

export function publicView(payment: Payment): PublicPayment {
  return {
    id: payment.id,
    status: payment.status,
    paid: payment.paid,
    flow: payment.flow,
    amount: payment.amount,
    currency: payment.currency,
    paymentMethod: payment.paymentMethod,
    reference: payment.reference,
    updatedAt: new Date(payment.updatedAt).toISOString(),
  };
}

/**
 * A payment id: `pay_` + 160 random bits (at least 128 are needed). It is the
 * only key to the public view, so it must not be guessable or sequential.
 */
export function newPaymentId(): string {
  return randomId('pay_', 20);
}

export const PAYMENT_ID_PATTERN = /^pay_[a-z2-7]{32}$/;
