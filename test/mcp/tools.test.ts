/**
 * The MCP tools, called as an assistant would (`tools/call` through the
 * Worker's real fetch, the Djomy simulator behind it): each one's answer on
 * the happy path and on its error paths, what the cashier's token may do,
 * that phones are masked whatever the token, and the link's QR code as a
 * PNG that decodes back to the link's page.
 */
import { type Schema, Validator } from '@cfworker/json-schema';
import jsQR from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import generated from '../../public/mcp-tools.json' with { type: 'json' };
import { callTool, rpc, textOf } from '../support/mcp.ts';
import { decodePng } from '../support/png.ts';
import { sim } from '../support/sim.ts';
import {
  admin,
  CATALOG,
  call,
  freshStart,
  gatewayOrder,
  json,
  SHOP,
  transactionOf,
} from '../support/worker.ts';

const PHONE = '00224622123456';
const MASKED = '00224******456';

/** Every structured answer must match its tool's outputSchema, and the text block must be the same JSON. */
function checkAnswer(name: string, result: { structuredContent: unknown; content: { text?: string }[] }) {
  const tool = generated.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const verdict = new Validator(tool.outputSchema as unknown as Schema, '2020-12', false).validate(
    result.structuredContent,
  );
  expect(verdict.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
  expect(JSON.parse(textOf(result as never))).toEqual(result.structuredContent);
}

/** Calls the tool, expects success, checks the answer against its schema; the structured content. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the structured content field by field with expect.
async function succeed(name: string, args: unknown = {}, token: 'admin' | 'viewer' = 'admin'): Promise<any> {
  const result = await callTool(name, args, { token });
  expect(result.isError ?? false, textOf(result)).toBe(false);
  checkAnswer(name, result);
  return result.structuredContent;
}

/** Calls the tool, expects a tool error (not a JSON-RPC error, not a 5xx); its text. */
async function failWith(
  name: string,
  args: unknown = {},
  token: 'admin' | 'viewer' = 'admin',
): Promise<string> {
  const result = await callTool(name, args, { token });
  expect(result.isError).toBe(true);
  expect(result).not.toHaveProperty('structuredContent');
  expect(result.content).toEqual([{ type: 'text', text: expect.any(String) }]);
  return textOf(result);
}

/** A gateway payment paid at the simulator and verified: the ledger holds it as paid. */
async function paidPayment(reference: string): Promise<string> {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder({ reference }) }));
  await sim.complete(await transactionOf(id), 'SUCCESS');
  expect((await json(admin(`/api/admin/payments/${id}/verify`, { method: 'POST' }))).payment.paid).toBe(true);
  return id;
}

beforeAll(() => freshStart());

describe('tools/list', () => {
  it('describes every tool for a model: a description, annotations, and object input and output schemas', async () => {
    const { result } = await rpc('tools/list');
    for (const tool of result.tools) {
      expect(tool.description.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema.type, tool.name).toBe('object');
      expect(typeof tool.annotations.readOnlyHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations.openWorldHint, tool.name).toBe('boolean');
    }
  });

  it('marks as read-only exactly the tools that change nothing, and as open-world those that ask Djomy', async () => {
    const { result } = await rpc('tools/list');
    const names = (predicate: (tool: { annotations: Record<string, boolean> }) => boolean) =>
      result.tools
        .filter(predicate)
        .map((tool: { name: string }) => tool.name)
        .sort();
    expect(names((t) => !t.annotations.readOnlyHint)).toEqual([
      'create_payment_link',
      'upsert_product',
      'verify_payment',
    ]);
    expect(names((t) => t.annotations.openWorldHint === true)).toEqual([
      'create_payment_link',
      'get_payment_link',
      'verify_payment',
    ]);
  });
});

describe('list_payments', () => {
  let first = '';
  let second = '';

  beforeAll(async () => {
    first = await paidPayment('mcp-list-1');
    second = (
      await json(call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'mcp-list-2' }) }))
    ).id;
  });

  it('lists payments newest first, phones masked, for either token', async () => {
    for (const token of ['admin', 'viewer'] as const) {
      const { payments, nextCursor } = await succeed('list_payments', { q: 'mcp-list' }, token);
      expect(payments.map((p: { id: string }) => p.id)).toEqual([second, first]);
      expect(payments[0].payer).toBe(MASKED);
      expect(nextCursor).toBeNull();
    }
  });

  it("takes the console's filters", async () => {
    const paid = await succeed('list_payments', { q: 'mcp-list', status: 'SUCCESS', flow: 'gateway' });
    expect(paid.payments.map((p: { id: string }) => p.id)).toEqual([first]);
    expect(paid.payments[0]).toMatchObject({
      paid: true,
      amount: 60_000,
      currency: 'GNF',
      reference: 'mcp-list-1',
    });
    const today = new Date().toISOString().slice(0, 10);
    expect((await succeed('list_payments', { q: 'mcp-list', from: today, to: today })).payments).toHaveLength(
      2,
    );
    expect((await succeed('list_payments', { q: 'mcp-list', to: '2020-01-01' })).payments).toEqual([]);
    expect((await succeed('list_payments', { q: '456', limit: 100 })).payments.length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('pages with limit and nextCursor', async () => {
    const page1 = await succeed('list_payments', { q: 'mcp-list', limit: 1 });
    expect(page1.payments.map((p: { id: string }) => p.id)).toEqual([second]);
    const page2 = await succeed('list_payments', { q: 'mcp-list', limit: 1, cursor: page1.nextCursor });
    expect(page2.payments.map((p: { id: string }) => p.id)).toEqual([first]);
  });

  it('refuses arguments its schema refuses, naming each field, as a tool error', async () => {
    const text = await failWith('list_payments', { limit: 500, status: 'PAID', since: 'yesterday' });
    expect(text).toMatch(/^Invalid arguments/);
    expect(text).toContain('limit: at most 100');
    expect(text).toContain('status: expected one of');
    expect(text).toContain('since');
    expect(await failWith('list_payments', { from: '2025-02-30' })).toContain(
      'from: not a day of the calendar',
    );
  });

  it('refuses a cursor it did not give', async () => {
    expect(await failWith('list_payments', { cursor: 'not-a-cursor' })).toContain('cursor');
  });
});

describe('get_payment', () => {
  let id = '';
  beforeAll(async () => {
    id = await paidPayment('mcp-get');
  });

  it('gives the record with its events and Djomy transactions, the phone masked even for the admin token', async () => {
    const detail = await succeed('get_payment', { id });
    expect(detail.payment).toMatchObject({ id, status: 'SUCCESS', paid: true, payer: MASKED });
    expect(detail.events.map((e: { to: string }) => e.to)).toContain('SUCCESS');
    expect(detail.transactions).toEqual([
      expect.objectContaining({ transactionId: await transactionOf(id), status: 'SUCCESS', current: true }),
    ]);
    expect(JSON.stringify(detail)).not.toContain(PHONE);
    // The admin API, same use case, shows the admin the phone whole.
    expect((await json(admin(`/api/admin/payments/${id}`))).payment.payer).toBe(PHONE);
  });

  it('an unknown payment is a tool error', async () => {
    const unknown = `pay_${'a'.repeat(32)}`;
    expect(await failWith('get_payment', { id: unknown })).toBe(`No payment ${unknown}.`);
  });

  it('an id that is not a payment id is refused by the schema', async () => {
    expect(await failWith('get_payment', { id: 'order-1' })).toContain('id: not a payment id');
    expect(await failWith('get_payment', {})).toContain('id: required');
  });
});

describe('payments_summary', () => {
  it('counts paid payments per day and currency, with totals and what needs a human', async () => {
    await paidPayment('mcp-summary');
    const summary = await succeed('payments_summary', { days: 7 });
    const today = new Date().toISOString().slice(0, 10);
    expect(summary.to).toBe(today);
    expect(summary.days).toContainEqual(expect.objectContaining({ day: today, currency: 'GNF' }));
    expect(summary.totals[0].paidCount).toBeGreaterThanOrEqual(1);
    expect(summary.attention).toEqual({
      flagged: expect.any(Number),
      duplicateCharges: expect.any(Number),
      deadLetters: expect.any(Number),
      stuckOpen: expect.any(Number),
    });
    expect(await succeed('payments_summary', {})).toMatchObject({ to: today });
  });

  it('takes 1 to 90 days', async () => {
    expect(await failWith('payments_summary', { days: 0 })).toContain('days: at least 1');
    expect(await failWith('payments_summary', { days: 91 })).toContain('days: at most 90');
    expect(await failWith('payments_summary', { days: '7' })).toContain('days: expected');
  });
});

describe('verify_payment', () => {
  it('asks Djomy and records its answer; the cashier may, and sees the phone masked', async () => {
    const { id } = await json(
      call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'mcp-verify' }) }),
    );
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const answer = await succeed('verify_payment', { id }, 'viewer');
    expect(answer).toMatchObject({
      changed: true,
      payment: { id, status: 'SUCCESS', paid: true, payer: MASKED },
    });
    expect((await succeed('verify_payment', { id })).changed).toBe(false);
  });

  it('a payment Djomy never created is a tool error, and Djomy is not asked', async () => {
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: 'successFalse', rate: 1 }] });
    const refused = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
    await sim.clearFaults();
    const { paymentId } = await json(refused);
    await sim.resetCounters();
    expect(await failWith('verify_payment', { id: paymentId })).toContain('never reached Djomy');
    expect((await sim.counters()).status).toBe(0);
  });

  it('Djomy unavailable is a tool error saying to retry, never a 5xx', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.faults({ rules: [{ endpoint: 'status', kind: '503', rate: 1 }] });
    try {
      expect(await failWith('verify_payment', { id })).toMatch(/Djomy did not answer\. Try again/);
    } finally {
      await sim.clearFaults();
    }
  });

  it('an unknown payment is a tool error', async () => {
    expect(await failWith('verify_payment', { id: `pay_${'b'.repeat(32)}` })).toMatch(/^No payment/);
  });
});

describe('products', () => {
  it('list_products gives the whole catalog', async () => {
    const { products } = await succeed('list_products', {}, 'viewer');
    expect(products.map((p: { sku: string }) => p.sku)).toEqual(
      expect.arrayContaining(CATALOG.map((p) => p.sku)),
    );
    expect(products[0]).toEqual({
      sku: expect.any(String),
      name: expect.any(String),
      amount: expect.any(Number),
      currency: 'GNF',
      active: true,
      updatedAt: expect.any(String),
    });
    expect(await failWith('list_products', { all: true })).toContain('all');
  });

  it('upsert_product creates, then replaces, through the same use case as the admin API', async () => {
    const created = await succeed('upsert_product', { sku: 'mcp-soap', name: 'Savon', amount: 5000 });
    expect(created).toMatchObject({
      created: true,
      product: { sku: 'mcp-soap', amount: 5000, currency: 'GNF', active: true },
    });
    const changed = await succeed('upsert_product', {
      sku: 'mcp-soap',
      name: 'Savon noir',
      amount: 6000,
      active: false,
    });
    expect(changed).toMatchObject({
      created: false,
      product: { name: 'Savon noir', amount: 6000, active: false },
    });
    const { products } = await json(admin('/api/admin/products'));
    expect(products).toContainEqual(
      expect.objectContaining({ sku: 'mcp-soap', amount: 6000, active: false }),
    );
  });

  it('refuses what the admin API refuses, naming the fields', async () => {
    const text = await failWith('upsert_product', { sku: 'bad sku!', name: '', amount: -5, currency: 'EUR' });
    for (const field of ['sku', 'name', 'amount', 'currency']) expect(text).toContain(`${field}:`);
  });

  it("the cashier's token cannot change the catalog: a tool error, and nothing changes", async () => {
    const before = await json(admin('/api/admin/products'));
    const text = await failWith('upsert_product', { sku: 'cap', name: 'Gratuit', amount: 1 }, 'viewer');
    expect(text).toContain("cashier's token only reads and verifies");
    expect(text).toContain('ADMIN_TOKEN');
    expect(await json(admin('/api/admin/products'))).toEqual(before);
  });
});

describe('payment links', () => {
  it('create_payment_link answers the link and its QR code as a PNG that decodes to the page URL', async () => {
    const result = await callTool('create_payment_link', {
      usageType: 'MULTIPLE',
      linkName: 'Comptoir',
      amount: 5000,
    });
    expect(result.isError ?? false, textOf(result)).toBe(false);
    checkAnswer('create_payment_link', result);
    const link = result.structuredContent;
    expect(link).toMatchObject({
      usageType: 'MULTIPLE',
      usageLimit: 100_000,
      amount: 5000,
      status: 'ACTIVE',
    });
    expect(link.paymentPageUrl).toContain(link.reference);

    const image = result.content.find((block: { type: string }) => block.type === 'image');
    expect(image).toEqual({ type: 'image', mimeType: 'image/png', data: expect.any(String) });
    const bytes = Uint8Array.from(atob(image.data), (c) => c.charCodeAt(0));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = await decodePng(bytes);
    expect(png).toMatchObject({ bitDepth: 1, colorType: 0 });
    expect(png.width).toBe(png.height);
    // 6 pixels a module; a QR code is 21 + 4k modules, plus a quiet zone of 4 on each side.
    expect((png.width / 6 - 8 - 21) % 4).toBe(0);
    expect(jsQR(png.rgba, png.width, png.height)?.data).toBe(link.paymentPageUrl);
    // The quiet zone is white.
    expect([...png.rgba.subarray(0, 4 * png.width * 24)].every((v) => v === 255)).toBe(true);

    // The same link through the admin API, which saw it stored.
    const { links } = await json(admin('/api/admin/links'));
    expect(links.map((l: { reference: string }) => l.reference)).toContain(link.reference);
  });

  it('get_payment_link reads the link as Djomy sees it, with the payments made on it', async () => {
    const created = await succeed('create_payment_link', { usageType: 'UNIQUE', amount: 7000 });
    await sim.payLink(created.reference);
    const link = await succeed('get_payment_link', { reference: created.reference }, 'viewer');
    expect(link).toMatchObject({ reference: created.reference, usageType: 'UNIQUE', amount: 7000 });
    expect(link.payments).toHaveLength(1);
  });

  it('refuses what the admin API refuses, as tool errors a model can correct', async () => {
    expect(await failWith('create_payment_link', { usageType: 'UNIQUE', usageLimit: 3 })).toContain(
      'usageLimit: only for MULTIPLE links',
    );
    expect(await failWith('create_payment_link', { usageType: 'ONCE' })).toContain('usageType');
    expect(await failWith('create_payment_link', { usageType: 'UNIQUE', phone: '12345678' })).toContain(
      'phone:',
    );
    expect(
      await failWith('create_payment_link', { usageType: 'UNIQUE', returnUrl: 'https://evil.example/merci' }),
    ).toContain('returnUrl: its origin is not in ALLOWED_ORIGINS');
    expect(
      (await succeed('create_payment_link', { usageType: 'UNIQUE', returnUrl: `${SHOP}/merci` })).reference,
    ).toBeTruthy();
  });

  it("Djomy's refusal and Djomy's absence are tool errors", async () => {
    await sim.faults({ rules: [{ endpoint: 'createLink', kind: 'successFalse', rate: 1 }] });
    expect(await failWith('create_payment_link', { usageType: 'MULTIPLE' })).toMatch(
      /^Djomy refused the link/,
    );
    await sim.faults({ rules: [{ endpoint: 'createLink', kind: '503', rate: 1 }] });
    expect(await failWith('create_payment_link', { usageType: 'MULTIPLE' })).toMatch(/Djomy did not answer/);
    await sim.faults({ rules: [{ endpoint: 'getLink', kind: '503', rate: 1 }] });
    expect(await failWith('get_payment_link', { reference: 'anything' })).toMatch(/Djomy did not answer/);
    await sim.clearFaults();
  });

  it('an unknown link is a tool error', async () => {
    expect(await failWith('get_payment_link', { reference: 'no-such-link' })).toBe(
      'Djomy knows no link no-such-link.',
    );
    expect(await failWith('get_payment_link', { reference: '' })).toContain('reference:');
  });

  it("the cashier's token cannot create a link", async () => {
    const before = (await json(admin('/api/admin/links'))).links.length;
    expect(await failWith('create_payment_link', { usageType: 'MULTIPLE' }, 'viewer')).toContain(
      "cashier's token only reads and verifies",
    );
    expect((await json(admin('/api/admin/links'))).links).toHaveLength(before);
  });
});
