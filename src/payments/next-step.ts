/**
 * What the payer does after a payment is created (SPEC §3, decision 3).
 */
import type { Payment } from './payment.ts';

export type NextStep =
  | { type: 'redirect'; url: string }
  | { type: 'otp' }
  | { type: 'open_url'; url: string }
  | { type: 'approve_on_phone' };

/**
 * - gateway: go to Djomy's portal at once;
 * - direct, method in `OTP_METHODS`: type the OTP the operator sent;
 * - direct with a URL from Djomy (KULU): open it;
 * - any other direct method: approve the prompt on the phone.
 * The status is polled in every case: a payer may also approve on the phone.
 *
 * @example nextStepFor(payment, config.otpMethods) // { type: 'otp' }
 */
export function nextStepFor(
  payment: Pick<Payment, 'flow' | 'paymentMethod' | 'nextUrl'>,
  otpMethods: ReadonlySet<string>,
): NextStep | null {
  if (payment.flow === 'gateway') return payment.nextUrl ? { type: 'redirect', url: payment.nextUrl } : null;
  if (payment.flow !== 'direct') return null;
  if (payment.paymentMethod && otpMethods.has(payment.paymentMethod)) return { type: 'otp' };
  if (payment.nextUrl) return { type: 'open_url', url: payment.nextUrl };
  return { type: 'approve_on_phone' };
}
