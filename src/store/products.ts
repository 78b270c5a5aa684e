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

/**
 * Recently read catalog rows, per isolate and D1 binding: checkouts ask for the
 * same few products again and again, and each D1 round trip costs the isolate
 * CPU (BENCHMARKS.md, checkout). A price change therefore reaches checkouts within
 * `CATALOG_CACHE_MS` — at once in the isolate that made it (`forgetCachedProducts`).
 */
const CATALOG_CACHE_MS = 5_000;
const cachedRows = new WeakMap<D1Database, Map<string, { product: Product | null; at: number }>>();

function cacheOf(db: D1Database): Map<string, { product: Product | null; at: number }> {
  const cache = cachedRows.get(db) ?? new Map<string, { product: Product | null; at: number }>();
  cachedRows.set(db, cache);
  return cache;
}

/** Drops this isolate's cached catalog rows (after an admin change). */
export function forgetCachedProducts(db: D1Database): void {
  cachedRows.delete(db);
}

/** The active products among `skus`, keyed by SKU (served from a few seconds' cache when possible). */
export async function findActiveProducts(
  db: D1Database,
  skus: string[],
  now = Date.now(),
): Promise<Map<string, Product>> {
  const cache = cacheOf(db);
  const missing = skus.filter((sku) => {
    const hit = cache.get(sku);
    return !hit || now - hit.at > CATALOG_CACHE_MS;
  });
  if (missing.length > 0) {
    const placeholders = missing.map((_, i) => `?${i + 1}`).join(', ');
    const { results } = await db
      .prepare(`SELECT * FROM products WHERE active = 1 AND sku IN (${placeholders})`)
      .bind(...missing)
      .all<Row>();
    const found = new Map(results.map((row) => [row.sku, toProduct(row)]));
    for (const sku of missing) cache.set(sku, { product: found.get(sku) ?? null, at: now });
  }
  const products = new Map<string, Product>();
  for (const sku of skus) {
    const product = cache.get(sku)?.product;
    if (product) products.set(sku, product);
  }
  return products;
}

export async function upsertProduct(
  db: D1Database,
  product: { sku: string; name: string; amount: number; currency: string; active: boolean },
  now: number,
): Promise<{ created: boolean; product: Product }> {
  forgetCachedProducts(db);
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
  forgetCachedProducts(db);
  const result = await db
    .prepare('UPDATE products SET active = 0, updated_at = ?2 WHERE sku = ?1')
    .bind(sku, now)
    .run();
  return result.meta.changes === 1;
}
