/**
 * The Workers rate-limit binding on public routes, per client IP (60
 * requests / 10 s by default, set in wrangler.toml). Cloudflare sets
 * `CF-Connecting-IP` itself, so a client cannot choose its key.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.ts';
import { Problem } from '../problem.ts';

export const publicRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'OPTIONS') return next();
  const ip = c.req.header('cf-connecting-ip') ?? 'unknown';
  const { success } = await c.env.PUBLIC_RATE_LIMIT.limit({ key: ip });
  if (!success) {
    throw new Problem({
      status: 429,
      slug: 'rate-limited',
      title: 'Too many requests',
      detail: 'Slow down and retry after the delay in Retry-After.',
      headers: { 'Retry-After': '10' },
    });
  }
  return next();
});
