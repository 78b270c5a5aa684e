/**
 * Djomy payment links (e.g. a static QR code at a shop counter): what a
 * merchant may ask for (one schema for the admin API and the MCP tools),
 * creating one, reading one as Djomy sees it now, and the page URL to encode
 * in its QR code. A MULTIPLE link always carries a `usageLimit`: without one
 * Djomy closes it after its first payment (docs/djomy.md#payment-links).
 */
import * as z from 'zod/mini';
import { DjomyError } from '../djomy/errors.ts';
import { COUNTRIES, type Country, normalizePhone } from '../djomy/phone.ts';
import {
  type CreateLinkRequest,
  type DjomyLink,
  GATEWAY_METHODS,
  type GatewayMethod,
} from '../djomy/schemas.ts';
import type { FieldError } from '../lib/field-error.ts';
import { isSafeBrowserUrl } from '../lib/urls.ts';
import { getLink, saveLink } from '../store/links.ts';
import { djomyOf, type PaymentDeps } from './deps.ts';

/** What Djomy's own Odoo plugin uses for an "unlimited" static shop QR (docs/djomy.md#payment-links). */
export const UNLIMITED_USES = 100_000;

/** A link as the merchant asks for it. No transforms, so its JSON Schema can be generated. */
export const CreateLinkBody = z
  .strictObject({
    usageType: z.enum(['UNIQUE', 'MULTIPLE']),
    usageLimit: z.optional(z.int().check(z.positive(), z.lte(UNLIMITED_USES))),
    amount: z.optional(z.int().check(z.positive(), z.lte(1_000_000_000_000))),
    countryCode: z.optional(z.enum(COUNTRIES)),
    linkName: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    description: z.optional(z.string().check(z.maxLength(255))),
    merchantReference: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    phone: z.optional(z.string().check(z.minLength(6), z.maxLength(32))),
    sendSms: z.optional(z.boolean()),
    expiresAt: z.optional(z.iso.datetime()),
    allowedPaymentMethods: z.optional(z.array(z.enum(GATEWAY_METHODS)).check(z.minLength(1), z.maxLength(5))),
    returnUrl: z.optional(z.url({ protocol: /^https?$/ })),
  })
  .check(
    z.refine((b) => !b.sendSms || b.phone !== undefined, {
      message: 'sending by SMS needs phone',
      path: ['phone'],
    }),
    z.refine((b) => b.usageType === 'MULTIPLE' || b.usageLimit === undefined, {
      message: 'only for MULTIPLE links',
      path: ['usageLimit'],
    }),
  );
export type CreateLinkBody = z.infer<typeof CreateLinkBody>;

export interface CreateLinkCommand {
  usageType: 'UNIQUE' | 'MULTIPLE';
  usageLimit?: number;
  amount?: number;
  countryCode: string;
  linkName?: string;
  description?: string;
  merchantReference?: string;
  /** Already normalised (`00224…`). */
  phoneNumber?: string;
  sendSms?: boolean;
  expiresAt?: string;
  allowedPaymentMethods?: GatewayMethod[];
  returnUrl?: string;
}

/**
 * The command a link request asks for, or what is wrong with it: a phone that
 * is not one of the country's, a return URL of a site the entry point does
 * not allow (`allowedUrl` is its rule, src/http/origins.ts).
 *
 * @example const prepared = linkCommand(body, { defaultCountry: 'GN', allowedUrl: (url) => isAllowedOrigin(c, url) })
 */
export function linkCommand(
  body: CreateLinkBody,
  { defaultCountry, allowedUrl }: { defaultCountry: Country; allowedUrl: (url: string) => boolean },
): { ok: true; command: CreateLinkCommand } | { ok: false; errors: FieldError[] } {
  const { phone, ...link } = body;
  const countryCode = body.countryCode ?? defaultCountry;
  const errors: FieldError[] = [];
  let phoneNumber: string | undefined;
  if (phone) {
    const normalized = normalizePhone(phone, countryCode);
    if (normalized.ok) phoneNumber = normalized.phone;
    else errors.push({ path: 'phone', message: normalized.reason });
  }
  if (body.returnUrl !== undefined && !allowedUrl(body.returnUrl))
    errors.push({ path: 'returnUrl', message: 'its origin is not in ALLOWED_ORIGINS' });
  return errors.length ? { ok: false, errors } : { ok: true, command: { ...link, countryCode, phoneNumber } };
}

/**
 * A link as the merchant's tools show it (the admin API, the MCP tools).
 *
 * @example return c.json(linkView(outcome.link))
 */
export function linkView(link: DjomyLink) {
  return {
    reference: link.reference,
    paymentPageUrl: link.pageUrl,
    status: link.status,
    usageType: link.usageType,
    usageLimit: link.usageLimit,
    numberOfUsage: link.numberOfUsage,
    consumed: link.consumed,
    amount: link.amountToPay,
    countryCode: link.countryCode,
    linkName: link.linkName,
    merchantReference: link.merchantReference,
    expiresAt: link.expiresAt,
    payments: link.payments,
  };
}

export type LinkOutcome =
  | { kind: 'created'; link: DjomyLink }
  | { kind: 'refused'; message: string }
  /** Djomy gave a page URL no browser should be sent to. */
  | { kind: 'bad_answer' }
  | { kind: 'failed'; error: DjomyError };

/**
 * Asks Djomy to create the link and keeps it in the ledger (its payments are
 * then tied to it). Never re-sent on a lost answer: a second link costs
 * nothing, but it is the operator's choice.
 *
 * @example const outcome = await createPaymentLink(deps, { usageType: 'MULTIPLE', countryCode: 'GN' })
 */
export async function createPaymentLink(deps: PaymentDeps, command: CreateLinkCommand): Promise<LinkOutcome> {
  const request: CreateLinkRequest = {
    countryCode: command.countryCode,
    usageType: command.usageType,
    ...(command.usageType === 'MULTIPLE' ? { usageLimit: command.usageLimit ?? UNLIMITED_USES } : {}),
    ...(command.amount !== undefined ? { amountToPay: command.amount } : {}),
    ...(command.linkName ? { linkName: command.linkName } : {}),
    ...(command.description ? { description: command.description } : {}),
    ...(command.merchantReference ? { merchantReference: command.merchantReference } : {}),
    ...(command.phoneNumber ? { phoneNumber: command.phoneNumber, sendSms: command.sendSms ?? false } : {}),
    ...(command.expiresAt ? { expiresAt: `${new Date(command.expiresAt).toISOString().slice(0, 19)}Z` } : {}),
    ...(command.allowedPaymentMethods ? { allowedPaymentMethods: command.allowedPaymentMethods } : {}),
    ...(command.returnUrl ? { returnUrl: command.returnUrl, cancelUrl: command.returnUrl } : {}),
  };
  let link: DjomyLink;
  try {
    link = await djomyOf(deps).createLink(request);
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    if (error.kind === 'refused')
      return { kind: 'refused', message: error.detail ?? 'Djomy refused the link' };
    return { kind: 'failed', error };
  }
  if (!isSafeBrowserUrl(link.pageUrl)) {
    deps.log.error('Djomy answered a link with an unusable page URL', { reference: link.reference });
    return { kind: 'bad_answer' };
  }
  await saveLink(
    deps.db,
    link,
    { countryCode: command.countryCode, allowedMethods: command.allowedPaymentMethods },
    deps.now(),
  );
  return { kind: 'created', link };
}

/**
 * The link as Djomy sees it now (its status, uses and payments); refreshes
 * the ledger's copy when the link is ours. Null when Djomy does not know it.
 */
export async function readPaymentLink(deps: PaymentDeps, reference: string): Promise<DjomyLink | null> {
  let link: DjomyLink;
  try {
    link = await djomyOf(deps).getLink(reference);
  } catch (error) {
    if (error instanceof DjomyError && error.kind === 'not_found') return null;
    throw error;
  }
  if (await getLink(deps.db, link.reference)) {
    await saveLink(deps.db, link, { countryCode: deps.config.defaultCountry }, deps.now());
  }
  return link;
}

/** The page a link's QR code opens: from the ledger, else from Djomy. Null when unknown or unsafe. */
export async function linkPageUrl(deps: PaymentDeps, reference: string): Promise<string | null> {
  const stored = await getLink(deps.db, reference);
  const url = stored?.pageUrl ?? (deps.djomy ? (await readPaymentLink(deps, reference))?.pageUrl : null);
  return url && isSafeBrowserUrl(url) ? url : null;
}
