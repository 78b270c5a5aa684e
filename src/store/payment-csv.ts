/**
 * The ledger's CSV export, each line formatted by D1 itself. Formatting
 * 10,000 lines in JavaScript (dates, quoting, masking) takes about 36 ms of
 * CPU — over three times the Free plan's 10 ms per invocation; formatted and
 * joined by SQLite, the Worker only passes each page on.
 *
 * The rules (docs/console.md#csv-export): integers as digits, booleans as
 * `true`/`false`, times as ISO 8601 UTC with milliseconds; text that a
 * spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or a
 * carriage return first — references come from payers) gets a leading `'`;
 * a cell with a comma, a quote or a line break is quoted, its quotes doubled.
 */
import type { PaymentFilter } from '../payments/model/payment-filter.ts';
import { type PaymentQuery, paymentsWhere } from './payments.ts';

/** The header row's names, in the order of the cells of each line. */
export const CSV_COLUMNS = [
  'id',
  'created_at',
  'paid_at',
  'status',
  'paid',
  'flow',
  'method',
  'amount',
  'currency',
  'received_amount',
  'fees',
  'reference',
  'phone',
  'transaction_id',
  'link_reference',
  'flag',
] as const;

/** A text column as a CSV cell. */
function text(column: string): string {
  const neutralised = `(CASE WHEN substr(${column}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '''' || ${column} ELSE ${column} END)`;
  return `(CASE WHEN ${column} IS NULL THEN ''
    WHEN instr(${column}, ',') OR instr(${column}, '"') OR instr(${column}, char(10)) OR instr(${column}, char(13))
      THEN '"' || replace(${neutralised}, '"', '""') || '"'
    ELSE ${neutralised} END)`;
}

/** A time in milliseconds as `2026-11-30T08:05:09.042Z`. */
function time(column: string): string {
  return `(CASE WHEN ${column} IS NULL THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || '.' || printf('%03d', ${column} % 1000) || 'Z' END)`;
}

const integer = (column: string) => `coalesce(${column}, '')`;

/** The payer's phone with all but its first 5 and last 3 digits hidden (as `maskPhone`). */
const MASKED_PHONE = `(CASE WHEN payer_phone IS NULL THEN NULL
  WHEN length(payer_phone) <= 8 THEN substr('********', 1, length(payer_phone))
  ELSE substr(payer_phone, 1, 5) || substr('********************************', 1, length(payer_phone) - 8) || substr(payer_phone, -3) END)`;

function lineSql(maskPhones: boolean): string {
  const cells = [
    text('id'),
    time('created_at'),
    time('paid_at'),
    text('status'),
    "(CASE paid WHEN 1 THEN 'true' ELSE 'false' END)",
    text('flow'),
    text('payment_method'),
    integer('amount'),
    text('currency'),
    integer('received_amount'),
    integer('fees'),
    text('reference'),
    text(maskPhones ? MASKED_PHONE : 'payer_phone'),
    text('transaction_id'),
    text('link_reference'),
    text('flag'),
  ];
  return `${cells.join(` || ',' || `)} || char(13, 10)`;
}

/**
 * One page of CSV lines, newest first, and where the next page starts (null
 * after the last). SQLite joins the page's lines too, so that the Worker
 * receives one string per page rather than thousands of rows: decoding the rows
 * took most of the export's CPU (BENCHMARKS.md, "Console ledger").
 */
export async function paymentCsvPage(
  db: D1Database,
  query: PaymentFilter & Pick<PaymentQuery, 'after' | 'limit' | 'now'>,
  options: { maskPhones: boolean },
): Promise<{ lines: string; next: { createdAt: number; id: string } | null }> {
  const { sql, binds } = paymentsWhere(query);
  const oldest = 'FROM page ORDER BY created_at, id LIMIT 1';
  const row = await db
    .prepare(
      `WITH page AS MATERIALIZED (
         SELECT ${lineSql(options.maskPhones)} AS line, created_at, id FROM payments ${sql}
         ORDER BY created_at DESC, id DESC LIMIT ?${binds.length + 1})
       SELECT coalesce(group_concat(line, '' ORDER BY created_at DESC, id DESC), '') AS lines, count(*) AS n,
         (SELECT created_at ${oldest}) AS last_created_at, (SELECT id ${oldest}) AS last_id
       FROM page`,
    )
    .bind(...binds, query.limit)
    .first<{ lines: string; n: number; last_created_at: number | null; last_id: string | null }>();
  const full = row !== null && row.n === query.limit && row.last_created_at !== null && row.last_id !== null;
  return {
    lines: row?.lines ?? '',
    next: full ? { createdAt: row.last_created_at as number, id: row.last_id as string } : null,
  };
}
