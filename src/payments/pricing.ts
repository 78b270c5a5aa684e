/**
 * Server-side pricing: the browser names products and quantities, the
 * catalog in D1 says what they cost. An open amount (donations) is accepted
 * only when the operator set both bounds (`OPEN_AMOUNT_MIN`/`OPEN_AMOUNT_MAX`).
 */
import { CURRENCY_BY_COUNTRY } from '../djomy/currency.ts';
import type { Country } from '../djomy/phone.ts';
import type { Config } from '../env.ts';
import type { FieldError } from '../lib/field-error.ts';
import { findActiveProducts } from '../store/products.ts';
import type { OrderLine } from './model/payment.ts';

export type PricedOrder =
  | { ok: true; amount: number; currency: string; lines: OrderLine[] | null }
  | { ok: false; errors: FieldError[] };

/** Far above any real order (850 000 GNF is a large one), far below float trouble. */
const MAX_ORDER_AMOUNT = 1_000_000_000_000;

/**
 * @example await priceOrder(db, config, { items: [{ sku: 'tshirt', quantity: 2 }], countryCode: 'GN' })
 */
export async function priceOrder(
  db: D1Database,
  config: Config,
  order: { items?: { sku: string; quantity: number }[]; amount?: number; countryCode: Country },
): Promise<PricedOrder> {
  const currency = CURRENCY_BY_COUNTRY[order.countryCode];
  if (!order.items) {
    const bounds = config.openAmount;
    if (!bounds)
      return { ok: false, errors: [{ path: 'amount', message: 'open amounts are not enabled; send items' }] };
    const amount = order.amount ?? 0;
    if (amount < bounds.min || amount > bounds.max) {
      return {
        ok: false,
        errors: [{ path: 'amount', message: `must be between ${bounds.min} and ${bounds.max}` }],
      };
    }
    return { ok: true, amount, currency, lines: null };
  }
  const products = await findActiveProducts(
    db,
    order.items.map((item) => item.sku),
  );
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const lines: OrderLine[] = [];
  order.items.forEach((item, i) => {
    const product = products.get(item.sku);
    if (seen.has(item.sku)) errors.push({ path: `items.${i}.sku`, message: 'each product may appear once' });
    else if (!product) errors.push({ path: `items.${i}.sku`, message: 'unknown product' });
    else if (product.currency !== currency) {
      errors.push({
        path: `items.${i}.sku`,
        message: `priced in ${product.currency}; payments in ${order.countryCode} are in ${currency}`,
      });
    } else
      lines.push({ sku: item.sku, name: product.name, quantity: item.quantity, unitAmount: product.amount });
    seen.add(item.sku);
  });
  if (errors.length > 0) return { ok: false, errors };
  const amount = lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  if (amount > MAX_ORDER_AMOUNT)
    return { ok: false, errors: [{ path: 'items', message: 'order total too large' }] };
  return { ok: true, amount, currency, lines };
}
