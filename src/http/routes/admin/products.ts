/** Admin: the catalog (src/payments/catalog.ts). Deleting deactivates, so past payments keep naming the product. */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { listCatalog, retireProduct, saveProduct } from '../../../payments/catalog.ts';
import { Product, ProductBody, SKU_PATTERN } from '../../../payments/model/product.ts';
import { readJson } from '../../body.ts';
import type { AppContext, AppEnv } from '../../context.ts';
import { problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

function sku(value: string | undefined): string {
  if (!value || !SKU_PATTERN.test(value))
    throw problems.validation([{ path: 'sku', message: 'letters, digits, . _ -; up to 64' }]);
  return value;
}

async function listProductsRoute(c: AppContext) {
  return c.json({ products: await listCatalog(c.var.deps) });
}

async function upsertProductRoute(c: AppContext) {
  const id = sku(c.req.param('sku'));
  const body = await readJson(c.req.raw, ProductBody);
  const { created, product } = await saveProduct(c.var.deps, id, body);
  return c.json(product, created ? 201 : 200);
}

async function deactivateProductRoute(c: AppContext) {
  if (!(await retireProduct(c.var.deps, sku(c.req.param('sku'))))) throw problems.notFound('Product');
  return c.body(null, 204);
}

export const adminProducts = new Hono<AppEnv>()
  .get('/', listProductsRoute)
  .put('/:sku', upsertProductRoute)
  .delete('/:sku', deactivateProductRoute);

const Sku = z.object({ sku: z.string() });
const adminErrors = { 401: { description: 'Missing or wrong admin token' } };

export const adminProductSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/products',
    tag: 'Admin',
    admin: true,
    summary: 'Every product, active or not',
    responses: {
      200: { description: '`{products}`', schema: z.object({ products: z.array(Product) }) },
      ...adminErrors,
    },
  },
  {
    method: 'put',
    path: '/api/admin/products/{sku}',
    tag: 'Admin',
    admin: true,
    summary: 'Create or update a product',
    params: Sku,
    body: { schema: ProductBody },
    responses: {
      200: { description: 'Updated', schema: Product },
      201: { description: 'Created', schema: Product },
      400: { description: 'Invalid product' },
      ...adminErrors,
    },
  },
  {
    method: 'delete',
    path: '/api/admin/products/{sku}',
    tag: 'Admin',
    admin: true,
    summary: 'Deactivate a product',
    params: Sku,
    responses: { 204: { description: 'Deactivated' }, 404: { description: 'Unknown SKU' }, ...adminErrors },
  },
];
