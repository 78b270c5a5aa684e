/**
 * The OTP step of the direct flow (docs/djomy.md#confirmotp): forward the
 * payer's code to Djomy's confirmOTP, record the status hint, then verify,
 * which alone can make the payment paid.
 */
import { DjomyError } from '../djomy/errors.ts';
import { claimOtpAttempt } from '../store/payments.ts';
import { commitTransition } from './commit-transition.ts';
import { djomyOf, type PaymentDeps, queueVerify } from './deps.ts';
import { MAX_OTP_ATTEMPTS, OTP_VERIFY_DELAY_SECONDS } from './model/lifetimes.ts';
import type { Payment } from './model/payment.ts';
import { isTerminal, judgeHint } from './model/status.ts';
import { verifyPayment } from './verify-payment.ts';

export type OtpOutcome =
  | { kind: 'accepted'; payment: Payment }
  | { kind: 'conflict'; reason: string }
  | { kind: 'refused'; message: string }
  /** `MAX_OTP_ATTEMPTS` codes already reached Djomy for this payment. */
  | { kind: 'exhausted' }
  | { kind: 'failed'; error: DjomyError };

/**
 * @example const outcome = await confirmOtp(deps, payment, '1234')
 */
export async function confirmOtp(deps: PaymentDeps, payment: Payment, otp: string): Promise<OtpOutcome> {
  const djomy = djomyOf(deps);
  if (payment.flow !== 'direct') return { kind: 'conflict', reason: 'only direct payments take an OTP' };
  if (isTerminal(payment.status))
    return { kind: 'conflict', reason: `the payment is already ${payment.status}` };
  if (!payment.transactionId) return { kind: 'conflict', reason: 'the payment was not created at Djomy' };
  // Counted before the call: a code whose answer is lost may still have reached Djomy.
  if (!(await claimOtpAttempt(deps.db, payment.id, MAX_OTP_ATTEMPTS))) return { kind: 'exhausted' };
  let hint: string;
  try {
    hint = (await djomy.confirmOtp(payment.transactionId, otp)).status;
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    if (error.kind === 'refused' || error.kind === 'not_found') {
      return { kind: 'refused', message: error.detail ?? 'Djomy refused the code' };
    }
    // Djomy may have taken the code: the payer is not asked for it again blindly, and a verify follows.
    queueVerify(deps, { type: 'verify', paymentId: payment.id, source: 'otp' }, OTP_VERIFY_DELAY_SECONDS);
    return { kind: 'failed', error };
  }
  let current = payment;
  const transition = judgeHint(payment, hint);
  if (transition.change) {
    current =
      (await commitTransition(deps, payment, transition, {
        source: 'otp',
        now: deps.now(),
        verified: false,
      })) ?? current;
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
  if (!isTerminal(current.status))
    queueVerify(deps, { type: 'verify', paymentId: payment.id, source: 'otp' }, OTP_VERIFY_DELAY_SECONDS);
  return { kind: 'accepted', payment: current };
}
