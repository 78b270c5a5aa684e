/**
 * The console's sign-in, mounted at `/api/session` (src/http/session.ts says
 * what the cookie holds and why): POST a token to sign in, GET the session
 * (role, expiry, CSRF token), DELETE to sign out. Sign-in attempts have their
 * own rate limit, tighter than the admin API's.
 */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { readJson } from '../body.ts';
import type { AppContext, AppEnv } from '../context.ts';
import { signInRateLimit } from '../middleware/rate-limit.ts';
import { Problem, problems } from '../problem.ts';
import {
  csrfToken,
  isLoopback,
  openSession,
  readSessionValue,
  roleOfToken,
  type Session,
  sessionCookie,
  sessionCookieValue,
} from '../session.ts';
import type { RouteSpec } from '../spec.ts';

export const SignInBody = z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(512)) });

export const SessionView = z.object({
  role: z.enum(['admin', 'viewer']),
  expiresAt: z.string(),
  csrfToken: z.string(),
});

const secureFor = (c: AppContext) => !isLoopback(new URL(c.req.url).hostname);

async function view(c: AppContext, session: Session) {
  c.header('Cache-Control', 'no-store');
  return c.json({
    role: session.role,
    expiresAt: new Date(session.expiresAt).toISOString(),
    csrfToken: await csrfToken(c.var.deps.config, session),
  } satisfies z.infer<typeof SessionView>);
}

async function signInRoute(c: AppContext) {
  const { config } = c.var.deps;
  if (!config.adminToken) throw problems.misconfigured(['ADMIN_TOKEN']);
  // Signing in from another site would sign this browser in to someone else's console.
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin)
    throw problems.csrf('Sign in from the console of this origin.');
  const { token } = await readJson(c.req.raw, SignInBody);
  const role = roleOfToken(config, token);
  if (!role)
    throw new Problem({
      status: 401,
      slug: 'unauthorized',
      title: 'Unauthorized',
      detail: 'This token is not valid.',
    });
  const { session, value } = await openSession(config, role, c.var.deps.now());
  const secure = secureFor(c);
  c.header(
    'Set-Cookie',
    sessionCookie(value, { secure, maxAge: Math.floor((session.expiresAt - c.var.deps.now()) / 1000) }),
  );
  c.var.log.info('console sign-in', { role });
  return view(c, session);
}

async function sessionRoute(c: AppContext) {
  const secure = secureFor(c);
  const value = sessionCookieValue(c.req.header('cookie'), secure);
  const session = value ? await readSessionValue(c.var.deps.config, value, c.var.deps.now()) : null;
  if (!session)
    throw new Problem({
      status: 401,
      slug: 'unauthorized',
      title: 'Unauthorized',
      detail: 'No session: sign in.',
    });
  return view(c, session);
}

function signOutRoute(c: AppContext) {
  c.header('Set-Cookie', sessionCookie('', { secure: secureFor(c), maxAge: 0 }));
  c.header('Cache-Control', 'no-store');
  return c.body(null, 204);
}

export const session = new Hono<AppEnv>()
  .post('/', signInRateLimit, signInRoute)
  .get('/', sessionRoute)
  .delete('/', signOutRoute);

export const sessionSpecs = (): RouteSpec[] => [
  {
    method: 'post',
    path: '/api/session',
    tag: 'Admin',
    summary: 'Sign in to the console with ADMIN_TOKEN or VIEWER_TOKEN',
    description:
      'Sets an HttpOnly, SameSite=Strict session cookie holding a signed role and expiry (never the token). Writes made with the cookie need the returned `csrfToken` in `X-CSRF-Token`. Scripts use the bearer header instead.',
    body: { schema: SignInBody },
    responses: {
      200: { description: 'Signed in', schema: SessionView },
      400: { description: 'Invalid body' },
      401: { description: 'Not a valid token' },
      403: { description: 'Sent from another origin' },
      429: { description: 'Too many sign-in attempts from this IP' },
      503: { description: 'ADMIN_TOKEN not set' },
    },
  },
  {
    method: 'get',
    path: '/api/session',
    tag: 'Admin',
    summary: "The console session's role, expiry and CSRF token",
    responses: {
      200: { description: 'Signed in', schema: SessionView },
      401: { description: 'No session, or it has ended' },
    },
  },
  {
    method: 'delete',
    path: '/api/session',
    tag: 'Admin',
    summary: 'Sign out (clears the session cookie)',
    responses: { 204: { description: 'Signed out' } },
  },
];
