/**
 * The HTTP surface, composed by prefix: each router carries its middleware
 * (src/http/routers.ts), routes inside use relative paths. Every error leaves
 * as problem+json; a Djomy fault that escapes a use case becomes its 502/503.
 */
import { Hono } from 'hono/tiny';
import { DjomyError } from '../djomy/errors.ts';
import { loadConfig } from '../env.ts';
import { isD1Error, recordIncident } from '../lib/incidents.ts';
import { describeError } from '../lib/log.ts';
import { mcp } from '../mcp/index.ts';
import type { AppContext, AppEnv, DepsFactory } from './context.ts';
import { requestContext } from './middleware/request-context.ts';
import { DJOMY_SETTINGS, djomyProblem, Problem, problemResponse } from './problem.ts';
import { admin } from './routes/admin/index.ts';
import { catalog } from './routes/catalog.ts';
import { checkoutForm } from './routes/checkout-form.ts';
import { health } from './routes/health.ts';
import { payerPages } from './routes/payer-pages.ts';
import { payments } from './routes/payments.ts';
import { returns } from './routes/return.ts';
import { session } from './routes/session.ts';
import { webhooks } from './routes/webhooks.ts';

function notFound(c: AppContext): Response {
  const route = new URL(c.req.url).pathname;
  return problemResponse(
    { status: 404, slug: 'not-found', title: 'No such route', detail: route },
    c.var.requestId,
  );
}

function onError(error: Error, c: AppContext): Response {
  const requestId = c.var.requestId ?? 'unknown';
  if (error instanceof Problem) return problemResponse(error.init, requestId);
  if (error instanceof DjomyError) {
    const missing = loadConfig(c.env)
      .problems.map((p) => p.setting)
      .filter((setting) => DJOMY_SETTINGS.has(setting));
    return problemResponse(djomyProblem(error, { missing }).init, requestId);
  }
  if (isD1Error(error)) {
    // D1 refused (a spent daily quota, an outage): the caller may retry later; nothing half-written stays.
    recordIncident('d1', error);
    c.var.log?.error('D1 refused', { error: describeError(error) });
    return problemResponse(
      {
        status: 503,
        slug: 'storage-unavailable',
        title: 'Storage unavailable',
        detail: 'The ledger cannot be written right now. Retry later.',
        headers: { 'Retry-After': '60' },
      },
      requestId,
    );
  }
  c.var.log?.error('unhandled error', { error: describeError(error) });
  return problemResponse({ status: 500, slug: 'internal', title: 'Internal error' }, requestId);
}

/** @example export default { fetch: createApp(buildDeps).fetch } */
export function createApp(buildDeps: DepsFactory): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .use(requestContext(buildDeps))
    .route('/api/catalog', catalog)
    .route('/api/payments', payments)
    .route('/api/session', session)
    .route('/api/admin', admin)
    .route('/return', returns)
    .route('/checkout', checkoutForm)
    .route('/webhooks/djomy', webhooks)
    .route('/healthz', health)
    .route('/', payerPages)
    .route('/mcp', mcp)
    .notFound(notFound)
    .onError(onError);
}
