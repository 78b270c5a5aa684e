import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/env.ts';
import { priceOrder } from '../../src/payments/pricing.ts';
import { upsertProduct } from '../../src/store/products.ts';

const base = loadConfig(env).config;
const withOpenAmounts: Config = { ...base, openAmount: { min: 1000, max: 50_000 } };

beforeAll(async () => {
  const now = Date.now();
  await upsertProduct(
    env.DB,
    { sku: 'bread', name: 'Pain', amount: 2500, currency: 'GNF', active: true },
    now,
  );
  await upsertProduct(
    env.DB,
    { sku: 'old', name: 'Ancien', amount: 100, currency: 'GNF', active: false },
    now,
  );
  await upsertProduct(
    env.DB,
    { sku: 'dollar-hat', name: 'Hat', amount: 20, currency: 'USD', active: true },
    now,
  );
});

describe('server-side pricing', () => {
  it('multiplies catalog prices by quantities', async () => {
    expect(
      await priceOrder(env.DB, base, { items: [{ sku: 'bread', quantity: 4 }], countryCode: 'GN' }),
    ).toEqual({
      ok: true,
      amount: 10_000,
      currency: 'GNF',
      lines: [{ sku: 'bread', name: 'Pain', quantity: 4, unitAmount: 2500 }],
    });
  });

  it('refuses inactive products and products priced in another currency than the country’s', async () => {
    const inactive = await priceOrder(env.DB, base, {
      items: [{ sku: 'old', quantity: 1 }],
      countryCode: 'GN',
    });
    expect(inactive).toEqual({ ok: false, errors: [{ path: 'items.0.sku', message: 'unknown product' }] });
    const dollars = await priceOrder(env.DB, base, {
      items: [{ sku: 'dollar-hat', quantity: 1 }],
      countryCode: 'GN',
    });
    expect(dollars.ok).toBe(false);
    const liberia = await priceOrder(env.DB, base, {
      items: [{ sku: 'dollar-hat', quantity: 2 }],
      countryCode: 'LR',
    });
    expect(liberia).toMatchObject({ ok: true, amount: 40, currency: 'USD' });
  });

  it('accepts an open amount only when both bounds are set, and only inside them', async () => {
    expect((await priceOrder(env.DB, base, { amount: 5000, countryCode: 'GN' })).ok).toBe(false);
    expect(await priceOrder(env.DB, withOpenAmounts, { amount: 5000, countryCode: 'GN' })).toEqual({
      ok: true,
      amount: 5000,
      currency: 'GNF',
      lines: null,
    });
    for (const amount of [999, 50_001]) {
      expect(await priceOrder(env.DB, withOpenAmounts, { amount, countryCode: 'GN' })).toEqual({
        ok: false,
        errors: [{ path: 'amount', message: 'must be between 1000 and 50000' }],
      });
    }
  });
});
