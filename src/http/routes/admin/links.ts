/**
 * Admin: Djomy payment links (SPEC §7), e.g. a static QR code at a shop
 * counter. A MULTIPLE link always carries a `usageLimit`: without one Djomy
 * closes it after its first payment (observed in production, djomy-api.md §5.6).
 */
import { Hono } from 'hono';
import { renderSVG } from 'uqr';
import * as z from 'zod/mini';
import { isDjomyError } from '../../../djomy/errors.ts';
import { COUNTRIES, normalizePhone } from '../../../djomy/phone.ts';
import { type DjomyLink, GATEWAY_METHODS } from '../../../djomy/schemas.ts';
import { getLink, saveLink } from '../../../store/links.ts';
import { readJson } from '../../body.ts';
import { type AppContext, type AppEnv, djomyClient, publicOrigin } from '../../context.ts';
import { requireDjomy } from '../../middleware/require-djomy.ts';
import { Problem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';
import { checkRedirectTargets, djomyUnavailable } from '../payments.ts';

/** What ODOO uses for an "unlimited" static shop QR. */
const UNLIMITED_USES = 100_000;

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

async function fetchLink(c: AppContext, ref: string): Promise<DjomyLink> {
  try {
    return await djomyClient(c).getLink(ref);
  } catch (error) {
    if (isDjomyError(error) && error.kind === 'not_found') throw problems.notFound('Link');
    if (isDjomyError(error)) throw djomyUnavailable(error);
    throw error;
  }
}

export const adminLinks = new Hono<AppEnv>()
  .post('/api/admin/links', requireDjomy, async (c) => {
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
    let link: DjomyLink;
    try {
      link = await djomyClient(c).createLink({
        countryCode,
        usageType: body.usageType,
        ...(body.usageType === 'MULTIPLE' ? { usageLimit: body.usageLimit ?? UNLIMITED_USES } : {}),
        ...(body.amount !== undefined ? { amountToPay: body.amount } : {}),
        ...(body.linkName ? { linkName: body.linkName } : {}),
        ...(body.description ? { description: body.description } : {}),
        ...(body.merchantReference ? { merchantReference: body.merchantReference } : {}),
        ...(phoneNumber ? { phoneNumber, sendSms: body.sendSms ?? false } : {}),
        ...(body.expiresAt ? { expiresAt: `${new Date(body.expiresAt).toISOString().slice(0, 19)}Z` } : {}),
        ...(body.allowedPaymentMethods ? { allowedPaymentMethods: body.allowedPaymentMethods } : {}),
        ...(body.returnUrl ? { returnUrl: body.returnUrl, cancelUrl: body.returnUrl } : {}),
      });
    } catch (error) {
      if (isDjomyError(error) && error.kind === 'refused') {
        throw new Problem({
          status: 422,
          slug: 'djomy-refused',
          title: 'Djomy refused the link',
          detail: error.detail,
        });
      }
      if (isDjomyError(error)) throw djomyUnavailable(error);
      throw error;
    }
    await saveLink(deps.db, link, { countryCode }, deps.now());
    const qr = `${publicOrigin(c)}/api/admin/links/${encodeURIComponent(link.reference)}/qr.svg`;
    return c.json({ ...view(link), qrCode: qr }, 201);
  })
  .get('/api/admin/links/:reference', requireDjomy, async (c) => {
    const ref = reference(c);
    const link = await fetchLink(c, ref);
    if (await getLink(c.var.deps.db, link.reference)) {
      await saveLink(
        c.var.deps.db,
        link,
        { countryCode: c.var.deps.config.defaultCountry },
        c.var.deps.now(),
      );
    }
    return c.json(view(link));
  })
  .get('/api/admin/links/:reference/qr.svg', async (c) => {
    const ref = reference(c);
    const stored = await getLink(c.var.deps.db, ref);
    const pageUrl = stored?.pageUrl ?? (c.var.deps.djomy ? (await fetchLink(c, ref)).pageUrl : null);
    if (!pageUrl) throw problems.notFound('Link');
    return c.body(renderSVG(pageUrl, { border: 2 }), 200, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'private, max-age=3600',
    });
  });

const Ref = z.object({ reference: z.string() });
const adminErrors = { 401: { description: 'Missing or wrong admin token' } };

export const adminLinkSpecs: RouteSpec[] = [
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
