/** `GET /api/catalog`: the active products, priced in D1 (prices never come from the browser). */
import * as z from 'zod/mini';
import { listProducts } from '../../store/products.ts';
import type { AppContext } from '../context.ts';
import { publicApiRouter } from '../routers.ts';
import type { RouteSpec } from '../spec.ts';

export const CatalogItem = z.object({
  sku: z.string(),
  name: z.string(),
  amount: z.int(),
  currency: z.string(),
});

async function catalogRoute(c: AppContext) {
  const products = await listProducts(c.var.deps.db, { activeOnly: true });
  c.header('Cache-Control', 'public, max-age=30');
  return c.json(products.map(({ sku, name, amount, currency }) => ({ sku, name, amount, currency })));
}

export const catalog = publicApiRouter().get('/', catalogRoute);

export const catalogSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/catalog',
    tag: 'Checkout',
    summary: 'Active products with their prices',
    responses: { 200: { description: 'The catalog', schema: z.array(CatalogItem) } },
  },
];
