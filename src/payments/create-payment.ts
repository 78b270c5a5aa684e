/**
 * Creating a payment: price the order, store the payment, ask Djomy to
 * create it, and keep the outcome on the row so that a retry with the same
 * `Idempotency-Key` never charges twice (docs/money-safety.md).
 *
 * When Djomy's answer is lost (a reset, a timeout, a 5xx: Djomy may have
 * acted), the create is never sent again blindly:
 * - direct flow: the payer may already have a prompt on the phone. Djomy's
 *   own list is searched for our id; if it is there it is adopted, else the
 *   caller is told the outcome is unknown and nothing is created again —
 *   the verify queue and the cron keep looking;
 * - gateway flow: a lost portal session cannot be paid (nobody has its URL),
 *   so a retry opens a new one; the old one, if Djomy reports it, is
 *   recorded on the order and followed until it closes.
 * Djomy refusing (400/404/409/422) closes the payment; a retry replays that.
 * Djomy certainly not acting (429, its edge or credentials refusing) lets a
 * retry create it.
 */
import { DjomyError } from '../djomy/errors.ts';
import type { Country } from '../djomy/phone.ts';
import type { DirectMethod, GatewayMethod } from '../djomy/schemas.ts';
import { sha256Hex } from '../lib/crypto.ts';
import type { FieldError } from '../lib/field-error.ts';
import { isSafeBrowserUrl } from '../lib/urls.ts';
import { findIdempotencyKey } from '../store/idempotency.ts';
import { claimCreation, getPayment, insertPayment, recordVerified } from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import { djomyOf, type PaymentDeps, queueVerify } from './deps.ts';
import { lookForCreation } from './find-creation.ts';
import { CREATE_ABANDONED_AFTER, PAYMENT_LIFETIME, PROMPT_WINDOW } from './model/lifetimes.ts';
import { type CreateError, type Metadata, newPayment, type Payment } from './model/payment.ts';
import { isTerminal, recordCreateError, recordCreation } from './model/status.ts';
import { priceOrder } from './pricing.ts';

export interface CreatePaymentCommand {
  flow: 'gateway' | 'direct';
  items?: { sku: string; quantity: number }[];
  amount?: number;
  countryCode: Country;
  /** Already normalised (`00224…`). */
  phone: string;
  paymentMethod?: DirectMethod;
  allowedPaymentMethods?: GatewayMethod[];
  reference?: string;
  successUrl?: string;
  cancelUrl?: string;
  metadata?: Metadata;
  /** The Worker's own origin, for Djomy's `returnUrl`/`cancelUrl`. */
  publicUrl: string;
  idempotencyKey?: string;
}

export type CreateOutcome =
  | { kind: 'created'; payment: Payment; replay: boolean }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; reason: 'different_body' | 'in_progress' | 'closed' }
  /** `PROMPTS_PER_PHONE` direct payments for this phone in the window: nothing was created. */
  | { kind: 'too_many_prompts' }
  | { kind: 'refused'; payment: Payment; message: string; fieldErrors: string[] }
  /** Djomy could not be asked, or certainly did nothing: a retry with the same key may create it. */
  | { kind: 'failed'; payment: Payment; error: DjomyError }
  /** A direct create whose answer was lost and that Djomy's list does not show (yet): never re-sent. */
  | { kind: 'outcome_unknown'; payment: Payment }
  /** Djomy created the transaction but answered with a URL no browser should follow (or none). */
  | { kind: 'bad_answer'; payment: Payment };

/** The canonical JSON of what the client asked for: same meaning, same fingerprint. */
function fingerprint(command: CreatePaymentCommand): Promise<string> {
  const { idempotencyKey: _key, publicUrl: _origin, ...request } = command;
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return sha256Hex(JSON.stringify(canonical(request)));
}

/**
 * @example
 * const outcome = await createPayment(deps, { flow: 'gateway', items, countryCode: 'GN', phone, publicUrl })
 */
export async function createPayment(
  deps: PaymentDeps,
  command: CreatePaymentCommand,
): Promise<CreateOutcome> {
  djomyOf(deps); // Djomy not configured: nothing is written.
  // Only a request with an Idempotency-Key needs its fingerprint.
  const requestHash = command.idempotencyKey ? await fingerprint(command) : '';
  const priced = await priceOrder(deps.db, deps.config, command);
  if (!priced.ok) {
    // A catalog change must not turn the replay of an earlier answer into a 400.
    const earlier = command.idempotencyKey ? await replay(deps, command, requestHash) : null;
    return earlier ?? { kind: 'invalid', errors: priced.errors };
  }

  const now = deps.now();
  const payment = newPayment({
    flow: command.flow,
    amount: priced.amount,
    currency: priced.currency,
    countryCode: command.countryCode,
    paymentMethod: command.flow === 'direct' ? (command.paymentMethod ?? null) : null,
    payerPhone: command.phone,
    reference: command.reference ?? null,
    items: priced.lines,
    metadata: command.metadata ?? null,
    allowedMethods: command.allowedPaymentMethods ?? null,
    successUrl: command.successUrl ?? null,
    cancelUrl: command.cancelUrl ?? null,
    expiresAt: now + PAYMENT_LIFETIME[command.flow],
    createdAt: now,
  });
  // The key is claimed by the INSERT batch itself: a retry finds it taken and
  // replays, so a first attempt costs no extra D1 read. The prompt cap is
  // counted in the same INSERT, so concurrent checkouts cannot both pass it.
  const inserted = await insertPayment(deps.db, payment, {
    source: 'create',
    now,
    ...(command.idempotencyKey ? { idempotency: { key: command.idempotencyKey, requestHash } } : {}),
    ...(command.flow === 'direct'
      ? { promptCap: { max: deps.config.promptsPerPhone, since: now - PROMPT_WINDOW } }
      : {}),
  });
  if (inserted.kind === 'prompt_cap') {
    // A replay of an earlier request is not a new prompt: it answers as the first did.
    const earlier = command.idempotencyKey ? await replay(deps, command, requestHash) : null;
    return earlier ?? { kind: 'too_many_prompts' };
  }
  if (inserted.kind === 'key_taken') {
    const earlier = await replay(deps, command, requestHash);
    if (earlier) return earlier;
    throw new Error('Idempotency-Key taken but not found');
  }
  return createAtDjomy(deps, inserted.payment, command.publicUrl);
}

/** The first answer for an `Idempotency-Key`, or null when the key is new. */
async function replay(
  deps: PaymentDeps,
  command: CreatePaymentCommand,
  requestHash: string,
): Promise<CreateOutcome | null> {
  const record = await findIdempotencyKey(deps.db, command.idempotencyKey as string);
  if (!record) return null;
  if (record.requestHash !== requestHash) return { kind: 'conflict', reason: 'different_body' };
  const payment = await getPayment(deps.db, record.paymentId);
  if (!payment) return null;
  if (payment.transactionId) {
    // A gateway order whose session we hold no URL for (its create answer was lost, a webhook
    // told us of it later): the payer needs a usable portal, so open a new session.
    if (payment.flow === 'gateway' && !payment.nextUrl && !isTerminal(payment.status)) {
      return createAgain(deps, payment, command.publicUrl);
    }
    return { kind: 'created', payment, replay: true };
  }
  if (payment.createError && payment.status === 'FAILED') {
    return { kind: 'refused', payment, message: payment.createError.message, fieldErrors: [] };
  }
  if (isTerminal(payment.status)) return { kind: 'conflict', reason: 'closed' };
  const abandoned = !payment.createError && deps.now() - payment.updatedAt > CREATE_ABANDONED_AFTER;
  if (!payment.createError && !abandoned) return { kind: 'conflict', reason: 'in_progress' };
  if (payment.flow === 'direct' && (abandoned || payment.createError?.outcomeUnknown)) {
    // Djomy may have prompted the payer: look, never create again.
    const found = await lookForCreation(deps, payment, 'create').catch((error: unknown) => {
      deps.log.warn('Djomy list lookup failed', { paymentId: payment.id, error: String(error) });
      return null;
    });
    if (found) return { kind: 'created', payment: found, replay: true };
    return { kind: 'outcome_unknown', payment };
  }
  return createAgain(deps, payment, command.publicUrl);
}

/** One retry at a time may ask Djomy again; a concurrent one is told to wait. */
async function createAgain(deps: PaymentDeps, payment: Payment, publicUrl: string): Promise<CreateOutcome> {
  const claimed = await claimCreation(deps.db, payment, deps.now());
  if (!claimed) return { kind: 'conflict', reason: 'in_progress' };
  return createAtDjomy(deps, claimed, publicUrl);
}

function describeOrder(payment: Payment): string {
  const what = payment.items?.map((line) => `${line.quantity} × ${line.name}`).join(', ') ?? 'Paiement';
  return (payment.reference ? `${payment.reference}: ${what}` : what).slice(0, 255);
}

async function createAtDjomy(deps: PaymentDeps, payment: Payment, publicUrl: string): Promise<CreateOutcome> {
  const returnUrl = `${publicUrl}/return/${payment.id}`;
  const common = {
    amount: payment.amount,
    countryCode: payment.countryCode,
    description: describeOrder(payment),
    merchantPaymentReference: payment.id,
    returnUrl,
    cancelUrl: returnUrl,
    ...(payment.metadata ? { metadata: payment.metadata } : {}),
  };
  let created: { transactionId: string; status: string | null; redirectUrl: string | null };
  try {
    const djomy = djomyOf(deps);
    created =
      payment.flow === 'gateway'
        ? await djomy.createGatewayPayment({
            ...common,
            payerNumber: payment.payerPhone as string,
            ...(payment.allowedMethods
              ? { allowedPaymentMethods: payment.allowedMethods as GatewayMethod[] }
              : {}),
          })
        : await djomy.createDirectPayment({
            ...common,
            paymentMethod: payment.paymentMethod as DirectMethod,
            payerIdentifier: payment.payerPhone as string,
          });
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    return createFailed(deps, payment, error);
  }
  // A URL the payer's browser will follow must be https (loopback http for the simulator).
  const url = created.redirectUrl;
  const usable = url !== null && isSafeBrowserUrl(url);
  const recorded = await recordCreated(deps, payment, {
    transactionId: created.transactionId,
    status: created.status,
    nextUrl: usable ? url : null,
  });
  if ((url !== null && !usable) || (payment.flow === 'gateway' && !usable)) {
    deps.log.error('Djomy answered without a usable URL for the payer', {
      paymentId: payment.id,
      transactionId: created.transactionId,
      scheme: url === null ? null : url.split(':', 1)[0]?.slice(0, 20),
    });
    return { kind: 'bad_answer', payment: recorded };
  }
  scheduleVerify(deps, recorded);
  return { kind: 'created', payment: recorded, replay: false };
}

/**
 * Records Djomy's new transaction as the order's current one. Another writer
 * (a webhook adopting a transaction of this order) may have changed the row
 * meanwhile: re-read and apply again, so the row and the answer agree.
 */
async function recordCreated(
  deps: PaymentDeps,
  payment: Payment,
  created: { transactionId: string; status: string | null; nextUrl: string | null },
): Promise<Payment> {
  const news = {
    transactionId: created.transactionId,
    paymentId: payment.id,
    status: created.status ?? 'CREATED',
    origin: 'create' as const,
    nextUrl: created.nextUrl,
    verified: false,
  };
  let current = payment;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.now();
    if (current.paid) {
      // Paid meanwhile by another of its transactions: keep this one on record, followed.
      await recordVerified(deps.db, { ...news }, { current: false, now });
      return current;
    }
    const written = await commitTransition(deps, current, recordCreation(current, created), {
      source: 'create',
      now,
      verified: false,
      transaction: news,
    });
    if (written) return written;
    const fresh = await getPayment(deps.db, current.id);
    if (!fresh) throw new Error(`payment ${current.id} vanished`);
    current = fresh;
  }
  throw new Error(`payment ${payment.id}: too much contention`);
}

async function createFailed(deps: PaymentDeps, payment: Payment, error: DjomyError): Promise<CreateOutcome> {
  const refused = error.kind === 'refused' || error.kind === 'not_found';
  const createError: CreateError = {
    kind: error.kind,
    ...(error.status ? { status: error.status } : {}),
    message: error.detail ?? 'Djomy could not create the payment',
    outcomeUnknown: error.outcomeUnknown,
  };
  deps.log.warn('Djomy create failed', {
    paymentId: payment.id,
    kind: error.kind,
    status: error.status,
    outcomeUnknown: error.outcomeUnknown,
  });
  const written = await commitTransition(deps, payment, recordCreateError(payment, createError, refused), {
    source: 'create',
    now: deps.now(),
    verified: false,
  });
  // Lost only to a writer that adopted Djomy's transaction meanwhile: that row tells the truth.
  const current = written ?? (await getPayment(deps.db, payment.id)) ?? payment;
  if (current.transactionId) return { kind: 'created', payment: current, replay: false };
  if (refused) {
    return {
      kind: 'refused',
      payment: current,
      message: createError.message,
      fieldErrors: error.fieldErrors,
    };
  }
  if (payment.flow === 'direct' && error.outcomeUnknown) {
    const found = await lookForCreation(deps, current, 'create').catch((lookup: unknown) => {
      deps.log.warn('Djomy list lookup failed', { paymentId: payment.id, error: String(lookup) });
      return null;
    });
    if (found) return { kind: 'created', payment: found, replay: false };
    // The verify queue keeps looking while the payment is young; the cron after that.
    scheduleVerify(deps, current);
    return { kind: 'outcome_unknown', payment: current };
  }
  return { kind: 'failed', payment: current, error };
}

/** The first check of the young-payment schedule (the plan's); the verify consumer continues it. */
function scheduleVerify(deps: PaymentDeps, payment: Payment): void {
  const first = deps.config.limits.youngVerifySeconds[0];
  if (first === undefined) return;
  queueVerify(
    deps,
    { type: 'verify', paymentId: payment.id, source: 'schedule', chain: true, round: 0 },
    first,
  );
}
