/** Admin: the catalog. Deleting deactivates, so past payments keep naming the product. */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { deactivateProduct, listProducts, upsertProduct } from '../../../store/products.ts';
import { readJson } from '../../body.ts';
import type { AppContext, AppEnv } from '../../context.ts';
import { problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

const SKU = /^[A-Za-z0-9][\w.-]{0,63}$/;

export const ProductBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  amount: z.int().check(z.positive(), z.lte(1_000_000_000_000)),
  currency: z._default(z.enum(['GNF', 'SLE', 'USD']), 'GNF'),
  active: z._default(z.boolean(), true),
});

export const Product = z.object({
  sku: z.string(),
  name: z.string(),
  amount: z.int(),
  currency: z.string(),
  active: z.boolean(),
  updatedAt: z.string(),
});

function sku(value: string | undefined): string {
  if (!value || !SKU.test(value))
    throw problems.validation([{ path: 'sku', message: 'letters, digits, . _ -; up to 64' }]);
  return value;
}

async function listProductsRoute(c: AppContext) {
  return c.json({ products: await listProducts(c.var.deps.db, { activeOnly: false }) });
}

async function upsertProductRoute(c: AppContext) {
  const id = sku(c.req.param('sku'));
  const body = await readJson(c.req.raw, ProductBody);
  const { created, product } = await upsertProduct(c.var.deps.db, { sku: id, ...body }, c.var.deps.now());
  return c.json(product, created ? 201 : 200);
}

async function deactivateProductRoute(c: AppContext) {
  if (!(await deactivateProduct(c.var.deps.db, sku(c.req.param('sku')), c.var.deps.now())))
    throw problems.notFound('Product');
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
