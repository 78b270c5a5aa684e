/**
 * public/mcp-tools.json, what MCP's `initialize` and `tools/list`
 * answer: current with the code (regenerated, it changes nothing), one entry
 * per tool the Worker runs, and JSON Schemas that judge arguments as the
 * tools' own zod schemas do.
 */
import { readFileSync } from 'node:fs';
import { type Schema, Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { buildMcpDocument } from '../../src/mcp/build.ts';
import { TOOLS } from '../../src/mcp/tools.ts';

const committed = JSON.parse(readFileSync('public/mcp-tools.json', 'utf8'));
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** For each tool, arguments its schema must accept and arguments it must refuse. */
const EXAMPLES: Record<keyof typeof TOOLS, { valid: unknown[]; invalid: unknown[] }> = {
  list_payments: {
    valid: [{}, { status: 'SUCCESS', flagged: true, limit: 100 }, { from: '2025-01-31', q: '456' }],
    invalid: [{ limit: 0 }, { limit: 101 }, { status: 'PAID' }, { from: '31/01/2025' }, { page: 2 }],
  },
  get_payment: {
    valid: [{ id: `pay_${'a'.repeat(32)}` }],
    invalid: [{}, { id: 'pay_1' }, { id: `pay_${'a'.repeat(32)}`, extra: 1 }],
  },
  payments_summary: {
    valid: [{}, { days: 1 }, { days: 90 }],
    invalid: [{ days: 0 }, { days: 91 }, { days: 1.5 }],
  },
  verify_payment: { valid: [{ id: `pay_${'c'.repeat(32)}` }], invalid: [{ id: 42 }] },
  list_products: { valid: [{}], invalid: [{ active: true }] },
  upsert_product: {
    valid: [
      { sku: 'cap', name: 'Casquette', amount: 30000 },
      { sku: 'cap', name: 'Casquette', amount: 30000, currency: 'USD', active: false },
    ],
    invalid: [
      { name: 'Casquette', amount: 30000 },
      { sku: 'cap', name: 'Casquette', amount: 0 },
      { sku: 'a b', name: 'Casquette', amount: 1 },
      { sku: 'cap', name: 'Casquette', amount: 1, currency: 'EUR' },
    ],
  },
  create_payment_link: {
    valid: [
      { usageType: 'MULTIPLE' },
      { usageType: 'UNIQUE', amount: 5000, expiresAt: '2030-01-01T00:00:00Z', allowedPaymentMethods: ['OM'] },
    ],
    invalid: [
      {},
      { usageType: 'ONCE' },
      { usageType: 'UNIQUE', amount: -1 },
      { usageType: 'UNIQUE', extra: 1 },
    ],
  },
  get_payment_link: { valid: [{ reference: 'LNK-1' }], invalid: [{}, { reference: '' }] },
};

describe('public/mcp-tools.json', () => {
  it('is current: regenerating it from the code changes nothing (run `npm run openapi`)', () => {
    expect(buildMcpDocument(version)).toEqual(committed);
  });

  it('names the server and its version, and lists exactly the tools the Worker runs', () => {
    expect(committed.serverInfo).toEqual({ name: 'djomy-edge', version });
    expect(committed.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(
      Object.keys(TOOLS).sort(),
    );
  });

  it('gives every tool a root object input and output schema, without $schema (2020-12, MCP’s default)', () => {
    for (const tool of committed.tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema.type, tool.name).toBe('object');
      expect(JSON.stringify(tool), tool.name).not.toContain('$schema');
    }
  });

  it('marks read-only exactly the tools the cashier’s token may call, verify_payment aside', () => {
    for (const tool of committed.tools) {
      const write = TOOLS[tool.name as keyof typeof TOOLS].write;
      if (tool.name === 'verify_payment') expect(write).toBe(false);
      else expect(tool.annotations.readOnlyHint, tool.name).toBe(!write);
    }
  });

  it.each(Object.entries(EXAMPLES))(
    '%s: the JSON Schema judges arguments as the zod schema does',
    (name, examples) => {
      const tool = committed.tools.find((t: { name: string }) => t.name === name);
      const validator = new Validator(tool.inputSchema as Schema, '2020-12', false);
      const zod = TOOLS[name as keyof typeof TOOLS].input;
      for (const args of examples.valid) {
        expect(validator.validate(args).valid, JSON.stringify(args)).toBe(true);
        expect(zod.safeParse(args).success, JSON.stringify(args)).toBe(true);
      }
      for (const args of examples.invalid) {
        expect(validator.validate(args).valid, JSON.stringify(args)).toBe(false);
        expect(zod.safeParse(args).success, JSON.stringify(args)).toBe(false);
      }
    },
  );
});
