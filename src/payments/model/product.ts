/**
 * A product of the catalog as the merchant writes it: the typed definition
 * the admin API and the MCP tools both validate with. No transforms, so its
 * JSON Schema can be generated.
 */
import * as z from 'zod/mini';

/** What a SKU may look like: it appears in URLs and in the checkout's `items`. */
export const SKU_PATTERN = /^[A-Za-z0-9][\w.-]{0,63}$/;

export const Sku = z.string().check(z.regex(SKU_PATTERN, 'letters, digits, . _ -; up to 64'));

/** Everything of a product but its SKU (which the admin API takes from the path). */
export const ProductBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  amount: z.int().check(z.positive(), z.lte(1_000_000_000_000)),
  currency: z._default(z.enum(['GNF', 'SLE', 'USD']), 'GNF'),
  active: z._default(z.boolean(), true),
});
export type ProductBody = z.infer<typeof ProductBody>;

/** A product as the ledger answers it (for the documents generated at build time). */
export const Product = z.object({
  sku: z.string(),
  name: z.string(),
  amount: z.int(),
  currency: z.string(),
  active: z.boolean(),
  updatedAt: z.string(),
});
