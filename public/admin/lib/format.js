/**
 * Numbers, amounts and times as the console shows them. Amounts use the
 * Guinean French format in both languages ("60 000 GNF": what receipts and
 * wallets show); times are Guinea's, which is UTC, like the API's days.
 *
 * Pure, no DOM: test/node/console-words.test.ts imports it.
 */

const AMOUNT = new Intl.NumberFormat('fr-GN', { maximumFractionDigits: 0 });
const ZONE = 'Africa/Conakry';

/**
 * @example money(60000, 'GNF') // '60 000 GNF' (narrow no-break spaces)
 * @param {number} amount whole units (GNF has no subunit)
 * @param {string} [currency]
 */
export function money(amount, currency = 'GNF') {
  return `${AMOUNT.format(amount)}\u00a0${currency}`;
}

/** @param {number} n */
export function integer(n) {
  return AMOUNT.format(n);
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();

/**
 * @param {'fr' | 'en'} lang
 * @param {'datetime' | 'time' | 'day' | 'short'} kind
 */
function formatOf(lang, kind) {
  const key = `${lang}:${kind}`;
  let format = formats.get(key);
  if (!format) {
    /** @type {Intl.DateTimeFormatOptions} */
    const options = { timeZone: ZONE };
    if (kind === 'datetime') Object.assign(options, { dateStyle: 'medium', timeStyle: 'medium' });
    if (kind === 'time') Object.assign(options, { timeStyle: 'medium' });
    if (kind === 'day') Object.assign(options, { weekday: 'short', day: 'numeric', month: 'short' });
    if (kind === 'short') Object.assign(options, { day: 'numeric', month: 'short' });
    format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', options);
    formats.set(key, format);
  }
  return format;
}

/**
 * A moment, from an ISO string or milliseconds; '—' when there is none.
 * @param {string | number | null | undefined} at
 * @param {'fr' | 'en'} lang
 * @param {'datetime' | 'time' | 'day' | 'short'} [kind]
 */
export function when(at, lang, kind = 'datetime') {
  if (at === null || at === undefined || at === '') return '—';
  const date = new Date(typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T12:00:00Z` : at);
  if (Number.isNaN(date.getTime())) return String(at);
  return formatOf(lang, kind).format(date);
}

/**
 * The UTC day (Guinea's) `offset` days before `day`, as YYYY-MM-DD.
 * @example dayBefore('2026-03-01', 1) // '2026-02-28'
 * @param {string} day YYYY-MM-DD
 * @param {number} offset
 */
export function dayBefore(day, offset) {
  return new Date(Date.parse(`${day}T00:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * @typedef {{ day: string, currency: string, paidCount: number, paidAmount: number }} DayRevenue
 * @typedef {{ currency: string, count: number, amount: number }} Total
 */

/**
 * Totals per currency of the days from `since` to the end, largest amount first.
 * @param {DayRevenue[]} days
 * @param {string} since YYYY-MM-DD, inclusive
 * @returns {Total[]}
 */
export function totalsSince(days, since) {
  /** @type {Map<string, Total>} */
  const totals = new Map();
  for (const day of days) {
    if (day.day < since) continue;
    const total = totals.get(day.currency) ?? { currency: day.currency, count: 0, amount: 0 };
    total.count += day.paidCount;
    total.amount += day.paidAmount;
    totals.set(day.currency, total);
  }
  return [...totals.values()].sort((a, b) => b.amount - a.amount);
}
