/**
 * Djomy's vocabulary as the simulator speaks it (djomy-api.md §6 and §13).
 */

/** §6.1 without `AUTHORIZED`, which the sim never emits (decision 5). */
export const PAYMENT_STATUSES = [
  'CREATED',
  'PENDING',
  'REDIRECTED',
  'SUCCESS',
  'CAPTURED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'SUCCESS',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'REFUNDED',
]);

/** `POST /v1/payments` methods; `CARD` is refused there (§5.1). */
export const DIRECT_METHODS = ['OM', 'MOMO', 'KULU', 'SOUTRA_MONEY', 'PAYCARD', 'YMO'] as const;
export type DirectMethod = (typeof DIRECT_METHODS)[number];

/** Methods whose prompt mode is configurable; KULU always answers with a URL to open (decision 3). */
export const PROMPT_METHODS = ['OM', 'MOMO', 'PAYCARD', 'SOUTRA_MONEY', 'YMO'] as const;
export type PromptMethod = (typeof PROMPT_METHODS)[number];

/** What the hosted portal and link pages can offer (§5.2, §6.3). */
export const PORTAL_METHODS = ['OM', 'MOMO', 'SOUTRA_MONEY', 'PAYCARD', 'CARD'] as const;

/** Unknown methods make Djomy ignore the whole filter and show every method (§5.2, §10). */
export function portalMethods(requested: string[] | undefined): string[] {
  const known = (m: string) => (PORTAL_METHODS as readonly string[]).includes(m);
  if (!requested || requested.length === 0 || !requested.every(known)) return [...PORTAL_METHODS];
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
