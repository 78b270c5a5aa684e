/**
 * Djomy's requests and responses, each defined once; the TypeScript types are
 * inferred from these schemas. Requests are strict (we never send a field
 * docs/djomy.md#request-rules does not list); responses are loose (Djomy may
 * add fields) and accept only the name variants of docs/djomy.md#field-variants.
 *
 * `zod/mini` keeps the Worker bundle small (classic zod costs ≈ 120 KiB gzip).
 */
import * as z from 'zod/mini';

// ── Shared pieces ────────────────────────────────────────────────────────────

/**
 * Direct payments: Djomy refuses `CARD` there, cards go through the gateway
 * (docs/djomy.md#direct-payment).
 */
export const DIRECT_METHODS = ['OM', 'MOMO', 'KULU', 'PAYCARD', 'SOUTRA_MONEY', 'YMO'] as const;
/**
 * The hosted portal's filter; Djomy silently shows every method for an unknown value
 * (docs/djomy.md#gateway-payment).
 */
export const GATEWAY_METHODS = ['OM', 'MOMO', 'SOUTRA_MONEY', 'PAYCARD', 'CARD'] as const;
export type DirectMethod = (typeof DIRECT_METHODS)[number];
export type GatewayMethod = (typeof GATEWAY_METHODS)[number];

/**
 * Djomy's payment statuses (docs/djomy.md#statuses). `AUTHORIZED` and other unknown
 * values are left out: the simulator never emits them, the state machine treats them as open.
 */
export const PAYMENT_STATUSES = [
  'CREATED',
  'PENDING',
  'REDIRECTED',
  'SUCCESS',
  'CAPTURED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** Final at Djomy; only `SUCCESS` may still become `REFUNDED`. The rest, `CAPTURED` included, is open. */
export const TERMINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'SUCCESS',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'REFUNDED',
]);

/** Flat metadata: Djomy refuses nesting and arrays. */
export const FlatMetadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Positive and whole in every currency: GNF has no minor unit (docs/djomy.md#request-rules). */
const Amount = z.number().check(z.positive(), z.int());
const CountryCode = z.string().check(z.regex(/^[A-Z]{2}$/));
const Text255 = z.string().check(z.maxLength(255));
/** `00` + country code + national number (docs/djomy.md#phone-numbers), e.g. `00224622123456`. */
const InternationalPhone = z.string().check(z.regex(/^00\d{8,15}$/));

// ── Requests ─────────────────────────────────────────────────────────────────

/** The fields both payment creations share (docs/djomy.md#request-rules). */
const PaymentRequestFields = {
  amount: Amount,
  countryCode: CountryCode,
  description: z.optional(Text255),
  merchantPaymentReference: Text255,
  returnUrl: z.optional(z.url()),
  cancelUrl: z.optional(z.url()),
  metadata: z.optional(FlatMetadata),
};

/** `POST /v1/payments` (docs/djomy.md#direct-payment). `CARD` is not a direct method. */
export const DirectPaymentRequest = z.strictObject({
  ...PaymentRequestFields,
  paymentMethod: z.enum(DIRECT_METHODS),
  payerIdentifier: z.string().check(z.regex(/^\d{6,20}$/)),
});
export type DirectPaymentRequest = z.infer<typeof DirectPaymentRequest>;

/** `POST /v1/payments/gateway` (docs/djomy.md#gateway-payment). `payerNumber` is enforced by Djomy. */
export const GatewayPaymentRequest = z.strictObject({
  ...PaymentRequestFields,
  payerNumber: InternationalPhone,
  allowedPaymentMethods: z.optional(z.array(z.enum(GATEWAY_METHODS)).check(z.minLength(1))),
});
export type GatewayPaymentRequest = z.infer<typeof GatewayPaymentRequest>;

/** `POST /v1/payments/{transactionId}/confirmOTP` (docs/djomy.md#confirmotp). */
export const ConfirmOtpRequest = z.strictObject({ oneTimePin: z.string().check(z.regex(/^\d{4,6}$/)) });
export type ConfirmOtpRequest = z.infer<typeof ConfirmOtpRequest>;

/** `POST /v1/links`. A MULTIPLE link always carries `usageLimit` (docs/djomy.md#payment-links). */
export const CreateLinkRequest = z
  .strictObject({
    countryCode: CountryCode,
    amountToPay: z.optional(Amount),
    linkName: z.optional(Text255),
    description: z.optional(Text255),
    phoneNumber: z.optional(InternationalPhone),
    sendSms: z.optional(z.boolean()),
    usageType: z.enum(['UNIQUE', 'MULTIPLE']),
    usageLimit: z.optional(z.int().check(z.positive())),
    expiresAt: z.optional(z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/))),
    merchantReference: z.optional(Text255),
    returnUrl: z.optional(z.url()),
    cancelUrl: z.optional(z.url()),
    allowedPaymentMethods: z.optional(z.array(z.enum(GATEWAY_METHODS)).check(z.minLength(1))),
    metadata: z.optional(FlatMetadata),
    skipDjomyStatusPage: z.optional(z.boolean()),
  })
  .check(
    z.refine((link) => link.usageType !== 'MULTIPLE' || link.usageLimit !== undefined, {
      message: 'a MULTIPLE link needs usageLimit',
      path: ['usageLimit'],
    }),
  );
export type CreateLinkRequest = z.infer<typeof CreateLinkRequest>;

/** `GET /v1/payments` query (docs/djomy.md#lists). */
export interface ListPaymentsQuery {
  page?: number;
  size?: number;
  statuses?: PaymentStatus[];
  /** Both or neither, `YYYY-MM-DD`. */
  period?: { startDate: string; endDate: string };
}

// ── Responses ────────────────────────────────────────────────────────────────

const OptionalText = z.optional(z.nullable(z.string()));
const OptionalNumber = z.optional(z.nullable(z.number()));

/** The envelope around every answer (docs/djomy.md#envelope-and-errors). */
export const Envelope = z.looseObject({
  success: z.boolean(),
  message: OptionalText,
  data: z.optional(z.unknown()),
  error: z.optional(
    z.nullable(
      z.looseObject({
        code: z.optional(z.nullable(z.union([z.number(), z.string()]))),
        message: OptionalText,
        details: OptionalText,
        fieldsErrors: z.optional(z.nullable(z.array(z.unknown()))),
      }),
    ),
  ),
});
export type Envelope = z.infer<typeof Envelope>;

/** `POST /v1/auth` data. The token is read from `data.accessToken` only (docs/djomy.md#authentication). */
export const AuthData = z.looseObject({
  accessToken: z.string().check(z.minLength(1)),
  tokenType: OptionalText,
  expiresIn: z.optional(z.unknown()),
});

/** Create answers. `redirectUrl`, then `paymentUrl` (docs/djomy.md#field-variants). */
export const CreatedPaymentData = z.pipe(
  z.looseObject({
    transactionId: z.string().check(z.minLength(1), z.maxLength(100)),
    status: OptionalText,
    redirectUrl: OptionalText,
    paymentUrl: OptionalText,
  }),
  z.transform((data) => ({
    transactionId: data.transactionId,
    status: data.status ?? null,
    redirectUrl: data.redirectUrl || data.paymentUrl || null,
  })),
);
export type CreatedPayment = z.output<typeof CreatedPaymentData>;

/**
 * The status object of the status endpoint, confirmOTP, lists and webhooks
 * (docs/djomy.md#payment-status).
 */
export const PaymentStatusData = z.pipe(
  z.looseObject({
    transactionId: z.string().check(z.minLength(1), z.maxLength(100)),
    status: z.string(),
    paidAmount: OptionalNumber,
    receivedAmount: OptionalNumber,
    fees: OptionalNumber,
    paymentMethod: OptionalText,
    payerIdentifier: OptionalText,
    currency: OptionalText,
    merchantPaymentReference: OptionalText,
    createdAt: OptionalText,
    providerReference: OptionalText,
    paymentLinkReference: OptionalText,
    metadata: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  }),
  z.transform((data) => ({
    transactionId: data.transactionId,
    /** Djomy's status as sent; unknown values (e.g. AUTHORIZED) are kept for the state machine to judge. */
    status: data.status,
    paidAmount: data.paidAmount ?? null,
    receivedAmount: data.receivedAmount ?? null,
    fees: data.fees ?? null,
    paymentMethod: data.paymentMethod ?? null,
    payerIdentifier: data.payerIdentifier ?? null,
    currency: data.currency ?? null,
    merchantPaymentReference: data.merchantPaymentReference ?? null,
    createdAt: data.createdAt ?? null,
    providerReference: data.providerReference ?? null,
    paymentLinkReference: data.paymentLinkReference || null,
  })),
);
export type DjomyPaymentStatus = z.output<typeof PaymentStatusData>;

/**
 * A Spring page (`content`) — or, for link payments and link lists, a bare array or another wrapper
 * (docs/djomy.md#lists).
 */
function listOf<T extends z.ZodMiniType>(item: T) {
  const items = z.array(item);
  return z.pipe(
    z.union([
      items,
      z.looseObject({
        content: z.optional(items),
        items: z.optional(items),
        links: z.optional(items),
        payments: z.optional(items),
        last: z.optional(z.nullable(z.boolean())),
        totalPages: OptionalNumber,
        totalElements: OptionalNumber,
      }),
      z.null(),
    ]),
    z.transform((value) => {
      if (value === null) return { items: [] as z.output<T>[], last: true };
      if (Array.isArray(value)) return { items: value as z.output<T>[], last: true };
      const found = value.content ?? value.items ?? value.links ?? value.payments ?? [];
      return { items: found as z.output<T>[], last: value.last ?? true };
    }),
  );
}

export const PaymentPage = listOf(PaymentStatusData);

/** A payment as listed inside a link: `transactionId` or `id`, `paidAmount` or `amount`. */
const LinkPayment = z.pipe(
  z.looseObject({
    transactionId: OptionalText,
    id: OptionalText,
    status: OptionalText,
    paidAmount: OptionalNumber,
    amount: OptionalNumber,
  }),
  z.transform((p) => ({
    transactionId: p.transactionId || p.id || null,
    status: p.status ?? null,
    paidAmount: p.paidAmount ?? p.amount ?? null,
  })),
);

/**
 * A payment link (docs/djomy.md#payment-links). `paymentLinkReference`, then `reference`;
 * `paymentPageUrl`, then `url`; `ENABLED` counts as `ACTIVE`; a UNIQUE link is
 * consumed once `numberOfUsage > 0`, whether Djomy says `PAID` or `REVOKED`.
 */
export const LinkData = z.pipe(
  z.looseObject({
    paymentLinkReference: OptionalText,
    reference: OptionalText,
    paymentPageUrl: OptionalText,
    url: OptionalText,
    status: OptionalText,
    usageType: OptionalText,
    usageLimit: OptionalNumber,
    numberOfUsage: OptionalNumber,
    amountToPay: OptionalNumber,
    countryCode: OptionalText,
    linkName: OptionalText,
    merchantReference: OptionalText,
    expiresAt: OptionalText,
    payments: z.optional(listOf(LinkPayment)),
  }),
  z.transform((link, ctx) => {
    const reference = link.paymentLinkReference || link.reference;
    const pageUrl = link.paymentPageUrl || link.url;
    if (!reference || !pageUrl) {
      ctx.issues.push({ code: 'custom', message: 'link without reference or page URL', input: link });
      return z.NEVER;
    }
    const numberOfUsage = link.numberOfUsage ?? 0;
    const status = link.status === 'ENABLED' ? 'ACTIVE' : (link.status ?? 'ACTIVE');
    return {
      reference,
      pageUrl,
      status,
      usageType: link.usageType === 'MULTIPLE' ? ('MULTIPLE' as const) : ('UNIQUE' as const),
      usageLimit: link.usageLimit ?? null,
      numberOfUsage,
      consumed: link.usageType !== 'MULTIPLE' && numberOfUsage > 0,
      amountToPay: link.amountToPay ?? null,
      countryCode: link.countryCode ?? null,
      linkName: link.linkName ?? null,
      merchantReference: link.merchantReference ?? null,
      expiresAt: link.expiresAt ?? null,
      payments: link.payments?.items ?? [],
    };
  }),
);
export type DjomyLink = z.output<typeof LinkData>;

export const LinkPage = listOf(LinkData);

// ── Webhooks (docs/djomy.md#webhooks) ────────────────────────────────────────

/**
 * Djomy's webhook envelope, V1 (`data` is the payment) or V2 (`data.payment`
 * or `data.payout`). Only the fields we act on are required; the event is a
 * trigger, never a source of truth.
 */
export const WebhookEnvelope = z.pipe(
  z.looseObject({
    eventType: z.string().check(z.minLength(1), z.maxLength(100)),
    eventId: z.string().check(z.minLength(1), z.maxLength(200)),
    data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    paymentLinkReference: OptionalText,
    timestamp: OptionalText,
  }),
  z.transform((event) => {
    const data = event.data ?? {};
    const isV2 = 'payment' in data || 'payout' in data;
    const payment = (isV2 ? data.payment : data) as Record<string, unknown> | null | undefined;
    const transactionId =
      typeof payment?.transactionId === 'string' && payment.transactionId.length <= 100
        ? payment.transactionId
        : null;
    const nestedLink =
      typeof payment?.paymentLinkReference === 'string' ? payment.paymentLinkReference : null;
    const reference = payment?.merchantPaymentReference;
    return {
      eventId: event.eventId,
      eventType: event.eventType,
      version: isV2 ? ('v2' as const) : ('v1' as const),
      /** Only `payment.*` events that name a transaction trigger a verify; payouts and others are recorded and ignored. */
      transactionId: event.eventType.startsWith('payment.') ? transactionId : null,
      linkReference: event.paymentLinkReference || nestedLink || null,
      /** The merchant reference the payment was created with (ours: our payment id). A hint, like the rest. */
      merchantReference: typeof reference === 'string' && reference.length <= 100 ? reference : null,
    };
  }),
);
export type DjomyWebhookEvent = z.output<typeof WebhookEnvelope>;
