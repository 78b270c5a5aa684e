/**
 * Admin: Djomy payment links (src/payments/links.ts), e.g. a static QR code
 * at a shop counter, and the QR code of a link's payment page.
 */
import { Hono } from 'hono/tiny';
import { renderSVG } from 'uqr';
import * as z from 'zod/mini';
import { linksWithTotals } from '../../../payments/ledger.ts';
import {
  CreateLinkBody,
  createPaymentLink,
  linkCommand,
  linkPageUrl,
  linkView,
  readPaymentLink,
} from '../../../payments/links.ts';
import { readJson } from '../../body.ts';
import { type AppContext, type AppEnv, publicOrigin } from '../../context.ts';
import { isAllowedOrigin } from '../../origins.ts';
import { djomyProblem, Problem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

function reference(c: AppContext): string {
  const value = c.req.param('reference') ?? '';
  if (value.length < 1 || value.length > 200) throw problems.notFound('Link');
  return value;
}

async function createLinkRoute(c: AppContext) {
  const body = await readJson(c.req.raw, CreateLinkBody);
  const { deps } = c.var;
  const prepared = linkCommand(body, {
    defaultCountry: deps.config.defaultCountry,
    allowedUrl: (url) => isAllowedOrigin(c, url),
  });
  if (!prepared.ok) throw problems.validation(prepared.errors);
  const outcome = await createPaymentLink(deps, prepared.command);
  switch (outcome.kind) {
    case 'created': {
      const qr = `${publicOrigin(c)}/api/admin/links/${encodeURIComponent(outcome.link.reference)}/qr.svg`;
      return c.json({ ...linkView(outcome.link), qrCode: qr }, 201);
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
  return c.json(linkView(link));
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
