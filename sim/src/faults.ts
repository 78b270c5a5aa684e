/**
 * Injected faults (`/__sim/faults`, see sim/README.md#faults): which API calls fail and how,
 * slow answers, early token expiry, and the webhook drop / duplicate /
 * reorder rates. Every chance is drawn from one seeded generator, so a run
 * replays identically with the same `seed` and the same sequence of calls.
 */
import { z } from 'zod';
import { randomSeed, seededRandom } from './random.ts';

export const ENDPOINTS = [
  'auth',
  'createPayment',
  'createGateway',
  'confirmOtp',
  'status',
  'listPayments',
  'createLink',
  'getLink',
  'listLinks',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const FAULT_KINDS = [
  '500',
  '502',
  '503',
  '429',
  'timeout',
  'reset',
  'html403',
  'html500',
  'truncated',
  'successFalse',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const rate = z.number().min(0).max(1);

export const faultSpecSchema = z.strictObject({
  seed: z.int().optional(),
  latencyMs: z.int().min(0).max(60_000).optional(),
  hangMs: z.int().min(0).max(120_000).optional(),
  rules: z
    .array(
      z.strictObject({
        endpoint: z.enum([...ENDPOINTS, '*']),
        kind: z.enum(FAULT_KINDS),
        rate,
        times: z.int().min(1).optional(),
        /** Only calls whose path contains this text, e.g. one transactionId. */
        pathIncludes: z.string().min(1).optional(),
      }),
    )
    .default([]),
  webhooks: z
    .strictObject({
      dropRate: rate.default(0),
      duplicateRate: rate.default(0),
      reorderWindowMs: z.int().min(0).max(60_000).default(0),
    })
    .default({ dropRate: 0, duplicateRate: 0, reorderWindowMs: 0 }),
  tokenEarlyExpiryRate: rate.optional(),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultSpecInput = z.input<typeof faultSpecSchema>;

/** How long a `timeout` fault hangs before answering 504, unless the spec says otherwise. */
const DEFAULT_HANG_MS = 15_000;

// Workers forbid random values at global scope: the first request's reset seeds these for real.
let spec: FaultSpec = faultSpecSchema.parse({});
let seed = 1;
let random = seededRandom(seed);

/** Replaces the whole spec and restarts the generator from its seed (a fresh one when none is given). */
export function setFaults(next: FaultSpec): void {
  spec = structuredClone(next);
  seed = next.seed ?? randomSeed();
  random = seededRandom(seed);
}

export function clearFaults(): void {
  setFaults(faultSpecSchema.parse({}));
}

/** The current spec, with the seed in use and what is left of each `times`. */
export function currentFaults(): FaultSpec & { seed: number; hangMs: number; latencyMs: number } {
  return {
    ...structuredClone(spec),
    seed,
    hangMs: spec.hangMs ?? DEFAULT_HANG_MS,
    latencyMs: spec.latencyMs ?? 0,
  };
}

/** The next number of the seeded generator, in [0, 1). */
export function faultRandom(): number {
  return random();
}

/**
 * The fault to apply to this call, if any. A rule with `times` covers only
 * the next N calls it matches (each still subject to its `rate`); the first
 * rule that fires wins.
 */
export function decideFault(endpoint: Endpoint, path: string): FaultKind | null {
  for (const rule of spec.rules) {
    if (rule.endpoint !== endpoint && rule.endpoint !== '*') continue;
    if (rule.pathIncludes !== undefined && !path.includes(rule.pathIncludes)) continue;
    if (rule.times !== undefined) {
      if (rule.times <= 0) continue;
      rule.times -= 1;
    }
    if (random() < rule.rate) return rule.kind;
  }
  return null;
}

/** Whether a valid token is treated as expired on this business call. */
export function tokenExpiresEarly(): boolean {
  const chance = spec.tokenEarlyExpiryRate ?? 0;
  return chance > 0 && random() < chance;
}

export function webhookFaults(): FaultSpec['webhooks'] {
  return spec.webhooks;
}
