/**
 * The three kinds of router, each carrying the middleware of its kind, so a
 * route is protected by where it is mounted, not by its path string:
 * - the public checkout API: CORS limited to ALLOWED_ORIGINS, and the rate limit;
 * - browser pages and forms (return URL, no-JavaScript checkout): the rate limit;
 * - the admin API: the bearer token.
 */
import { Hono } from 'hono';
import type { AppEnv } from './context.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { publicCors } from './middleware/cors.ts';
import { publicRateLimit } from './middleware/rate-limit.ts';

export const publicApiRouter = () => new Hono<AppEnv>().use(publicCors, publicRateLimit);

export const browserRouter = () => new Hono<AppEnv>().use(publicRateLimit);

export const adminRouter = () => new Hono<AppEnv>().use(adminAuth);
