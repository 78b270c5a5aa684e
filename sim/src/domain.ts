/**
 * Djomy's vocabulary as the simulator speaks it (djomy-api.md §6 and §13).
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

/** Methods whose prompt mode is configurable: all direct ones but KULU, always a URL to open (decision 3). */
export type PromptMethod = Exclude<DirectMethod, 'KULU'>;
export const PROMPT_METHODS: readonly PromptMethod[] = DIRECT_METHODS.filter(
  (method): method is PromptMethod => method !== 'KULU',
);

/**
 * What the hosted portal and link pages offer (§5.2, §6.3), out of the gateway methods:
 * unknown methods make Djomy ignore the whole filter and show every method (§5.2, §10).
 */
export function portalMethods(requested: string[] | undefined): string[] {
  const known = (m: string) => (GATEWAY_METHODS as readonly string[]).includes(m);
  if (!requested || requested.length === 0 || !requested.every(known)) return [...GATEWAY_METHODS];
  return [...new Set(requested)];
}

/** Djomy's currency labels are not ISO codes (§5.4, decision 8). */
export const COUNTRIES = {
  GN: { currency: 'GNF', phone: /^002246\d{8}$/ },
  SL: { currency: 'Leones', phone: /^00232\d{8}$/ },
  LR: { currency: 'Dollar', phone: /^00231\d{7,9}$/ },
} as const;
export type CountryCode = keyof typeof COUNTRIES;

export function isCountryCode(value: string): value is CountryCode {
  return Object.hasOwn(COUNTRIES, value);
}

/** A payer phone of any supported country (`00` + country code + national number, §9). */
export function isPayerPhone(value: string): boolean {
  return Object.values(COUNTRIES).some((country) => country.phone.test(value));
}

export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** `payment.<status>` for the 8 payment events of §7; `CAPTURED` has none (decision 15). */
export function webhookEventType(status: PaymentStatus): string | null {
  return status === 'CAPTURED' ? null : `payment.${status.toLowerCase()}`;
}
