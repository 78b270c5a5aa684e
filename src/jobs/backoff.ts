/**
 * Queue retry delays: exponential with jitter, so a Djomy or merchant outage
 * is not hammered in lockstep. `attempts` is the message's delivery count (1 first).
 *
 * @example message.retry({ delaySeconds: retryDelaySeconds(message.attempts) })
 */
export function retryDelaySeconds(attempts: number, { base = 2, cap = 300 } = {}): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
}
