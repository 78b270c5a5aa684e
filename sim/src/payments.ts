/**
 * Djomy's payment endpoints (docs/djomy.md#endpoints): direct payment, hosted
 * gateway, confirmOTP and the official status. The payer's
 * test numbers (`test-numbers.ts`) act here on creation and on confirmOTP.
 */
import type { Context } from 'hono';
import { timingSafeEqualText } from '../../src/lib/crypto.ts';
import { config } from './config.ts';
import { DIRECT_METHODS, type DirectMethod, portalMethods } from './domain.ts';
import type { SimHono } from './env.ts';
import { fail, MESSAGES, ok, readJsonObject } from './envelope.ts';
import { openPayment, payerApproves, payerDeclines, refreshPayment } from './lifecycle.ts';
import { randomOtp } from './random.ts';
import { type Payment, type PaymentMode, payments } from './store.ts';
import { testBehaviourOf } from './test-numbers.ts';
import { BodyReader } from './validation.ts';
import { creationView, statusView } from './views.ts';

/**
 * The exact refusal Djomy gives when the gateway's payer number is missing or empty
 * (docs/djomy.md#gateway-payment).
 */
export const PAYER_NUMBER_REQUIRED = 'Le numéro de téléphone du payeur est obligatoire.';

function originOf(c: Context): string {
  return new URL(c.req.url).origin;
}

function readDirectMethod(reader: BodyReader): DirectMethod | undefined {
  const method = reader.string('paymentMethod', {
    required: true,
    requiredMessage: 'Le moyen de paiement est obligatoire.',
  });
  if (method === 'CARD') {
    return reader.invalid(
      'paymentMethod',
      'CARD est refusé en paiement direct : passez par /v1/payments/gateway.',
    );
  }
  if (method !== undefined && !(DIRECT_METHODS as readonly string[]).includes(method)) {
    return reader.invalid('paymentMethod', `Moyen de paiement inconnu : ${DIRECT_METHODS.join(', ')}.`);
  }
  return method as DirectMethod | undefined;
}

/** PAYCARD identifies the payer by account digits, every wallet by phone (docs/djomy.md#direct-payment). */
function readPayerIdentifier(reader: BodyReader, method: DirectMethod | undefined): string | undefined {
  if (method !== 'PAYCARD') return reader.phone('payerIdentifier');
  const account = reader.string('payerIdentifier', { required: true });
  if (account !== undefined && !/^\d{4,20}$/.test(account)) {
    return reader.invalid('payerIdentifier', 'Le numéro de compte PayCard ne contient que des chiffres.');
  }
  return account;
}

/**
 * What a test payer does as soon as a payment exists. The creation answer is
 * built before, so it shows the payment as just created, as Djomy's does.
 */
function afterCreation(c: Context<SimHono>, payment: Payment): void {
  const behaviour = testBehaviourOf(payment.payerIdentifier);
  if (behaviour === 'answerLost') c.set('loseAnswer', true);
  // On the gateway the payer has not seen the portal yet: nothing to approve or decline.
  if (payment.flow !== 'direct') return;
  if (behaviour === 'approve') payerApproves(payment);
  else if (behaviour === 'decline') payerDeclines(payment, 'FAILED');
}

function modeOf(method: DirectMethod): PaymentMode {
  return method === 'KULU' ? 'redirect' : config().methodModes[method];
}

/**
 * `POST /v1/payments`: PENDING at once; the payer acts by OTP, phone prompt or KULU page
 * (docs/djomy.md#otp-or-phone-approval).
 */
export async function createDirectPayment(c: Context<SimHono>): Promise<Response> {
  const body = await readJsonObject(c);
  if (body instanceof Response) return body;
  const reader = new BodyReader(body);
  const method = readDirectMethod(reader);
  const payerIdentifier = readPayerIdentifier(reader, method);
  const countryCode = reader.countryCode();
  const amount = reader.amount('amount', countryCode);
  const description = reader.string('description') ?? null;
  const merchantPaymentReference = reader.string('merchantPaymentReference') ?? '';
  const returnUrl = reader.url('returnUrl') ?? null;
  const cancelUrl = reader.url('cancelUrl') ?? null;
  const metadata = reader.metadata();
  const valid = reader.finish(c, { paymentMethod: method, payerIdentifier, countryCode, amount });
  if (valid instanceof Response) return valid;

  const transactionId = crypto.randomUUID();
  const mode = modeOf(valid.paymentMethod);
  const payment = openPayment({
    transactionId,
    flow: 'direct',
    mode,
    status: 'PENDING',
    amount: valid.amount,
    countryCode: valid.countryCode,
    paymentMethod: valid.paymentMethod,
    payerIdentifier: valid.payerIdentifier,
    otp: mode === 'otp' ? randomOtp() : null,
    merchantPaymentReference,
    description,
    returnUrl,
    cancelUrl,
    metadata,
    allowedPaymentMethods: [valid.paymentMethod],
    paymentLinkReference: null,
    redirectUrl: mode === 'redirect' ? `${originOf(c)}/kulu/${transactionId}` : null,
  });
  const answer = creationView(payment);
  afterCreation(c, payment);
  return ok(c, answer, 'Paiement initié avec succès', 201);
}

/** `POST /v1/payments/gateway`: CREATED, with the portal URL to send the payer to. */
export async function createGatewayPayment(c: Context<SimHono>): Promise<Response> {
  const body = await readJsonObject(c);
  if (body instanceof Response) return body;
  const reader = new BodyReader(body);
  const payerNumber = reader.phone('payerNumber', { requiredMessage: PAYER_NUMBER_REQUIRED });
  const countryCode = reader.countryCode();
  const amount = reader.amount('amount', countryCode);
  const allowed = reader.stringList('allowedPaymentMethods');
  const description = reader.string('description') ?? null;
  const merchantPaymentReference = reader.string('merchantPaymentReference') ?? '';
  const returnUrl = reader.url('returnUrl') ?? null;
  const cancelUrl = reader.url('cancelUrl') ?? null;
  const metadata = reader.metadata();
  const valid = reader.finish(c, { payerNumber, countryCode, amount });
  if (valid instanceof Response) return valid;

  const transactionId = crypto.randomUUID();
  const payment = openPayment({
    transactionId,
    flow: 'gateway',
    mode: 'portal',
    status: 'CREATED',
    amount: valid.amount,
    countryCode: valid.countryCode,
    paymentMethod: null,
    payerIdentifier: valid.payerNumber,
    otp: null,
    merchantPaymentReference,
    description,
    returnUrl,
    cancelUrl,
    metadata,
    allowedPaymentMethods: portalMethods(allowed),
    paymentLinkReference: null,
    redirectUrl: `${originOf(c)}/portal/${transactionId}`,
  });
  const answer = creationView(payment);
  afterCreation(c, payment);
  return ok(c, answer, 'Paiement initié avec succès', 201);
}

/**
 * `POST /v1/payments/{transactionId}/confirmOTP`: direct OTP-mode payments
 * still PENDING only. A wrong-OTP test payer never gets a code right; a
 * late-success one gets 200 with the payment still PENDING.
 */
export async function confirmOtp(c: Context<SimHono>): Promise<Response> {
  const found = payments.get(c.req.param('transactionId') ?? '');
  if (!found) return fail(c, 404, MESSAGES.paymentNotFound);
  const payment = refreshPayment(found);
  const body = await readJsonObject(c);
  if (body instanceof Response) return body;
  const reader = new BodyReader(body);
  const pin = reader.string('oneTimePin', {
    required: true,
    requiredMessage: 'Le code OTP est obligatoire.',
  });
  if (pin !== undefined && !/^\d{4,6}$/.test(pin)) {
    reader.invalid('oneTimePin', 'Le code OTP doit contenir 4 à 6 chiffres.');
  }
  const valid = reader.finish(c, { oneTimePin: pin });
  if (valid instanceof Response) return valid;
  if (payment.mode !== 'otp' || payment.otp === null) {
    return fail(c, 400, 'Ce paiement ne se confirme pas par OTP.');
  }
  if (payment.status !== 'PENDING') return fail(c, 400, "Ce paiement n'est plus en attente.");
  const alwaysWrong = testBehaviourOf(payment.payerIdentifier) === 'wrongOtp';
  if (alwaysWrong || !timingSafeEqualText(valid.oneTimePin, payment.otp)) {
    return fail(c, 400, 'Code OTP incorrect.', { fieldsErrors: ['oneTimePin'] });
  }
  payerApproves(payment);
  return ok(c, statusView(payment), 'Statut du paiement');
}

/** `GET /v1/payments/{transactionId}/status`: the only source of truth (docs/djomy.md#statuses). */
export function paymentStatus(c: Context<SimHono>): Response {
  const payment = payments.get(c.req.param('transactionId') ?? '');
  if (!payment) return fail(c, 404, MESSAGES.paymentNotFound);
  return ok(c, statusView(refreshPayment(payment)), 'Statut du paiement');
}
