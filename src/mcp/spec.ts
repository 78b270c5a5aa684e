/**
 * What the MCP endpoint tells a model about itself: the instructions, and
 * for each tool its description, its annotations, a few words on the fields
 * a model most often gets wrong, and the zod schema of its structured
 * content; and how `/openapi.json` describes the endpoint. Read at build time only (`npm run openapi` writes
 * public/mcp-tools.json, a static asset the Worker reads): the Worker ships neither
 * this file nor a JSON Schema generator.
 */
import * as z from 'zod/mini';
import { PAYMENT_STATUSES } from '../djomy/schemas.ts';
import type { RouteSpec } from '../http/spec.ts';
import { Product } from '../payments/model/product.ts';
import type { ToolName } from './tools.ts';

export const INSTRUCTIONS =
  "A merchant's Djomy payments (mobile money, cards; Guinea). The tools read the ledger, verify a payment with Djomy, and write products and payment links. No tool moves money: none pays, charges or refunds. Amounts are integers in the currency's unit; days are UTC (Guinea's time). Payer phones are masked. The cashier's token may only read and verify.";

export interface ToolSpec {
  title: string;
  description: string;
  annotations: {
    readOnlyHint: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    /** Djomy is asked: the outside world, which may answer differently or not at all. */
    openWorldHint: boolean;
  };
  /** Descriptions added to the input schema's properties. */
  fields?: Record<string, string>;
  output: z.ZodMiniObject;
}

/*
 * The structured content's schemas name the fields a model reasons with and
 * leave the objects open: every answer carries more (the text block has it
 * all), and each byte here is a byte of the Worker's bundle.
 */
const text = z.string();
const maybe = <T extends z.ZodMiniType>(schema: T) => z.nullable(schema);
const described = <T extends z.ZodMiniType>(schema: T, description: string) =>
  schema.check(z.describe(description)) as T;

const Payment = z.looseObject({
  id: text,
  status: z.enum(PAYMENT_STATUSES),
  paid: described(z.boolean(), 'The only proof of payment'),
  amount: z.int(),
  currency: text,
  reference: maybe(text),
  payer: described(maybe(text), 'Masked phone'),
  flag: described(maybe(text), 'Set: needs a human'),
  createdAt: text,
});

const Link = z.looseObject({
  reference: text,
  paymentPageUrl: described(text, 'What the QR code opens'),
  status: text,
  usageType: z.enum(['UNIQUE', 'MULTIPLE']),
  amount: maybe(z.number()),
  payments: z.array(z.looseObject({})),
});

const Amounts = { currency: text, paidCount: z.int(), paidAmount: z.number() };

/** Every tool, the same keys as TOOLS (src/mcp/tools.ts): a tool without its spec does not compile. */
export const TOOL_SPECS: Record<ToolName, ToolSpec> = {
  list_payments: {
    title: 'List payments',
    description:
      'Payments, newest first, filtered as in the merchant console. q: a payment id, part of a reference, or the last 3+ digits of the payer phone. Next page: pass nextCursor as cursor. A payment is paid only if paid is true.',
    annotations: { readOnlyHint: true, openWorldHint: false },
    fields: {
      from: 'UTC day, inclusive',
      to: 'UTC day, inclusive',
      flagged: 'true: only those needing a human',
    },
    output: z.object({ payments: z.array(Payment), nextCursor: maybe(text) }),
  },
  get_payment: {
    title: 'Get a payment',
    description:
      'One payment by id: its record, its status changes and their cause (events), notifications to the merchant site, and its Djomy transactions (a flagged one needs a human).',
    annotations: { readOnlyHint: true, openWorldHint: false },
    output: z.object({
      payment: Payment,
      events: z.array(z.looseObject({ to: text, source: text, at: text })),
      notifications: z.array(z.looseObject({ type: text, state: text })),
      transactions: z.array(z.looseObject({ transactionId: text, status: text, flag: maybe(text) })),
    }),
  },
  payments_summary: {
    title: 'Revenue summary',
    description:
      'Paid payments per UTC day (the day paid) and currency over the last `days` days, totals, and what needs a human: flagged payments, duplicate charges to refund, failed jobs, payments open past expiry.',
    annotations: { readOnlyHint: true, openWorldHint: false },
    output: z.object({
      from: text,
      to: text,
      days: z.array(z.looseObject({ day: text, ...Amounts })),
      totals: z.array(z.looseObject(Amounts)),
      attention: z.looseObject({
        flagged: z.int(),
        duplicateCharges: z.int(),
        deadLetters: z.int(),
        stuckOpen: z.int(),
      }),
    }),
  },
  verify_payment: {
    title: 'Verify a payment with Djomy',
    description:
      "Asks Djomy now for a payment's status and records the answer (the console's verify button), e.g. when a payer says they paid. Charges and refunds nothing; the cashier may use it.",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    output: z.object({ changed: z.boolean(), payment: Payment }),
  },
  list_products: {
    title: 'List products',
    description: 'The catalog checkouts price from, inactive products included.',
    annotations: { readOnlyHint: true, openWorldHint: false },
    output: z.object({ products: z.array(Product) }),
  },
  upsert_product: {
    title: 'Create or change a product',
    description:
      'Creates a product, or replaces its name, price, currency (default GNF) and active (default true). Admin only.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    output: z.object({ created: z.boolean(), product: Product }),
  },
  create_payment_link: {
    title: 'Create a payment link',
    description:
      'Creates a Djomy page payers pay on by mobile money or card: MULTIPLE for many payers (a QR code at a shop counter), UNIQUE for one bill. Without amount the payer types it. phone with sendSms: Djomy texts the link. Returns the link and its QR code as a PNG. Admin only.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    fields: {
      usageLimit: 'MULTIPLE only; default unlimited',
      returnUrl: 'Its site must be in ALLOWED_ORIGINS',
    },
    output: Link,
  },
  get_payment_link: {
    title: 'Get a payment link',
    description: 'A payment link as Djomy sees it now: status, uses, payments.',
    annotations: { readOnlyHint: true, openWorldHint: true },
    output: Link,
  },
};

/** `/mcp` in `/openapi.json` (the `.all` route that answers 405 is not an operation). */ export const mcpSpecs =
  (): RouteSpec[] => [
    {
      method: 'post',
      path: '/mcp',
      tag: 'MCP',
      admin: true,
      summary: 'Model Context Protocol (Streamable HTTP, stateless, JSON answers) for AI assistants',
      description:
        'One JSON-RPC message per POST: `initialize`, `ping`, `tools/list`, `tools/call`; a notification or a response answers 202. The tools read the ledger, verify a payment, and write products and payment links; none moves money. `Authorization: Bearer <ADMIN_TOKEN>`, or `<VIEWER_TOKEN>` for the reading tools and `verify_payment`. GET and DELETE answer 405. See docs/mcp.md.',
      body: {
        schema: z.looseObject({
          jsonrpc: z.literal('2.0'),
          id: z.optional(z.union([z.string(), z.int()])),
          method: z.string(),
          params: z.optional(z.record(z.string(), z.unknown())),
        }),
      },
      responses: {
        200: { description: 'The JSON-RPC answer (errors included)' },
        202: { description: 'A notification or a response, accepted' },
        400: {
          description: 'Unreadable JSON-RPC (its error as JSON-RPC), or an unknown MCP-Protocol-Version',
        },
        401: { description: 'No valid token' },
        403: { description: 'Host or Origin of another site (DNS rebinding)' },
        406: { description: 'Accept excludes application/json' },
        413: { description: 'Over 64 KiB' },
        415: { description: 'Not application/json' },
        429: { description: 'Too many admin requests from this IP' },
      },
    },
  ];
