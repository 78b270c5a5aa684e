/**
 * Who may use the admin API: a script with `Authorization: Bearer <token>`
 * (ADMIN_TOKEN, or VIEWER_TOKEN for the cashier), compared in constant time,
 * or the console's session cookie (src/http/session.ts), whose writes need
 * the CSRF token. Without a usable ADMIN_TOKEN the admin API is closed (503),
 * never open. Then `writesNeedAdmin`: the cashier reads, and changes nothing.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqualText } from '../../lib/crypto.ts';
import type { AdminEnv } from '../context.ts';
import { problems } from '../problem.ts';
import {
  csrfToken,
  isLoopback,
  isSafeMethod,
  readSessionValue,
  roleOfBearer,
  type Session,
  sessionCookieValue,
} from '../session.ts';

export const adminAuth = createMiddleware<AdminEnv>(async (c, next) => {
  const { config } = c.var.deps;
  if (!config.adminToken) throw problems.misconfigured(['ADMIN_TOKEN']);
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const role = roleOfBearer(config, header);
    if (!role) throw problems.unauthorized();
    c.set('role', role);
    return next();
  }
  const url = new URL(c.req.url);
  const value = sessionCookieValue(c.req.header('cookie'), !isLoopback(url.hostname));
  const session = value ? await readSessionValue(config, value, c.var.deps.now()) : null;
  if (!session) throw problems.unauthorized();
  if (!isSafeMethod(c.req.method)) await checkCsrf(c.req.raw, url.origin, config, session);
  c.set('role', session.role);
  return next();
});

/** A write made with the session cookie: the CSRF token of this session, from a page of this origin. */
async function checkCsrf(
  request: Request,
  origin: string,
  config: { adminToken: string | null },
  session: Session,
): Promise<void> {
  const sentFrom = request.headers.get('origin');
  if (sentFrom !== null && sentFrom !== origin)
    throw problems.csrf(`Origin ${sentFrom.slice(0, 100)} is not ${origin}.`);
  const given = request.headers.get('x-csrf-token') ?? '';
  if (!timingSafeEqualText(given, await csrfToken(config, session)))
    throw problems.csrf('Send the X-CSRF-Token that GET /api/session gives.');
}

/**
 * Refuses every change to the cashier. Mounted after the routes a cashier
 * may use to write (src/http/routes/admin/index.ts), so those answer first.
 */
export const writesNeedAdmin = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.var.role !== 'admin' && !isSafeMethod(c.req.method)) throw problems.forbidden();
  return next();
});
