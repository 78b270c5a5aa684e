/**
 * Djomy's payment links (docs/djomy.md#payment-links): `POST /v1/links`,
 * `GET /v1/links/{ref}` and `GET /v1/links`.
 */
import type { Context } from 'hono';
import { portalMethods } from './domain.ts';
import type { SimHono } from './env.ts';
import { fail, MESSAGES, ok, readJsonObject } from './envelope.ts';
import { expireLinkIfStale } from './lifecycle.ts';
import { pageOf, readPageRequest } from './paging.ts';
import { randomLinkReference } from './random.ts';
import { type CustomField, type Link, links } from './store.ts';
import { BodyReader } from './validation.ts';
import { linkView } from './views.ts';

function readCustomFields(reader: BodyReader): CustomField[] {
  const fields = reader.objectList('customFields') ?? [];
  if (!fields.every((field) => typeof field.label === 'string' && field.label !== '')) {
    reader.invalid('customFields', 'Chaque champ personnalisé a un label.');
    return [];
  }
  return fields.map((field) => ({
    label: field.label as string,
    ...(typeof field.placeholder === 'string' && { placeholder: field.placeholder }),
    required: field.required === true,
  }));
}

export async function createLink(c: Context<SimHono>): Promise<Response> {
  const body = await readJsonObject(c);
  if (body instanceof Response) return body;
  const reader = new BodyReader(body);
  const countryCode = reader.countryCode();
  const amountToPay = reader.amount('amountToPay', countryCode, { required: false }) ?? null;
  const usageType = reader.oneOf('usageType', ['UNIQUE', 'MULTIPLE'] as const) ?? 'UNIQUE';
  const link: Omit<Link, 'countryCode'> = {
    reference: randomLinkReference(),
    status: 'ACTIVE',
    usageType,
    usageLimit: reader.positiveInteger('usageLimit') ?? null,
    numberOfUsage: 0,
    amountToPay,
    linkName: reader.string('linkName') ?? null,
    description: reader.string('description') ?? null,
    merchantReference: reader.string('merchantReference') ?? null,
    // Without a phone number Djomy sends no SMS and reports no error.
    phoneNumber: reader.phone('phoneNumber', { required: false }) ?? null,
    sendSms: reader.boolean('sendSms') ?? false,
    returnUrl: reader.url('returnUrl') ?? null,
    cancelUrl: reader.url('cancelUrl') ?? null,
    allowedPaymentMethods: portalMethods(reader.stringList('allowedPaymentMethods')),
    customFields: readCustomFields(reader),
    metadata: reader.metadata(),
    skipDjomyStatusPage: reader.boolean('skipDjomyStatusPage') ?? false,
    paymentPageUrl: '',
    createdAt: new Date().toISOString(),
    expiresAt: reader.futureDateTime('expiresAt') ?? null,
    transactionIds: [],
  };
  const valid = reader.finish(c, { countryCode });
  if (valid instanceof Response) return valid;
  const created: Link = {
    ...link,
    countryCode: valid.countryCode,
    paymentPageUrl: `${new URL(c.req.url).origin}/links/${link.reference}`,
  };
  links.set(created.reference, created);
  return ok(c, linkView(created), 'Lien de paiement créé', 201);
}

export function getLink(c: Context<SimHono>): Response {
  const link = links.get(c.req.param('reference') ?? '');
  if (!link) return fail(c, 404, MESSAGES.linkNotFound);
  return ok(c, linkView(expireLinkIfStale(link)), 'Lien de paiement');
}

/** Newest first, in the same page shape as `GET /v1/payments` (docs/djomy.md#lists). */
export function listLinks(c: Context<SimHono>): Response {
  const reader = new BodyReader({});
  const pageRequest = readPageRequest(new URL(c.req.url).searchParams, (f, m) => reader.invalid(f, m));
  const valid = reader.finish(c, {});
  if (valid instanceof Response) return valid;
  const all = [...links.values()].reverse().map((link) => linkView(expireLinkIfStale(link)));
  return ok(c, pageOf(all, pageRequest), 'Liens de paiement');
}
