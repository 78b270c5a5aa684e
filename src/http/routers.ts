/**
 * The three kinds of router, each carrying the middleware of its kind, so a
 * route is protected by where it is mounted, not by its path string:
 * - the public checkout API: CORS limited to ALLOWED_ORIGINS, and the rate limit;
 * - browser pages and forms (return URL, no-JavaScript checkout): the rate limit;
 * - the admin API and console: its own rate limit, then a token or the console session.
 */
import { Hono } from 'hono/tiny';
import type { AdminEnv, AppEnv } from './context.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { publicCors } from './middleware/cors.ts';
import { adminRateLimit, publicRateLimit } from './middleware/rate-limit.ts';

export const publicApiRouter = () => new Hono<AppEnv>().use(publicCors, publicRateLimit);

export const browserRouter = () => new Hono<AppEnv>().use(publicRateLimit);

export const adminRouter = () => new Hono<AdminEnv>().use(adminRateLimit, adminAuth);
