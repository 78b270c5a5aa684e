/**
 * The simulator's behaviour switches (`GET`/`PATCH /__sim/config`), one
 * process-wide object that `/__sim/reset` puts back to its defaults.
 */
import { z } from 'zod';
import { PROMPT_METHODS, type PromptMethod } from './domain.ts';
import type { SimEnv } from './env.ts';

const promptMode = z.enum(['otp', 'push']);
const rate = z.number().min(0).max(1);

/** Every key is optional in a PATCH; unknown keys are refused so typos do not pass silently. */
export const configPatchSchema = z
  .strictObject({
    webhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
    webhookVersion: z.enum(['v1', 'v2']),
    webhookRetry: z
      .strictObject({ attempts: z.int().min(1).max(10), baseDelayMs: z.int().min(0).max(60_000) })
      .partial(),
    tokenTtlSeconds: z.int().min(1),
    methodModes: z.strictObject(Object.fromEntries(PROMPT_METHODS.map((m) => [m, promptMode]))).partial(),
    sandboxQuirks: z.boolean(),
    consumedUniqueLinkStatus: z.enum(['PAID', 'REVOKED']),
    legacyNames: z.boolean(),
    partnerDomain: z.string().min(1).nullable(),
    returnParams: z.boolean(),
    gatewayTimeoutMinutes: z.number().min(0),
    lateSuccessSeconds: z.number().min(0),
    currencyLabel: z.string().min(1).nullable(),
    merchantResponse: z
      .strictObject({
        status: z.int().min(200).max(599),
        failRate: rate,
        location: z.string().min(1).nullable(),
      })
      .partial(),
    redirectUrlOverride: z.string().min(1).nullable(),
    telegramResponse: z
      .strictObject({
        status: z.int().min(200).max(599),
        retryAfter: z.int().min(0).max(3600),
        times: z.int().min(0).nullable(),
      })
      .partial(),
  })
  .partial();

export type ConfigPatch = z.infer<typeof configPatchSchema>;

export interface SimConfig {
  /** Where payment webhooks are POSTed; `null` = build and log them, send nothing. */
  webhookUrl: string | null;
  webhookVersion: 'v1' | 'v2';
  webhookRetry: { attempts: number; baseDelayMs: number };
  tokenTtlSeconds: number;
  methodModes: Record<PromptMethod, 'otp' | 'push'>;
  /**
   * Sandbox as observed (docs/djomy.md#hosts-and-environments): active links read `ENABLED`, links
   * list no payments, OM always fails.
   */
  sandboxQuirks: boolean;
  consumedUniqueLinkStatus: 'PAID' | 'REVOKED';
  /** Only the older field names: `paymentUrl`, `reference`, `url` (docs/djomy.md#field-variants). */
  legacyNames: boolean;
  /**
   * Production-like edge: every call must carry this `X-PARTNER-DOMAIN`, else 403 HTML
   * (docs/djomy.md#edge-refusal-and-partner-domain).
   */
  partnerDomain: string | null;
  returnParams: boolean;
  gatewayTimeoutMinutes: number;
  /** How long after creation a late-success test payer's payment turns SUCCESS. */
  lateSuccessSeconds: number;
  /** Forces the `currency` label of every payment, e.g. an unknown one (docs/djomy.md#currencies). */
  currencyLabel: string | null;
  /** How the merchant inbox answers djomy-edge's notifications. */
  /** How the merchant inbox answers; `location` is sent with a 3xx, to test that deliveries never follow it. */
  merchantResponse: { status: number; failRate: number; location: string | null };
  /**
   * Replaces the URL in every create answer (`redirectUrl`, `paymentUrl`), e.g. with a
   * `javascript:` or plain-http URL, to test that the Worker never sends a payer there.
   */
  redirectUrlOverride: string | null;
  /**
   * How the fake Bot API answers: a status (429 with `retryAfter` seconds, 500…)
   * for the next `times` messages (`null`: until changed), then 200 again.
   */
  telegramResponse: { status: number; retryAfter: number; times: number | null };
}

export function defaultConfig(env: SimEnv): SimConfig {
  return {
    webhookUrl: env.SIM_WEBHOOK_URL?.trim() || null,
    webhookVersion: 'v2',
    webhookRetry: { attempts: 3, baseDelayMs: 500 },
    tokenTtlSeconds: 3600,
    methodModes: { OM: 'otp', MOMO: 'otp', PAYCARD: 'otp', SOUTRA_MONEY: 'push', YMO: 'push' },
    sandboxQuirks: false,
    consumedUniqueLinkStatus: 'PAID',
    legacyNames: false,
    partnerDomain: null,
    returnParams: true,
    gatewayTimeoutMinutes: 60,
    // Longer than a shop's usual wait for an answer, so the success lands after it gave up.
    lateSuccessSeconds: 120,
    currencyLabel: null,
    merchantResponse: { status: 200, failRate: 0, location: null },
    redirectUrlOverride: null,
    telegramResponse: { status: 200, retryAfter: 0, times: null },
  };
}

let current: SimConfig | null = null;

export function config(): SimConfig {
  if (!current) throw new Error('simulator used before initialisation');
  return current;
}

export function resetConfig(env: SimEnv): void {
  current = defaultConfig(env);
}

/** Merges a validated patch; nested objects are merged one level deep. */
export function patchConfig(patch: ConfigPatch): SimConfig {
  const base = config();
  current = {
    ...base,
    ...(patch as Partial<SimConfig>),
    webhookRetry: { ...base.webhookRetry, ...patch.webhookRetry },
    methodModes: { ...base.methodModes, ...patch.methodModes },
    merchantResponse: { ...base.merchantResponse, ...patch.merchantResponse },
    telegramResponse: { ...base.telegramResponse, ...patch.telegramResponse },
  };
  return current;
}
