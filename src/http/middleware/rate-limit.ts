/**
 * The Workers rate-limit bindings, per client IP (limits in wrangler.toml):
 * public routes, the admin API and console, and sign-in attempts, each its
 * own budget. Cloudflare sets `CF-Connecting-IP` itself, so a client cannot
 * choose its key.
 */
import { createMiddleware } from 'hono/factory';
import type { Env } from '../../env.ts';
import type { AppEnv } from '../context.ts';
import { Problem } from '../problem.ts';

type RateLimitBinding = 'PUBLIC_RATE_LIMIT' | 'ADMIN_RATE_LIMIT' | 'SIGNIN_RATE_LIMIT';

function rateLimitBy(binding: RateLimitBinding, retryAfterSeconds: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const ip = c.req.header('cf-connecting-ip') ?? 'unknown';
    const { success } = await (c.env as Env)[binding].limit({ key: ip });
    if (!success) {
      throw new Problem({
        status: 429,
        slug: 'rate-limited',
        title: 'Too many requests',
        detail: 'Slow down and retry after the delay in Retry-After.',
        headers: { 'Retry-After': String(retryAfterSeconds) },
      });
    }
    return next();
  });
}

export const publicRateLimit = rateLimitBy('PUBLIC_RATE_LIMIT', 10);
export const adminRateLimit = rateLimitBy('ADMIN_RATE_LIMIT', 60);
export const signInRateLimit = rateLimitBy('SIGNIN_RATE_LIMIT', 60);
