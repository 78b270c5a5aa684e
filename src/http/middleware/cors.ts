/**
 * CORS for the public checkout API, limited to `ALLOWED_ORIGINS` plus the
 * Worker's own origin (the demo shop). A browser request from any other
 * origin, preflight included, is refused with 403 before it does anything.
 * Requests without an Origin header (servers, curl) pass.
 */
import { createMiddleware } from 'hono/factory';
import { originOf } from '../../lib/urls.ts';
import type { AppEnv } from '../context.ts';
import { isAllowedOrigin, originRefused } from '../origins.ts';

const ALLOWED_HEADERS = 'Content-Type, Idempotency-Key, X-Request-Id';

export const publicCors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (!origin) return next();
  // A browser sends a bare origin; anything else (a path, garbage) is refused, never reflected.
  if (originOf(origin) !== origin || !isAllowedOrigin(c, origin)) throw originRefused(origin);
  const headers = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'X-Request-Id, Retry-After, Idempotent-Replayed',
    Vary: 'Origin',
  };
  if (c.req.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      },
    });
  }
  await next();
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
});
