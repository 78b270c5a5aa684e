/**
 * The public checkout API: create a payment, confirm its OTP, and read its
 * public view. Each route parses, calls one use case (src/payments/) and
 * maps its outcome to HTTP.
 */
import * as z from 'zod/mini';
import { COUNTRIES, normalizePhone } from '../../djomy/phone.ts';
import { DIRECT_METHODS, FlatMetadata, GATEWAY_METHODS } from '../../djomy/schemas.ts';
import { confirmOtp } from '../../payments/confirm-otp.ts';
import { createPayment } from '../../payments/create-payment.ts';
import { NextStep, nextStepFor } from '../../payments/model/next-step.ts';
import { type Payment, PublicPayment, publicView } from '../../payments/model/payment.ts';
import { isTerminal } from '../../payments/model/status.ts';
import { verifyIfDue } from '../../payments/verify-if-due.ts';
import { receiptView } from '../../payments/views.ts';
import { readJson } from '../body.ts';
import { type AppContext, publicOrigin } from '../context.ts';
import { isAllowedOrigin } from '../origins.ts';
import { paymentFromParam } from '../payment-param.ts';
import { djomyProblem, Problem, problems } from '../problem.ts';
import { publicApiRouter } from '../routers.ts';
import type { RouteSpec } from '../spec.ts';

// ── Schemas ──────────────────────────────────────────────────────────────────

const Sku = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][\w.-]*$/));
/** Where the payer is sent back: checked against ALLOWED_ORIGINS by `checkRedirectTargets`. */
const RedirectUrl = z.url({ protocol: /^https?$/ }).check(z.maxLength(2000));

export const CreatePaymentBody = z
  .strictObject({
    flow: z._default(z.enum(['gateway', 'direct']), 'gateway'),
    items: z.optional(
      z
        .array(z.strictObject({ sku: Sku, quantity: z.int().check(z.gte(1), z.lte(1000)) }))
        .check(z.minLength(1), z.maxLength(50)),
    ),
    amount: z.optional(z.int().check(z.positive())),
    countryCode: z.optional(z.enum(COUNTRIES)),
    payer: z.strictObject({ phone: z.string().check(z.minLength(6), z.maxLength(32)) }),
    paymentMethod: z.optional(
      z.enum(DIRECT_METHODS, {
        error: (issue) => (issue.input === 'CARD' ? 'cards go through the gateway flow' : undefined),
      }),
    ),
    allowedPaymentMethods: z.optional(z.array(z.enum(GATEWAY_METHODS)).check(z.minLength(1), z.maxLength(5))),
    reference: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    successUrl: z.optional(RedirectUrl),
    cancelUrl: z.optional(RedirectUrl),
    metadata: z.optional(FlatMetadata.check(z.refine((m) => Object.keys(m).length <= 20, 'at most 20 keys'))),
  })
  .check(
    z.superRefine((body, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.issues.push({ code: 'custom', path: [path], message, input: body });
      if (body.items && body.amount !== undefined) issue('amount', 'send items or amount, not both');
      if (!body.items && body.amount === undefined)
        issue('items', 'send items (or amount, when open amounts are enabled)');
      if (body.flow === 'direct' && !body.paymentMethod)
        issue('paymentMethod', 'required for the direct flow');
      if (body.flow === 'gateway' && body.paymentMethod) issue('paymentMethod', 'only for the direct flow');
      if (body.flow === 'direct' && body.allowedPaymentMethods)
        issue('allowedPaymentMethods', 'only for the gateway flow');
    }),
  );
export type CreatePaymentBody = z.infer<typeof CreatePaymentBody>;

/** The public view as the payer's own pages read it: how to go on while it is open, and where its page is. */
export const PayerPayment = z.extend(PublicPayment, {
  next: z.nullable(NextStep),
  payUrl: z.string(),
});

export const CreatedPayment = z.object({
  id: z.string(),
  status: PublicPayment.shape.status,
  flow: z.enum(['gateway', 'direct']),
  amount: z.int(),
  currency: z.string(),
  paymentMethod: z.nullable(z.string()),
  reference: z.nullable(z.string()),
  next: z.nullable(NextStep),
  payUrl: z.string(),
});

export const Receipt = z.object({
  paid: z.boolean(),
  status: PublicPayment.shape.status,
  merchantName: z.nullable(z.string()),
  amount: z.int(),
  currency: z.string(),
  paymentMethod: z.nullable(z.string()),
  reference: z.nullable(z.string()),
  paidAt: z.nullable(z.string()),
  payer: z.nullable(z.string()),
  transactionId: z.nullable(z.string()),
  checkedAt: z.string(),
});

export const OtpBody = z.strictObject({
  otp: z
    .pipe(
      z.string().check(z.maxLength(20)),
      z.transform((otp) => otp.replace(/\s+/g, '')),
    )
    .check(z.regex(/^\d{4,6}$/, 'must be 4 to 6 digits')),
});

export const IdempotencyKey = z
  .string()
  .check(z.regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 visible ASCII characters'));

const PaymentParams = z.object({ id: z.string() });

// ── Helpers shared with the form checkout ────────────────────────────────────

/** `successUrl`/`cancelUrl` must lead back to an allowed site: no open redirect. */
export function checkRedirectTargets(c: AppContext, urls: Record<string, string | undefined>): void {
  const errors = Object.entries(urls)
    .filter(([, url]) => url !== undefined && !isAllowedOrigin(c, url))
    .map(([path]) => ({ path, message: 'its origin is not in ALLOWED_ORIGINS' }));
  if (errors.length) throw problems.validation(errors);
}

/** The payer's own page for a payment (`/pay/{id}`), to come back to after a reload or a lost return. */
export const payUrl = (c: AppContext, payment: Pick<Payment, 'id'>) => `${publicOrigin(c)}/pay/${payment.id}`;

export function createdView(c: AppContext, payment: Payment) {
  return {
    id: payment.id,
    status: payment.status,
    flow: payment.flow,
    amount: payment.amount,
    currency: payment.currency,
    paymentMethod: payment.paymentMethod,
    reference: payment.reference,
    next: nextStepFor(payment, c.var.deps.config.otpMethods),
    payUrl: payUrl(c, payment),
  };
}

/** The public view, with what the payer does next while the payment is open (the payer already holds it). */
function payerView(c: AppContext, payment: Payment): z.infer<typeof PayerPayment> {
  return {
    ...publicView(payment),
    next: !isTerminal(payment.status) ? nextStepFor(payment, c.var.deps.config.otpMethods) : null,
    payUrl: payUrl(c, payment),
  };
}

// ── Routes ───────────────────────────────────────────────────────────────────

async function createPaymentRoute(c: AppContext) {
  const body = await readJson(c.req.raw, CreatePaymentBody);
  const keyHeader = c.req.header('idempotency-key');
  const key = keyHeader === undefined ? undefined : IdempotencyKey.safeParse(keyHeader);
  if (key && !key.success)
    throw problems.validation([{ path: 'Idempotency-Key', message: '1 to 255 visible ASCII characters' }]);
  const countryCode = body.countryCode ?? c.var.deps.config.defaultCountry;
  const phone = normalizePhone(body.payer.phone, countryCode);
  if (!phone.ok) throw problems.validation([{ path: 'payer.phone', message: phone.reason }]);
  checkRedirectTargets(c, { successUrl: body.successUrl, cancelUrl: body.cancelUrl });

  const outcome = await createPayment(c.var.deps, {
    ...body,
    countryCode,
    phone: phone.phone,
    publicUrl: publicOrigin(c),
    idempotencyKey: key?.data,
  });
  switch (outcome.kind) {
    case 'created':
      if (outcome.replay) c.header('Idempotent-Replayed', 'true');
      return c.json(createdView(c, outcome.payment), 201);
    case 'invalid':
      throw problems.validation(outcome.errors);
    case 'conflict':
      if (outcome.reason === 'different_body')
        throw problems.conflict('This Idempotency-Key was used with a different request body.');
      if (outcome.reason === 'closed')
        throw new Problem({
          status: 409,
          slug: 'payment-closed',
          title: 'Payment closed',
          detail: 'The payment of this Idempotency-Key is closed; start a new payment with a new key.',
        });
      throw new Problem({
        status: 409,
        slug: 'in-progress',
        title: 'Request in progress',
        detail: 'A request with this Idempotency-Key is still being processed.',
        headers: { 'Retry-After': '1' },
      });
    case 'too_many_prompts':
      throw new Problem({
        status: 429,
        slug: 'too-many-prompts',
        title: 'Too many payment prompts for this phone',
        detail: `This phone already received ${c.var.deps.config.promptsPerPhone} payment requests in the last 10 minutes. Retry later.`,
        headers: { 'Retry-After': '600' },
      });
    case 'outcome_unknown':
      throw new Problem({
        status: 502,
        slug: 'create-outcome-unknown',
        title: 'Payment request sent; outcome not known yet',
        detail:
          "Djomy's answer was lost and its list does not show the payment yet. Nothing is sent again: the payer must not pay again. Retry with the same Idempotency-Key, or poll the payment.",
        extensions: { paymentId: outcome.payment.id },
        headers: { 'Retry-After': '5' },
      });
    case 'bad_answer':
      throw new Problem({
        status: 502,
        slug: 'djomy-bad-answer',
        title: 'Djomy answered without a usable URL',
        detail: 'Djomy created the transaction (it is recorded) but gave no URL the payer can safely follow.',
        extensions: { paymentId: outcome.payment.id },
        headers: { 'Retry-After': '5' },
      });
    case 'refused':
      throw new Problem({
        status: 422,
        slug: 'djomy-refused',
        title: 'Djomy refused the payment',
        detail: outcome.message,
        errors: outcome.fieldErrors.map((message) => ({ path: 'djomy', message })),
        extensions: { paymentId: outcome.payment.id },
      });
    case 'failed':
      throw djomyProblem(outcome.error, { paymentId: outcome.payment.id });
  }
}

async function confirmOtpRoute(c: AppContext) {
  const payment = await paymentFromParam(c);
  const { otp } = await readJson(c.req.raw, OtpBody);
  const outcome = await confirmOtp(c.var.deps, payment, otp);
  switch (outcome.kind) {
    case 'accepted':
      return c.json(publicView(outcome.payment));
    case 'conflict':
      throw problems.conflict(outcome.reason);
    case 'refused':
      throw new Problem({
        status: 422,
        slug: 'otp-refused',
        title: 'Djomy refused the code',
        detail: outcome.message,
      });
    case 'exhausted':
      throw new Problem({
        status: 429,
        slug: 'otp-attempts-exhausted',
        title: 'No more codes for this payment',
        detail: 'Five codes already reached Djomy for this payment. Start a new payment.',
        extensions: { paymentId: payment.id },
      });
    case 'failed':
      throw djomyProblem(outcome.error, { paymentId: payment.id });
  }
}

async function paymentViewRoute(c: AppContext) {
  const payment = await verifyIfDue(c.var.deps, await paymentFromParam(c), 'poll');
  c.header('Cache-Control', 'no-store');
  return c.json(payerView(c, payment));
}

/**
 * The receipt and its live check read this: the ledger's verdict (paid only
 * on Djomy's status endpoint), checked again with Djomy if it is open and due.
 */
async function receiptRoute(c: AppContext) {
  const payment = await verifyIfDue(c.var.deps, await paymentFromParam(c), 'poll');
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  return c.json(receiptView(payment, c.var.deps.config.merchantName, c.var.deps.now()));
}

export const payments = publicApiRouter()
  .post('/', createPaymentRoute)
  .post('/:id/otp', confirmOtpRoute)
  .get('/:id', paymentViewRoute)
  .get('/:id/receipt', receiptRoute);

export const paymentSpecs = (): RouteSpec[] => [
  {
    method: 'post',
    path: '/api/payments',
    tag: 'Checkout',
    summary: 'Create a payment (gateway or direct flow)',
    description:
      'Prices the order from the catalog, stores the payment and creates it at Djomy. `next` says what the payer does. ' +
      'Same `Idempotency-Key` + same body returns the first answer; a different body is 409.',
    headers: z.object({ 'Idempotency-Key': z.optional(IdempotencyKey) }),
    body: { schema: CreatePaymentBody },
    responses: {
      201: { description: 'Created (or replayed: header Idempotent-Replayed)', schema: CreatedPayment },
      400: { description: 'Invalid request' },
      403: { description: 'Origin not allowed' },
      409: {
        description: 'Idempotency-Key reused with another body, still in progress, or its payment closed',
      },
      413: { description: 'Body too large' },
      415: { description: 'Not JSON' },
      422: { description: 'Djomy refused the payment (its message in `detail`)' },
      429: { description: 'Rate limited, or too many prompts for this phone (`too-many-prompts`)' },
      502: {
        description:
          'Djomy unreachable, its answer lost (`create-outcome-unknown`: never re-sent, the payer must not pay again) or unusable; retry with the same Idempotency-Key',
      },
      503: { description: 'Configuration problem (credentials, edge refusal, missing settings)' },
    },
  },
  {
    method: 'post',
    path: '/api/payments/{id}/otp',
    tag: 'Checkout',
    summary: 'Confirm the OTP of a direct payment',
    params: PaymentParams,
    body: { schema: OtpBody },
    responses: {
      200: { description: 'Accepted; the status is verified separately', schema: PublicPayment },
      400: { description: 'Invalid code' },
      404: { description: 'Unknown payment' },
      409: { description: 'Not a direct payment, or already closed' },
      422: { description: 'Djomy refused the code' },
      429: { description: 'Five codes already reached Djomy for this payment (`otp-attempts-exhausted`)' },
      502: { description: 'Djomy unreachable' },
      503: { description: 'Configuration problem' },
    },
  },
  {
    method: 'get',
    path: '/api/payments/{id}',
    tag: 'Checkout',
    summary: 'Public view of a payment (pollable)',
    description: '`paid` is true only after Djomy’s status endpoint returned SUCCESS for the order amount.',
    params: PaymentParams,
    responses: {
      200: { description: 'The payment; `next` while it is open', schema: PayerPayment },
      404: { description: 'Unknown payment' },
    },
  },
  {
    method: 'get',
    path: '/api/payments/{id}/receipt',
    tag: 'Checkout',
    summary: "A payment's receipt (what `/r/{id}` shows), or that it is not paid",
    description:
      'Everything is shown only when `paid` is true. The payer phone is masked; `paidAt` is when the ledger recorded Djomy’s verdict.',
    params: PaymentParams,
    responses: {
      200: { description: 'The receipt', schema: Receipt },
      404: { description: 'Unknown payment' },
    },
  },
];
