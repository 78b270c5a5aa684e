/**
 * The MCP tools, each a thin adapter over the use case the admin API calls
 * for the same thing: its arguments validated with the admin API's own zod
 * schema, its outcome turned into structured content or a tool error a model
 * can act on. Phones are masked whatever the token (what a tool answers goes
 * to the assistant's vendor). What each tool tells a model (description,
 * annotations, JSON Schemas) is written in src/mcp/spec.ts and generated at
 * build time; nothing here can move money.
 */
import * as z from 'zod/mini';
import { issuesToErrors } from '../http/body.ts';
import type { AppContext } from '../http/context.ts';
import { isAllowedOrigin } from '../http/origins.ts';
import { listCatalog, saveProduct } from '../payments/catalog.ts';
import { ledgerSummary, listPaymentPage, paymentDetail } from '../payments/ledger.ts';
import {
  CreateLinkBody,
  createPaymentLink,
  linkCommand,
  linkView,
  readPaymentLink,
} from '../payments/links.ts';
import { PAYMENT_ID_PATTERN } from '../payments/model/payment.ts';
import { PageRequest, PaymentFilter, SummaryRequest } from '../payments/model/payment-filter.ts';
import { ProductBody, Sku } from '../payments/model/product.ts';
import { NotAtDjomyError, verifyPayment } from '../payments/verify-payment.ts';
import { paymentRecord } from '../payments/views.ts';
import { getPayment } from '../store/payments.ts';
import { qrPng } from './qr-png.ts';

/** What a tool gives back: structured content (and an image), or what went wrong, for the model. */
export type ToolOutcome = { content: Record<string, unknown>; png?: Uint8Array } | { error: string };

interface Definition<T> {
  input: z.ZodMiniType<T>;
  /** Needs the admin token: the cashier's only reads and verifies. */
  write?: boolean;
  run(c: AppContext, args: T): Promise<ToolOutcome>;
}

export interface Tool {
  input: z.ZodMiniType;
  write: boolean;
  /** Validates `args` with the tool's schema (a failure names the fields), then runs it. */
  call(c: AppContext, args: unknown): Promise<ToolOutcome>;
}

function tool<T>({ input, write = false, run }: Definition<T>): Tool {
  return {
    input,
    write,
    async call(c, args) {
      const parsed = input.safeParse(args);
      if (parsed.success) return run(c, parsed.data);
      const errors = issuesToErrors(parsed.error.issues).map((e) => `${e.path}: ${e.message}`);
      return fail(`Invalid arguments: ${errors.join('; ')}.`);
    },
  };
}

const fail = (error: string) => ({ error });

const PaymentId = z.strictObject({
  id: z.string().check(z.regex(PAYMENT_ID_PATTERN, 'not a payment id (pay_…)')),
});

/** Every phone masked, as for the cashier: this view is the one an assistant sees. */
const MASKED = 'viewer';

export const ListPaymentsInput = z.extend(PaymentFilter, PageRequest.shape);
export const UpsertProductInput = z.extend(ProductBody, { sku: Sku });
export const LinkReference = z.strictObject({
  reference: z.string().check(z.minLength(1), z.maxLength(200)),
});
export const NoArguments = z.strictObject({});

export const TOOLS = {
  list_payments: tool({
    input: ListPaymentsInput,
    async run(c, { limit, cursor, ...filter }) {
      const page = await listPaymentPage(c.var.deps, filter, { limit, cursor });
      if (page.kind === 'bad_cursor') return fail('cursor: not a nextCursor');
      return { content: { payments: page.payments, nextCursor: page.nextCursor } };
    },
  }),

  get_payment: tool({
    input: PaymentId,
    async run(c, { id }) {
      const payment = await getPayment(c.var.deps.db, id);
      if (!payment) return fail(`No payment ${id}.`);
      return { content: await paymentDetail(c.var.deps, payment, MASKED) };
    },
  }),

  payments_summary: tool({
    input: SummaryRequest,
    async run(c, { days }) {
      return { content: await ledgerSummary(c.var.deps, days) };
    },
  }),

  verify_payment: tool({
    input: PaymentId,
    async run(c, { id }) {
      const payment = await getPayment(c.var.deps.db, id);
      if (!payment) return fail(`No payment ${id}.`);
      try {
        const { changed, payment: after } = await verifyPayment(c.var.deps, payment, 'admin');
        return { content: { changed, payment: paymentRecord(after, MASKED) } };
      } catch (error) {
        if (error instanceof NotAtDjomyError)
          return fail('This payment never reached Djomy: nothing to ask.');
        throw error;
      }
    },
  }),

  list_products: tool({
    input: NoArguments,
    async run(c) {
      return { content: { products: await listCatalog(c.var.deps) } };
    },
  }),

  upsert_product: tool({
    input: UpsertProductInput,
    write: true,
    async run(c, { sku, ...body }) {
      return { content: await saveProduct(c.var.deps, sku, body) };
    },
  }),

  create_payment_link: tool({
    input: CreateLinkBody,
    write: true,
    async run(c, body) {
      const { deps } = c.var;
      const prepared = linkCommand(body, {
        defaultCountry: deps.config.defaultCountry,
        allowedUrl: (url) => isAllowedOrigin(c, url),
      });
      if (!prepared.ok) return fail(prepared.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      const outcome = await createPaymentLink(deps, prepared.command);
      if (outcome.kind === 'refused') return fail(`Djomy refused the link: ${outcome.message}`);
      if (outcome.kind === 'bad_answer') return fail('Djomy answered without a usable page URL.');
      if (outcome.kind === 'failed') throw outcome.error;
      return { content: linkView(outcome.link), png: await qrPng(outcome.link.pageUrl) };
    },
  }),

  get_payment_link: tool({
    input: LinkReference,
    async run(c, { reference }) {
      const link = await readPaymentLink(c.var.deps, reference);
      return link ? { content: linkView(link) } : fail(`Djomy knows no link ${reference}.`);
    },
  }),
} satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;
