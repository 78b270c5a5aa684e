/**
 * What the API shows of a payment or a link, including the field-name and
 * sandbox variants of docs/djomy.md#field-variants. Fields Djomy would
 * leave empty are left out rather than sent as `null`, matching the
 * afro.tools response schemas.
 */
import { config } from './config.ts';
import { COUNTRIES } from './domain.ts';
import { type Link, type Payment, payments } from './store.ts';

function currencyOf(payment: Payment): string {
  return config().currencyLabel ?? COUNTRIES[payment.countryCode].currency;
}

/**
 * The status object of `GET /v1/payments/{id}/status`, confirmOTP and webhooks
 * (docs/djomy.md#payment-status).
 */
export function statusView(payment: Payment): Record<string, unknown> {
  return {
    transactionId: payment.transactionId,
    status: payment.status,
    paidAmount: payment.paidAmount,
    receivedAmount: payment.receivedAmount,
    fees: payment.fees,
    ...(payment.paymentMethod !== null && { paymentMethod: payment.paymentMethod }),
    payerIdentifier: payment.payerIdentifier,
    currency: currencyOf(payment),
    merchantPaymentReference: payment.merchantPaymentReference,
    createdAt: payment.createdAt,
    ...(payment.providerReference !== null && { providerReference: payment.providerReference }),
    allowedPaymentMethods: payment.allowedPaymentMethods,
    metadata: payment.metadata,
    ...(payment.paymentLinkReference !== null && { paymentLinkReference: payment.paymentLinkReference }),
  };
}

/** The `data` of a 201 from `/v1/payments` or `/v1/payments/gateway`. */
export function creationView(payment: Payment): Record<string, unknown> {
  const url = payment.redirectUrl === null ? null : (config().redirectUrlOverride ?? payment.redirectUrl);
  return {
    transactionId: payment.transactionId,
    status: payment.status,
    paidAmount: payment.paidAmount,
    ...(payment.paymentMethod !== null && { paymentMethod: payment.paymentMethod }),
    merchantPaymentReference: payment.merchantPaymentReference,
    createdAt: payment.createdAt,
    ...(url !== null && !config().legacyNames && { redirectUrl: url }),
    ...(url !== null && { paymentUrl: url }),
    allowedPaymentMethods: payment.allowedPaymentMethods,
    metadata: payment.metadata,
  };
}

function linkPaymentView(payment: Payment): Record<string, unknown> {
  return {
    transactionId: payment.transactionId,
    status: payment.status,
    paidAmount: payment.paidAmount,
    paymentMethod: payment.paymentMethod ?? '',
    payerIdentifier: payment.payerIdentifier,
    merchantPaymentReference: payment.merchantPaymentReference,
    createdAt: payment.createdAt,
  };
}

/** A payment link as `POST`/`GET /v1/links` show it (docs/djomy.md#payment-links). */
export function linkView(link: Link): Record<string, unknown> {
  const { legacyNames, sandboxQuirks } = config();
  // The sandbox shows ENABLED for an active link and never lists its payments.
  const status = sandboxQuirks && link.status === 'ACTIVE' ? 'ENABLED' : link.status;
  const linkPayments = sandboxQuirks
    ? []
    : link.transactionIds.flatMap((id) => {
        const payment = payments.get(id);
        return payment ? [linkPaymentView(payment)] : [];
      });
  return {
    ...(!legacyNames && { paymentLinkReference: link.reference }),
    reference: link.reference,
    ...(link.linkName !== null && { linkName: link.linkName }),
    ...(link.description !== null && { description: link.description }),
    status,
    usageType: link.usageType,
    ...(link.amountToPay !== null && { amountToPay: link.amountToPay }),
    countryCode: link.countryCode,
    ...(link.merchantReference !== null && { merchantReference: link.merchantReference }),
    ...(legacyNames ? { url: link.paymentPageUrl } : { paymentPageUrl: link.paymentPageUrl }),
    createdAt: link.createdAt,
    ...(link.expiresAt !== null && { expiresAt: link.expiresAt }),
    numberOfUsage: link.numberOfUsage,
    ...(link.usageLimit !== null && { usageLimit: link.usageLimit }),
    allowedPaymentMethods: link.allowedPaymentMethods,
    customFields: link.customFields,
    payments: linkPayments,
    metadata: link.metadata,
  };
}

/** Everything the sim knows about a payment, for `/__sim/payments` (tests and the dashboard). */
export function truthView(payment: Payment): Record<string, unknown> {
  return { ...payment, currency: currencyOf(payment) };
}
