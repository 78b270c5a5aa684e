/**
 * Creating a payment (SPEC §3): price the order, store the payment, ask Djomy
 * to create it, and keep the outcome on the row so that a retry with the same
 * `Idempotency-Key` never charges twice.
 *
 * Retrying after a failure:
 * - Djomy refused (400/404/409/422): the payment is FAILED; the same answer is replayed.
 * - Djomy certainly did nothing (429, 503, connection refused): create again.
 * - The outcome is unknown (timeout, 5xx): for the direct flow the payer may
 *   already have a prompt on the phone, so we first look for the transaction
 *   in Djomy's list (by our id as `merchantPaymentReference`) and adopt it.
 *   A gateway payment costs nothing until the payer acts on the portal URL,
 *   which they never received, so it is simply created again.
 */
import { DjomyError } from '../djomy/errors.ts';
import type { Country } from '../djomy/phone.ts';
import type { DirectMethod, DjomyPaymentStatus, GatewayMethod } from '../djomy/schemas.ts';
import { PAYMENT_STATUSES } from '../djomy/schemas.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { eventInsert } from '../store/events.ts';
import { findIdempotencyKey, idempotencyKeyInsert } from '../store/idempotency.ts';
import { getPayment, paymentInsert, recordCreateError, recordDjomyCreation } from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import type { PaymentDeps } from './deps.ts';
import { PAYMENT_LIFETIME, YOUNG_VERIFY_DELAYS_SECONDS } from './lifetimes.ts';
import { type CreateError, type Metadata, newPaymentId, type Payment } from './payment.ts';
import { type FieldError, priceOrder } from './pricing.ts';
import { afterTransition, judgeHint } from './status.ts';

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
  | { kind: 'conflict'; reason: 'different_body' | 'in_progress' }
  | { kind: 'refused'; payment: Payment; message: string; fieldErrors: string[] }
  | { kind: 'failed'; payment: Payment; error: DjomyError };

/** A creation older than this with no outcome was abandoned mid-call (the isolate died). */
const ABANDONED_AFTER_MS = 60_000;

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
  // Only a request with an Idempotency-Key needs its fingerprint.
  const requestHash = command.idempotencyKey ? await fingerprint(command) : '';
  // The key is claimed optimistically by the INSERT batch below: a retry finds
  // it taken and replays, so a first attempt costs no extra D1 read.
  const priced = await priceOrder(deps.db, deps.config, command);
  if (!priced.ok) {
    // A catalog change must not turn the replay of an earlier answer into a 400.
    const earlier = command.idempotencyKey ? await replay(deps, command, requestHash) : null;
    return earlier ?? { kind: 'invalid', errors: priced.errors };
  }

  const now = deps.now();
  const payment: Payment = {
    id: newPaymentId(),
    flow: command.flow,
    status: 'CREATED',
    paid: false,
    version: 0,
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
    expiresAt: now + PAYMENT_LIFETIME[command.flow],
    createdAt: now,
    updatedAt: now,
  };
  const statements = [
    paymentInsert(deps.db, payment),
    eventInsert(deps.db, {
      paymentId: payment.id,
      from: null,
      to: 'CREATED',
      source: 'create',
      detail: null,
      at: now,
    }),
  ];
  if (command.idempotencyKey) {
    statements.push(
      idempotencyKeyInsert(deps.db, command.idempotencyKey, { requestHash, paymentId: payment.id }, now),
    );
  }
  try {
    await deps.db.batch(statements);
  } catch (error) {
    // The batch is one transaction: if the key was claimed before (a retry or a
    // concurrent request), nothing was written; answer as the first request did.
    const earlier = command.idempotencyKey ? await replay(deps, command, requestHash) : null;
    if (earlier) return earlier;
    throw error;
  }
  return createAtDjomy(deps, payment, command.publicUrl);
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
  if (payment.transactionId) return { kind: 'created', payment, replay: true };
  const failure = payment.createError;
  if (failure && payment.status === 'FAILED') {
    return { kind: 'refused', payment, message: failure.message, fieldErrors: [] };
  }
  const abandoned = !failure && deps.now() - payment.createdAt > ABANDONED_AFTER_MS;
  if (!failure && !abandoned) return { kind: 'conflict', reason: 'in_progress' };
  if (payment.flow === 'direct' && (abandoned || failure?.outcomeUnknown)) {
    const adopted = await adoptFromDjomyList(deps, payment).catch(() => null);
    if (adopted) return { kind: 'created', payment: adopted, replay: true };
  }
  return createAtDjomy(deps, payment, command.publicUrl);
}

/**
 * When a create call's outcome is unknown, looks for the payment in Djomy's
 * own list (our id is its `merchantPaymentReference`, decision 13) and, if
 * Djomy did create it, records the transaction. Used on retry and by the cron.
 */
export async function adoptFromDjomyList(deps: PaymentDeps, payment: Payment): Promise<Payment | null> {
  const found = await findAtDjomy(deps, payment);
  if (!found) return null;
  await recordDjomyCreation(
    deps.db,
    payment.id,
    { transactionId: found.transactionId, nextUrl: null },
    deps.now(),
  );
  const adopted = await getPayment(deps.db, payment.id);
  return adopted?.transactionId ? adopted : null;
}

async function findAtDjomy(deps: PaymentDeps, payment: Payment): Promise<DjomyPaymentStatus | null> {
  if (!deps.djomy) return null;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const period = { startDate: day(payment.createdAt - 86_400_000), endDate: day(deps.now() + 86_400_000) };
  for (let page = 0; page < 3; page++) {
    const result = await deps.djomy.listPayments({
      page,
      size: 100,
      statuses: [...PAYMENT_STATUSES],
      period,
    });
    const found = result.items.find((item) => item.merchantPaymentReference === payment.id);
    if (found) return found;
    if (result.last) break;
  }
  return null;
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
  try {
    if (!deps.djomy) throw new DjomyError({ kind: 'unauthorized', operation: 'configuration' });
    const created =
      payment.flow === 'gateway'
        ? await deps.djomy.createGatewayPayment({
            ...common,
            payerNumber: payment.payerPhone as string,
            ...(payment.allowedMethods
              ? { allowedPaymentMethods: payment.allowedMethods as GatewayMethod[] }
              : {}),
          })
        : await deps.djomy.createDirectPayment({
            ...common,
            paymentMethod: payment.paymentMethod as DirectMethod,
            payerIdentifier: payment.payerPhone as string,
          });
    const now = deps.now();
    const answer = { transactionId: created.transactionId, nextUrl: created.redirectUrl };
    let current: Payment = { ...payment, ...answer, createError: null };
    const hint = judgeHint(current, created.status);
    if (
      hint.change &&
      (await commitTransition(deps, payment, hint, {
        source: 'create',
        now,
        verified: false,
        created: answer,
      }))
    ) {
      current = afterTransition(current, hint, now);
    } else {
      await recordDjomyCreation(deps.db, payment.id, answer, now);
    }
    deps.defer(scheduleFirstVerify(deps, current));
    return { kind: 'created', payment: current, replay: false };
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    const refused = error.kind === 'refused' || error.kind === 'not_found';
    const createError: CreateError = {
      kind: error.kind,
      ...(error.status ? { status: error.status } : {}),
      message: error.detail ?? 'Djomy could not create the payment',
      outcomeUnknown: error.outcomeUnknown,
    };
    await recordCreateError(deps.db, payment, createError, refused, deps.now());
    deps.log.warn('Djomy create failed', { paymentId: payment.id, kind: error.kind, status: error.status });
    const after = { ...payment, createError, ...(refused ? { status: 'FAILED' as const } : {}) };
    return refused
      ? { kind: 'refused', payment: after, message: createError.message, fieldErrors: error.fieldErrors }
      : { kind: 'failed', payment: after, error };
  }
}

/** The first check of the young-payment schedule; the verify consumer continues it. */
async function scheduleFirstVerify(deps: PaymentDeps, payment: Payment): Promise<void> {
  await deps.verifyQueue
    .send(
      { type: 'verify', paymentId: payment.id, source: 'schedule', chain: true, round: 0 },
      { delaySeconds: YOUNG_VERIFY_DELAYS_SECONDS[0] },
    )
    .catch((error: unknown) => {
      // Not fatal: webhooks, polls and the cron still verify it.
      deps.log.warn('verify enqueue failed', { paymentId: payment.id, error: String(error) });
    });
}
