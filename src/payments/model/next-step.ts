/**
 * What the payer does after a payment is created, or while it is open
 * (docs/djomy.md#otp-or-phone-approval).
 */
import * as z from 'zod/mini';
import type { Payment } from './payment.ts';

/** The one definition of the next step; its type is inferred from it. */
export const NextStep = z.union([
  z.object({ type: z.literal('redirect'), url: z.string() }),
  z.object({ type: z.literal('otp') }),
  z.object({ type: z.literal('open_url'), url: z.string() }),
  z.object({ type: z.literal('approve_on_phone') }),
]);
export type NextStep = z.infer<typeof NextStep>;

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
