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
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Stores (or refreshes) a link as Djomy describes it. */
export async function saveLink(
  db: D1Database,
  link: DjomyLink,
  fallback: { countryCode: string },
  now: number,
): Promise<PaymentLink> {
  const row = await db
    .prepare(
      `INSERT INTO payment_links (reference, usage_type, usage_limit, amount, country_code, link_name,
         merchant_reference, page_url, status, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
       ON CONFLICT (reference) DO UPDATE SET usage_limit = ?3, page_url = ?8, status = ?9, updated_at = ?10
       RETURNING *`,
    )
    .bind(
      link.reference,
      link.usageType,
      link.usageLimit,
      link.amountToPay,
      link.countryCode ?? fallback.countryCode,
      link.linkName,
      link.merchantReference,
      link.pageUrl,
      link.consumed ? 'PAID' : link.status,
      now,
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
