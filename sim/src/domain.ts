/**
 * Djomy's vocabulary as the simulator speaks it (docs/djomy.md).
 * What Djomy defines lives once, in the Worker's `src/djomy/schemas.ts`; this
 * file adds what only the simulator needs.
 */
import {
  DIRECT_METHODS,
  type DirectMethod,
  GATEWAY_METHODS,
  PAYMENT_STATUSES,
  type PaymentStatus,
  TERMINAL_STATUSES,
} from '../../src/djomy/schemas.ts';

export { DIRECT_METHODS, type DirectMethod, PAYMENT_STATUSES, type PaymentStatus };

/**
 * Methods whose prompt mode is configurable: all direct ones but KULU, always a URL to open
 * (docs/djomy.md#otp-or-phone-approval).
 */
export type PromptMethod = Exclude<DirectMethod, 'KULU'>;
export const PROMPT_METHODS: readonly PromptMethod[] = DIRECT_METHODS.filter(
  (method): method is PromptMethod => method !== 'KULU',
);

/**
 * What the hosted portal and link pages offer, out of the gateway methods:
 * unknown methods make Djomy ignore the whole filter and show every method
 * (docs/djomy.md#gateway-payment).
 */
export function portalMethods(requested: string[] | undefined): string[] {
  const known = (m: string) => (GATEWAY_METHODS as readonly string[]).includes(m);
  if (!requested || requested.length === 0 || !requested.every(known)) return [...GATEWAY_METHODS];
  return [...new Set(requested)];
}

/** Djomy's currency labels are not ISO codes (docs/djomy.md#currencies). */
export const COUNTRIES = {
  GN: { currency: 'GNF', phone: /^002246\d{8}$/ },
  SL: { currency: 'Leones', phone: /^00232\d{8}$/ },
  LR: { currency: 'Dollar', phone: /^00231\d{7,9}$/ },
} as const;
export type CountryCode = keyof typeof COUNTRIES;

export function isCountryCode(value: string): value is CountryCode {
  return Object.hasOwn(COUNTRIES, value);
}

/**
 * A payer phone of any supported country (`00` + country code + national number,
 * docs/djomy.md#phone-numbers).
 */
export function isPayerPhone(value: string): boolean {
  return Object.values(COUNTRIES).some((country) => country.phone.test(value));
}

export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** `payment.<status>` for Djomy's 8 payment events (docs/djomy.md#webhooks); `CAPTURED` has none. */
export function webhookEventType(status: PaymentStatus): string | null {
  return status === 'CAPTURED' ? null : `payment.${status.toLowerCase()}`;
}
