/** The dead-letter queue consumer: each exhausted job is recorded (src/payments/dead-letters.ts). */

import { recordExhaustedJob } from '../payments/dead-letters.ts';
import type { PaymentDeps } from '../payments/deps.ts';

export async function handleDeadLetter(deps: PaymentDeps, message: Message<unknown>): Promise<void> {
  try {
    await recordExhaustedJob(deps, message.body, message.attempts);
    message.ack();
  } catch {
    message.retry({ delaySeconds: 30 });
  }
}
