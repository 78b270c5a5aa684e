/**
 * The OTP step of the direct flow (SPEC §3, decisions 3–4): forward the
 * payer's code to Djomy's confirmOTP, record the status hint, then verify,
 * which alone can make the payment paid.
 */
import { DjomyError } from '../djomy/errors.ts';
import { commitTransition } from './commit-transition.ts';
import type { PaymentDeps } from './deps.ts';
import type { Payment } from './payment.ts';
import { afterTransition, isTerminal, judgeHint } from './status.ts';
import { verifyPayment } from './verify-payment.ts';

export type OtpOutcome =
  | { kind: 'accepted'; payment: Payment }
  | { kind: 'conflict'; reason: string }
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; error: DjomyError };

/**
 * @example const outcome = await confirmOtp(deps, payment, '1234')
 */
export async function confirmOtp(deps: PaymentDeps, payment: Payment, otp: string): Promise<OtpOutcome> {
  if (payment.flow !== 'direct') return { kind: 'conflict', reason: 'only direct payments take an OTP' };
  if (isTerminal(payment.status))
    return { kind: 'conflict', reason: `the payment is already ${payment.status}` };
  if (!payment.transactionId) return { kind: 'conflict', reason: 'the payment was not created at Djomy' };
  if (!deps.djomy)
    return { kind: 'failed', error: new DjomyError({ kind: 'unauthorized', operation: 'configuration' }) };
  let hint: string;
  try {
    hint = (await deps.djomy.confirmOtp(payment.transactionId, otp)).status;
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    if (error.kind === 'refused' || error.kind === 'not_found') {
      return { kind: 'refused', message: error.detail ?? 'Djomy refused the code' };
    }
    return { kind: 'failed', error };
  }
  let current = payment;
  const now = deps.now();
  const transition = judgeHint(payment, hint);
  if (
    transition.change &&
    (await commitTransition(deps, payment, transition, { source: 'otp', now, verified: false }))
  ) {
    current = afterTransition(payment, transition, now);
  }
  // Djomy usually knows the outcome once the code is accepted: verify now, so
  // the payer sees it at once and the webhook that follows finds nothing left
  // to check (one status call instead of two). Still open, or Djomy did not
  // answer: a queued verify follows up.
  try {
    current = (await verifyPayment(deps, current, 'otp')).payment;
  } catch (error) {
    deps.log.warn('verify after OTP failed; queued instead', { paymentId: payment.id, error: String(error) });
  }
  if (!isTerminal(current.status)) {
    deps.defer(
      deps.verifyQueue
        .send({ type: 'verify', paymentId: payment.id, source: 'otp' }, { delaySeconds: 5 })
        .catch((error: unknown) =>
          deps.log.warn('verify enqueue failed', { paymentId: payment.id, error: String(error) }),
        ),
    );
  }
  return { kind: 'accepted', payment: current };
}
