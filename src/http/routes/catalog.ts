/** `GET /api/catalog`: the active products, priced in D1 (SPEC §3). */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { listProducts } from '../../store/products.ts';
import type { AppEnv } from '../context.ts';
import type { RouteSpec } from '../spec.ts';

export const CatalogItem = z.object({
  sku: z.string(),
  name: z.string(),
  amount: z.int(),
  currency: z.string(),
});

export const catalog = new Hono<AppEnv>().get('/api/catalog', async (c) => {
  const products = await listProducts(c.var.deps.db, { activeOnly: true });
  c.header('Cache-Control', 'public, max-age=30');
  return c.json(products.map(({ sku, name, amount, currency }) => ({ sku, name, amount, currency })));
});

export const catalogSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/catalog',
    tag: 'Checkout',
    summary: 'Active products with their prices',
    responses: { 200: { description: 'The catalog', schema: z.array(CatalogItem) } },
  },
];
