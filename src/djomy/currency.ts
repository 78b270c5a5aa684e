/**
 * Djomy labels currencies in its own words (`GNF`, `FCFA`, `Dollar`, `Leones`;
 * docs/djomy.md#currencies). The ledger stores ISO 4217 codes. An unknown
 * label is never guessed: the caller keeps it as received and flags the payment.
 */

const ISO_BY_LABEL: Record<string, string> = {
  GNF: 'GNF',
  FCFA: 'XOF',
  Dollar: 'USD',
  Leones: 'SLE',
};

/**
 * @example isoCurrency('FCFA') // 'XOF'
 * @example isoCurrency('Naira') // null
 */
export function isoCurrency(label: string): string | null {
  return ISO_BY_LABEL[label] ?? null;
}

/** The currency Djomy uses for each country: requests carry none, Djomy takes the country's. */
export const CURRENCY_BY_COUNTRY = { GN: 'GNF', SL: 'SLE', LR: 'USD' } as const;
