/**
 * The merchant's catalog, for the admin API and the MCP tools alike: every
 * product, and writing one. Removing deactivates (past payments keep naming
 * the product); checkouts only ever price from active products.
 */
import { deactivateProduct, listProducts, type Product, upsertProduct } from '../store/products.ts';
import type { PaymentDeps } from './deps.ts';
import type { ProductBody } from './model/product.ts';

export type { Product };

/**
 * Every product, active or not, by SKU.
 *
 * @example const products = await listCatalog(deps)
 */
export function listCatalog(deps: PaymentDeps): Promise<Product[]> {
  return listProducts(deps.db, { activeOnly: false });
}

/**
 * Creates the product or replaces its name, price, currency and state; the
 * isolate's cached prices are dropped, so checkouts here see the change at once.
 *
 * @example const { created, product } = await saveProduct(deps, 'cap', { name: 'Casquette', amount: 30000, currency: 'GNF', active: true })
 */
export function saveProduct(
  deps: PaymentDeps,
  sku: string,
  body: ProductBody,
): Promise<{ created: boolean; product: Product }> {
  return upsertProduct(deps.db, { sku, ...body }, deps.now());
}

/**
 * Deactivates a product; false when the SKU is unknown.
 *
 * @example if (!(await retireProduct(deps, 'cap'))) throw problems.notFound('Product')
 */
export function retireProduct(deps: PaymentDeps, sku: string): Promise<boolean> {
  return deactivateProduct(deps.db, sku, deps.now());
}
