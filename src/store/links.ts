/** D1 queries for the payment links this Worker created at Djomy. */
import type { DjomyLink } from '../djomy/schemas.ts';

export interface PaymentLink {
  reference: string;
  usageType: 'UNIQUE' | 'MULTIPLE';
  usageLimit: number | null;
  amount: number | null;
  countryCode: string;
  linkName: string | null;
  merchantReference: string | null;
  pageUrl: string;
  /** The wallets the link accepts; null when it accepts every wallet Djomy offers. */
  allowedMethods: string[] | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  reference: string;
  usage_type: 'UNIQUE' | 'MULTIPLE';
  usage_limit: number | null;
  amount: number | null;
  country_code: string;
  link_name: string | null;
  merchant_reference: string | null;
  page_url: string;
  allowed_methods: string | null;
  status: string;
  created_at: number;
  updated_at: number;
}

function toLink(row: Row): PaymentLink {
  return {
    reference: row.reference,
    usageType: row.usage_type,
    usageLimit: row.usage_limit,
    amount: row.amount,
    countryCode: row.country_code,
    linkName: row.link_name,
    merchantReference: row.merchant_reference,
    pageUrl: row.page_url,
    allowedMethods: row.allowed_methods ? (JSON.parse(row.allowed_methods) as string[]) : null,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Stores (or refreshes) a link as Djomy describes it; `known` fills what
 * Djomy's answer may leave out (the country, the wallets chosen at creation).
 */
export async function saveLink(
  db: D1Database,
  link: DjomyLink,
  known: { countryCode: string; allowedMethods?: readonly string[] },
  now: number,
): Promise<PaymentLink> {
  const row = await db
    .prepare(
      `INSERT INTO payment_links (reference, usage_type, usage_limit, amount, country_code, link_name,
         merchant_reference, page_url, status, created_at, updated_at, allowed_methods)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
       ON CONFLICT (reference) DO UPDATE SET usage_limit = ?3, page_url = ?8, status = ?9, updated_at = ?10,
         allowed_methods = coalesce(?11, allowed_methods)
       RETURNING *`,
    )
    .bind(
      link.reference,
      link.usageType,
      link.usageLimit,
      link.amountToPay,
      link.countryCode ?? known.countryCode,
      link.linkName,
      link.merchantReference,
      link.pageUrl,
      link.consumed ? 'PAID' : link.status,
      now,
      known.allowedMethods ? JSON.stringify(known.allowedMethods) : null,
    )
    .first<Row>();
  return toLink(row as Row);
}

export async function getLink(db: D1Database, reference: string): Promise<PaymentLink | null> {
  const row = await db
    .prepare('SELECT * FROM payment_links WHERE reference = ?')
    .bind(reference)
    .first<Row>();
  return row ? toLink(row) : null;
}

export interface LinkTotals extends PaymentLink {
  /** Paid payments made on the link. */
  uses: number;
  /** What they paid, in the link's currency. */
  paidAmount: number;
}

/** The links this Worker created, newest first, with what was paid on each. */
export async function listLinksWithTotals(db: D1Database, limit: number): Promise<LinkTotals[]> {
  const { results } = await db
    .prepare(
      `SELECT l.*,
         coalesce(sum(CASE WHEN p.paid = 1 THEN 1 ELSE 0 END), 0) AS uses,
         coalesce(sum(CASE WHEN p.paid = 1 THEN p.amount ELSE 0 END), 0) AS paid_amount
       FROM payment_links l LEFT JOIN payments p ON p.link_reference = l.reference
       GROUP BY l.reference ORDER BY l.created_at DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<Row & { uses: number; paid_amount: number }>();
  return results.map((row) => ({ ...toLink(row), uses: row.uses, paidAmount: row.paid_amount }));
}
