/**
 * Which payments a merchant asks for, and over how many days a summary: the
 * one typed definition shared by the admin API (query strings, coerced
 * first), the CSV export, the console and the MCP tools (JSON). No
 * transforms, so their JSON Schema can be generated.
 */
import * as z from 'zod/mini';
import { DIRECT_METHODS, PAYMENT_STATUSES } from '../../djomy/schemas.ts';

/** Every payment method a payment can carry: the direct ones, and cards through the gateway. */
export const PAYMENT_METHODS = [...DIRECT_METHODS, 'CARD'] as const;

const Day = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD'),
  z.refine((day) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(day);
  }, 'not a day of the calendar'),
);

/** D1 refuses LIKE patterns longer than this many bytes. */
const LIKE_MAX_BYTES = 50;

/**
 * The LIKE pattern that finds `text` anywhere, `%`, `_` and `\` escaped (with
 * `ESCAPE '\'`), for searches.
 *
 * @example searchPattern('50%') // '%50\%%'
 */
export function searchPattern(text: string): string {
  return `%${text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const fitsLike = (q: string) => new TextEncoder().encode(searchPattern(q)).length <= LIKE_MAX_BYTES;

export const PaymentFilter = z.strictObject({
  status: z.optional(z.enum(PAYMENT_STATUSES)),
  method: z.optional(z.enum(PAYMENT_METHODS)),
  flow: z.optional(z.enum(['gateway', 'direct', 'link', 'external'])),
  /** Created on or after this day (UTC, which is Guinea's time). */
  from: z.optional(Day),
  /** Created on or before this day. */
  to: z.optional(Day),
  /** `true`: only payments that need a human (a flag on the payment or on one of its transactions). */
  flagged: z.optional(z.boolean()),
  /** `true`: payments still open after their expiry (what the summary counts as `stuckOpen`). */
  stuck: z.optional(z.boolean()),
  /** A payment id, part of the merchant's reference, or the last digits of the payer's phone. */
  q: z.optional(
    z.string().check(
      z.refine((q) => q.trim().length > 0, 'empty'),
      z.refine(fitsLike, `too long: at most ${LIKE_MAX_BYTES - 2} bytes, each % _ or \\ counting twice`),
    ),
  ),
});
export type PaymentFilter = z.infer<typeof PaymentFilter>;

/** A page of a list: how many, and where the previous page stopped. */
export const PageRequest = z.strictObject({
  limit: z._default(z.int().check(z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});

/** The span of a ledger summary: how many days back, today included. */
export const SummaryRequest = z.strictObject({
  days: z._default(z.int().check(z.gte(1), z.lte(90)), 30),
});

/**
 * Query-string values as the typed filter wants them: in the `booleans` keys
 * `"true"` and `"false"` are booleans, in the `numbers` keys digits are a
 * number; anything else is left as text for the schema to judge.
 *
 * @example PaymentFilter.safeParse(fromQuery({ flagged: 'true' }, { booleans: ['flagged'] }))
 */
export function fromQuery(
  query: Record<string, string>,
  kinds: { booleans?: readonly string[]; numbers?: readonly string[] },
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => {
      if (kinds.booleans?.includes(key) && (value === 'true' || value === 'false'))
        return [key, value === 'true'];
      if (kinds.numbers?.includes(key) && /^\d{1,9}$/.test(value)) return [key, Number(value)];
      return [key, value];
    }),
  );
}

/** The start (inclusive) and end (exclusive) of the days a filter names, in milliseconds. */
export function dayRange(filter: Pick<PaymentFilter, 'from' | 'to'>): { since?: number; until?: number } {
  return {
    ...(filter.from ? { since: Date.parse(`${filter.from}T00:00:00Z`) } : {}),
    ...(filter.to ? { until: Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000 } : {}),
  };
}
