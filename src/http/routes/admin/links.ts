/**
 * Admin: Djomy payment links (src/payments/links.ts), e.g. a static QR code
 * at a shop counter, and the QR code of a link's payment page.
 */
import { Hono } from 'hono/tiny';
import { renderSVG } from 'uqr';
import * as z from 'zod/mini';
import { COUNTRIES, normalizePhone } from '../../../djomy/phone.ts';
import { type DjomyLink, GATEWAY_METHODS } from '../../../djomy/schemas.ts';
import { linksWithTotals } from '../../../payments/ledger.ts';
import { createPaymentLink, linkPageUrl, readPaymentLink, UNLIMITED_USES } from '../../../payments/links.ts';
import { readJson } from '../../body.ts';
import { type AppContext, type AppEnv, publicOrigin } from '../../context.ts';
import { djomyProblem, Problem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';
import { checkRedirectTargets } from '../payments.ts';

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

function view(link: DjomyLink) {
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

function reference(c: AppContext): string {
  const value = c.req.param('reference') ?? '';
  if (value.length < 1 || value.length > 200) throw problems.notFound('Link');
  return value;
}

async function createLinkRoute(c: AppContext) {
  const body = await readJson(c.req.raw, CreateLinkBody);
  const { deps } = c.var;
  const countryCode = body.countryCode ?? deps.config.defaultCountry;
  let phoneNumber: string | undefined;
  if (body.phone) {
    const phone = normalizePhone(body.phone, countryCode);
    if (!phone.ok) throw problems.validation([{ path: 'phone', message: phone.reason }]);
    phoneNumber = phone.phone;
  }
  checkRedirectTargets(c, { returnUrl: body.returnUrl });
  const { phone: _phone, ...link } = body;
  const outcome = await createPaymentLink(deps, { ...link, countryCode, phoneNumber });
  switch (outcome.kind) {
    case 'created': {
      const qr = `${publicOrigin(c)}/api/admin/links/${encodeURIComponent(outcome.link.reference)}/qr.svg`;
      return c.json({ ...view(outcome.link), qrCode: qr }, 201);
    }
    case 'refused':
      throw new Problem({
        status: 422,
        slug: 'djomy-refused',
        title: 'Djomy refused the link',
        detail: outcome.message,
      });
    case 'bad_answer':
      throw new Problem({
        status: 502,
        slug: 'djomy-bad-answer',
        title: 'Djomy answered without a usable URL',
        detail: 'Djomy gave the link a page URL no payer should be sent to.',
      });
    case 'failed':
      throw djomyProblem(outcome.error);
  }
}

async function listLinksRoute(c: AppContext) {
  return c.json({ links: await linksWithTotals(c.var.deps) });
}

async function linkRoute(c: AppContext) {
  const link = await readPaymentLink(c.var.deps, reference(c));
  if (!link) throw problems.notFound('Link');
  return c.json(view(link));
}

async function linkQrRoute(c: AppContext) {
  const pageUrl = await linkPageUrl(c.var.deps, reference(c));
  if (!pageUrl) throw problems.notFound('Link');
  return c.body(renderSVG(pageUrl, { border: 2 }), 200, {
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'private, max-age=3600',
  });
}

export const adminLinks = new Hono<AppEnv>()
  .get('/', listLinksRoute)
  .post('/', createLinkRoute)
  .get('/:reference', linkRoute)
  .get('/:reference/qr.svg', linkQrRoute);

const Ref = z.object({ reference: z.string() });
const adminErrors = { 401: { description: 'Missing or wrong admin token' } };

export const adminLinkSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/links',
    tag: 'Admin',
    admin: true,
    summary: 'The links this Worker created, newest first, with their uses and what was paid on each',
    responses: { 200: { description: '`{links}`' }, ...adminErrors },
  },
  {
    method: 'post',
    path: '/api/admin/links',
    tag: 'Admin',
    admin: true,
    summary: 'Create a Djomy payment link (UNIQUE or MULTIPLE; optional SMS)',
    body: { schema: CreateLinkBody },
    responses: {
      201: { description: 'The link, with `paymentPageUrl` and `qrCode`' },
      400: { description: 'Invalid link' },
      422: { description: 'Djomy refused the link' },
      502: { description: 'Djomy unreachable' },
      ...adminErrors,
    },
  },
  {
    method: 'get',
    path: '/api/admin/links/{reference}',
    tag: 'Admin',
    admin: true,
    summary: 'A link as Djomy sees it now',
    params: Ref,
    responses: { 200: { description: 'The link' }, 404: { description: 'Unknown link' }, ...adminErrors },
  },
  {
    method: 'get',
    path: '/api/admin/links/{reference}/qr.svg',
    tag: 'Admin',
    admin: true,
    summary: "The link's payment page as a QR code, to print at a shop counter",
    params: Ref,
    responses: {
      200: { description: 'SVG image', contentType: 'image/svg+xml' },
      404: { description: 'Unknown link' },
      ...adminErrors,
    },
  },
];
