/**
 * A payer's browser asks about a payment (a poll of the public view, a
 * return from Djomy's portal): Djomy is asked too, but only when it is due,
 * so that a crowd of polls never becomes one Djomy call per poll.
 *
 * - `poll`: at most once per interval, an interval that grows with the
 *   payment's age (10 s to 60 s), counted from creation for a payment never
 *   checked (a poll right after create has nothing to learn);
 * - `return`: the payer coming back is news, so at once, then at most every
 *   few seconds on reloads. When a check is already running (the webhook
 *   Djomy sent as the payer paid), its verdict is waited for a moment: a
 *   payer without JavaScript would otherwise land on a page that cannot
 *   update itself.
 * A Djomy fault is logged and the payment answered as the ledger has it.
 */
import { claimVerify, getPayment } from '../store/payments.ts';
import type { PaymentDeps } from './deps.ts';
import { POLL_VERIFY_INTERVAL, RETURN_VERIFY_INTERVAL } from './model/lifetimes.ts';
import type { Payment } from './model/payment.ts';
import { isTerminal } from './model/status.ts';
import { verifyPayment } from './verify-payment.ts';

/**
 * @example const payment = await verifyIfDue(deps, payment, 'poll')
 */
export async function verifyIfDue(
  deps: PaymentDeps,
  payment: Payment,
  trigger: 'poll' | 'return',
): Promise<Payment> {
  if (isTerminal(payment.status) || !payment.transactionId) return payment;
  const now = deps.now();
  const claim =
    trigger === 'poll'
      ? {
          now,
          interval: Math.min(60_000, Math.max(2 * POLL_VERIFY_INTERVAL, (now - payment.createdAt) / 2)),
          countFromCreation: true,
        }
      : { now, interval: RETURN_VERIFY_INTERVAL, countFromCreation: false };
  if (!(await claimVerify(deps.db, payment.id, claim)))
    return trigger === 'return' ? awaitRunningCheck(deps, payment) : payment;
  try {
    return (await verifyPayment(deps, payment, trigger)).payment;
  } catch (error) {
    deps.log.warn(`${trigger} verify failed`, { paymentId: payment.id, error: String(error) });
    return payment;
  }
}

/** How long a return waits for a check already running, in steps: about what one Djomy call takes. */
const RUNNING_CHECK_WAITS_MS = [500, 1000, 1500];

async function awaitRunningCheck(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  let latest = payment;
  for (const wait of RUNNING_CHECK_WAITS_MS) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    latest = (await getPayment(deps.db, payment.id)) ?? latest;
    if (isTerminal(latest.status)) break;
  }
  return latest;
}
