/** D1 queries for the catalog. Prices live here, never in the browser. */

export interface Product {
  sku: string;
  name: string;
  amount: number;
  currency: string;
  active: boolean;
  updatedAt: string;
}

interface Row {
  sku: string;
  name: string;
  amount: number;
  currency: string;
  active: number;
  updated_at: number;
}

function toProduct(row: Row): Product {
  return {
    sku: row.sku,
    name: row.name,
    amount: row.amount,
    currency: row.currency,
    active: row.active === 1,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listProducts(
  db: D1Database,
  { activeOnly }: { activeOnly: boolean },
): Promise<Product[]> {
  const { results } = await db
    .prepare(`SELECT * FROM products ${activeOnly ? 'WHERE active = 1' : ''} ORDER BY sku`)
    .all<Row>();
  return results.map(toProduct);
}

/** The active products among `skus`, keyed by SKU. */
export async function findActiveProducts(db: D1Database, skus: string[]): Promise<Map<string, Product>> {
  if (skus.length === 0) return new Map();
  const placeholders = skus.map((_, i) => `?${i + 1}`).join(', ');
  const { results } = await db
    .prepare(`SELECT * FROM products WHERE active = 1 AND sku IN (${placeholders})`)
    .bind(...skus)
    .all<Row>();
  return new Map(results.map((row) => [row.sku, toProduct(row)]));
}

export async function upsertProduct(
  db: D1Database,
  product: { sku: string; name: string; amount: number; currency: string; active: boolean },
  now: number,
): Promise<{ created: boolean; product: Product }> {
  const existed = await db.prepare('SELECT 1 FROM products WHERE sku = ?').bind(product.sku).first();
  const row = await db
    .prepare(
      `INSERT INTO products (sku, name, amount, currency, active, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (sku) DO UPDATE SET name = ?2, amount = ?3, currency = ?4, active = ?5, updated_at = ?6
       RETURNING *`,
    )
    .bind(product.sku, product.name, product.amount, product.currency, product.active ? 1 : 0, now)
    .first<Row>();
  return { created: !existed, product: toProduct(row as Row) };
}

/**
 * Deactivates rather than deletes: past payments keep naming the product.
 * Returns false when the SKU is unknown.
 */
export async function deactivateProduct(db: D1Database, sku: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE products SET active = 0, updated_at = ?2 WHERE sku = ?1')
    .bind(sku, now)
    .run();
  return result.meta.changes === 1;
}
