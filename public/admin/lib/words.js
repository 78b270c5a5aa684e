/**
 * Amounts in French words, for the counter's spoken announcements
 * ("Paiement reçu : vingt-cinq mille francs guinéens"). Speech engines read
 * "25 000 GNF" badly or in English; words read the same everywhere.
 *
 * Traditional spelling, as shop staff in Guinea learned it: hyphens below one
 * hundred, "et" in 21, 31 … 71, plural "quatre-vingts" and "deux cents" only
 * at the end of a number or before "million"/"milliard" (which are nouns),
 * never before "mille" (which is not).
 *
 * Pure, no DOM: test/node/console-words.test.ts imports it.
 */

const UNITS = [
  'zéro',
  'un',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'neuf',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'dix-sept',
  'dix-huit',
  'dix-neuf',
];
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];

/** Scales above a thousand, largest first: each is a noun, so it takes "s" and plural numbers before it. */
const SCALES = /** @type {const} */ ([
  [1e12, 'billion'],
  [1e9, 'milliard'],
  [1e6, 'million'],
]);

/** The largest integer spoken: just under a thousand billions (10^15). */
export const MAX_SPOKEN = 1e15 - 1;

/**
 * 0–99. `last`: nothing but a noun follows, so "quatre-vingts" keeps its "s".
 * @param {number} n
 * @param {boolean} last
 */
function belowHundred(n, last) {
  if (n < 20) return /** @type {string} */ (UNITS[n]);
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens === 7 || tens === 9) {
    // 70–79 and 90–99 count on from soixante and quatre-vingt: soixante-douze, quatre-vingt-dix-neuf.
    if (tens === 7 && unit === 1) return 'soixante et onze';
    return `${tens === 7 ? 'soixante' : 'quatre-vingt'}-${UNITS[10 + unit]}`;
  }
  if (tens === 8)
    return unit === 0 ? (last ? 'quatre-vingts' : 'quatre-vingt') : `quatre-vingt-${UNITS[unit]}`;
  if (unit === 0) return /** @type {string} */ (TENS[tens]);
  if (unit === 1) return `${TENS[tens]} et un`;
  return `${TENS[tens]}-${UNITS[unit]}`;
}

/**
 * 0–999.
 * @param {number} n
 * @param {boolean} last
 */
function belowThousand(n, last) {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return belowHundred(rest, last);
  const head = hundreds === 1 ? 'cent' : `${UNITS[hundreds]} cent${rest === 0 && last ? 's' : ''}`;
  return rest === 0 ? head : `${head} ${belowHundred(rest, last)}`;
}

/**
 * 0–999 999: "mille" is never preceded by "un", and makes the number before it singular.
 * @param {number} n
 */
function belowMillion(n) {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const words = [];
  if (thousands === 1) words.push('mille');
  else if (thousands > 1) words.push(`${belowThousand(thousands, false)} mille`);
  if (rest > 0 || thousands === 0) words.push(belowThousand(rest, true));
  return words.join(' ');
}

/**
 * A whole number in French words.
 *
 * @example frenchWords(21) // 'vingt et un'
 * @example frenchWords(80_000) // 'quatre-vingt mille'
 * @example frenchWords(2_500_000) // 'deux millions cinq cent mille'
 * @param {number} n an integer from 0 to MAX_SPOKEN
 * @returns {string}
 */
export function frenchWords(n) {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPOKEN) {
    throw new RangeError(`frenchWords: an integer from 0 to ${MAX_SPOKEN}, not ${n}`);
  }
  if (n < 1e6) return belowMillion(n);
  const words = [];
  let rest = n;
  for (const [size, name] of SCALES) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count === 0) continue;
    words.push(`${belowThousand(count, true)} ${name}${count > 1 ? 's' : ''}`);
  }
  if (rest > 0) words.push(belowMillion(rest));
  return words.join(' ');
}

/** Currency names, singular and plural, as said aloud. */
const CURRENCIES = /** @type {Record<string, [string, string]>} */ ({
  GNF: ['franc guinéen', 'francs guinéens'],
  SLE: ['leone', 'leones'],
  USD: ['dollar', 'dollars'],
});

/**
 * An amount said aloud: "soixante mille francs guinéens", "un million de
 * francs guinéens" (a round million takes "de", as any noun of quantity).
 *
 * @example amountInWords(60_000, 'GNF') // 'soixante mille francs guinéens'
 * @param {number} amount a whole number of the currency's unit (GNF has no subunit)
 * @param {string} currency ISO 4217 code
 * @returns {string}
 */
export function amountInWords(amount, currency) {
  const words = frenchWords(amount);
  const names = CURRENCIES[currency];
  if (!names) return `${words} ${currency}`;
  const name = amount >= 2 ? names[1] : names[0];
  const roundScale = amount >= 1e6 && amount % 1e6 === 0;
  return `${words} ${roundScale ? 'de ' : ''}${name}`;
}

/**
 * What the counter says when a payment arrives.
 *
 * @example paymentAnnouncement(25_000, 'GNF') // 'Paiement reçu : vingt-cinq mille francs guinéens'
 * @param {number} amount
 * @param {string} currency
 */
export function paymentAnnouncement(amount, currency) {
  return `Paiement reçu : ${amountInWords(amount, currency)}`;
}
