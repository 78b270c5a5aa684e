/**
 * The HTTP surface: middleware in the order a request meets it, then the
 * routes, one module per resource. Every error leaves as problem+json.
 */
import { Hono } from 'hono';
import { describeError } from '../lib/log.ts';
import type { AppEnv } from './context.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { publicCors } from './middleware/cors.ts';
import { publicRateLimit } from './middleware/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { Problem, problemResponse } from './problem.ts';
import { adminDeadLetters } from './routes/admin/dead-letters.ts';
import { adminDiagnostics } from './routes/admin/diagnostics.ts';
import { adminLinks } from './routes/admin/links.ts';
import { adminPayments } from './routes/admin/payments.ts';
import { adminProducts } from './routes/admin/products.ts';
import { catalog } from './routes/catalog.ts';
import { checkoutForm } from './routes/checkout-form.ts';
import { health } from './routes/health.ts';
import { openapi } from './routes/openapi.ts';
import { payments } from './routes/payments.ts';
import { returns } from './routes/return.ts';
import { webhooks } from './routes/webhooks.ts';

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', requestContext);
  app.use('/api/catalog', publicCors, publicRateLimit);
  app.use('/api/payments', publicCors, publicRateLimit);
  app.use('/api/payments/*', publicCors, publicRateLimit);
  app.use('/return/*', publicRateLimit);
  app.use('/checkout', publicRateLimit);
  app.use('/api/admin/*', adminAuth);

  app.route('/', catalog);
  app.route('/', payments);
  app.route('/', returns);
  app.route('/', checkoutForm);
  app.route('/', webhooks);
  app.route('/', adminPayments);
  app.route('/', adminProducts);
  app.route('/', adminLinks);
  app.route('/', adminDeadLetters);
  app.route('/', adminDiagnostics);
  app.route('/', health);
  app.route('/', openapi);

  app.notFound((c) => {
    const route = new URL(c.req.url).pathname;
    return problemResponse(
      { status: 404, slug: 'not-found', title: 'No such route', detail: route },
      c.var.requestId,
    );
  });
  app.onError((error, c) => {
    const requestId = c.var.requestId ?? 'unknown';
    if (error instanceof Problem) return problemResponse(error.init, requestId);
    c.var.log?.error('unhandled error', { error: describeError(error) });
    return problemResponse({ status: 500, slug: 'internal', title: 'Internal error' }, requestId);
  });
  return app;
}
