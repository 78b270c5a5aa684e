/**
 * The console's session (docs/console.md#sign-in). Signing in with a token
 * gives an HttpOnly, SameSite=Strict cookie that holds a signed
 * `{role, expiry, session id, token fingerprint}` — never the token.
 *
 * - The signing key is derived from ADMIN_TOKEN: changing it signs everyone out.
 * - The fingerprint is of the token used: changing VIEWER_TOKEN signs the cashiers out.
 * - A write made with the cookie needs `X-CSRF-Token`, an HMAC of the session id
 *   that only a page of this origin can read (from `GET /api/session`), and an
 *   `Origin`, when the browser sends one, of this origin.
 * - `Secure` is set except on loopback names (`localhost`, `*.localhost`, `127.*`,
 *   `[::1]`), where browsers do not need https; with it the cookie takes the
 *   `__Host-` prefix (this host only, path `/`).
 */
import type { Config } from '../env.ts';
import {
  fromBase64,
  hmacSha256,
  randomBytes,
  timingSafeEqualText,
  toBase64,
  toBytes,
  toHex,
} from '../lib/crypto.ts';
import type { Role } from '../payments/views.ts';

/** How long a session lasts: a shop day for the merchant, a week for the counter phone. */
export const SESSION_SECONDS: Readonly<Record<Role, number>> = { admin: 12 * 3600, viewer: 7 * 86_400 };

export interface Session {
  role: Role;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Random, per sign-in: what the CSRF token is bound to. */
  sid: string;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request with this method only reads. */
export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method.toUpperCase());

const base64url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64url = (text: string) => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));

/** The key sessions and CSRF tokens are signed with, derived from ADMIN_TOKEN (never the token itself). */
function sessionKey(adminToken: string): Promise<Uint8Array> {
  return hmacSha256(adminToken, 'djomy-edge console session v1');
}

/** The token a role signs in with. */
function tokenOf(config: Pick<Config, 'adminToken' | 'viewerToken'>, role: Role): string | null {
  return role === 'admin' ? config.adminToken : config.viewerToken;
}

async function fingerprint(key: Uint8Array, token: string): Promise<string> {
  return toHex((await hmacSha256(key, `token:${token}`)).slice(0, 8));
}

/**
 * The role a token gives, compared in constant time; null for any other text.
 *
 * @example roleOfToken(config, body.token) // 'admin' | 'viewer' | null
 */
export function roleOfToken(config: Pick<Config, 'adminToken' | 'viewerToken'>, token: string): Role | null {
  if (config.adminToken && timingSafeEqualText(token, config.adminToken)) return 'admin';
  if (config.viewerToken && timingSafeEqualText(token, config.viewerToken)) return 'viewer';
  return null;
}

/**
 * The role an `Authorization` header gives: `Bearer <token>` with a token of
 * a role, compared in constant time; null for anything else.
 *
 * @example const role = roleOfBearer(config, c.req.header('authorization'))
 */
export function roleOfBearer(
  config: Pick<Config, 'adminToken' | 'viewerToken'>,
  header: string | undefined,
): Role | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? roleOfToken(config, match[1] as string) : null;
}

/** A new session for `role`, and the cookie value that carries it. */
export async function openSession(
  config: Pick<Config, 'adminToken' | 'viewerToken'>,
  role: Role,
  now: number,
): Promise<{ session: Session; value: string }> {
  const admin = config.adminToken as string;
  const key = await sessionKey(admin);
  const session: Session = {
    role,
    expiresAt: now + SESSION_SECONDS[role] * 1000,
    sid: toHex(randomBytes(16)),
  };
  const claims = base64url(
    toBytes(
      JSON.stringify({
        r: session.role,
        e: session.expiresAt,
        s: session.sid,
        f: await fingerprint(key, tokenOf(config, role) as string),
      }),
    ),
  );
  return { session, value: `${claims}.${base64url(await hmacSha256(key, claims))}` };
}

/** The session a cookie value carries, or null when it is not ours, expired, or its token changed. */
export async function readSessionValue(
  config: Pick<Config, 'adminToken' | 'viewerToken'>,
  value: string,
  now: number,
): Promise<Session | null> {
  if (!config.adminToken || value.length > 400) return null;
  const [claims, tag, extra] = value.split('.');
  if (!claims || !tag || extra !== undefined) return null;
  const key = await sessionKey(config.adminToken);
  if (!timingSafeEqualText(tag, base64url(await hmacSha256(key, claims)))) return null;
  const bytes = fromBase64url(claims);
  if (!bytes) return null;
  let parsed: { r?: unknown; e?: unknown; s?: unknown; f?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const role = parsed.r;
  if ((role !== 'admin' && role !== 'viewer') || typeof parsed.e !== 'number' || typeof parsed.s !== 'string')
    return null;
  if (parsed.e <= now) return null;
  const token = tokenOf(config, role);
  if (!token || parsed.f !== (await fingerprint(key, token))) return null;
  return { role, expiresAt: parsed.e, sid: parsed.s };
}

/** The CSRF token of a session: the page sends it back in `X-CSRF-Token` with every write. */
export async function csrfToken(config: Pick<Config, 'adminToken'>, session: Session): Promise<string> {
  return base64url(await hmacSha256(await sessionKey(config.adminToken as string), `csrf:${session.sid}`));
}

/** Whether `hostname` is a loopback name, where a cookie needs no `Secure`. */
export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}

/** The cookie's name: `__Host-` prefixed when it is `Secure`. */
export const cookieName = (secure: boolean): string => (secure ? '__Host-djomy_session' : 'djomy_session');

/** The `Set-Cookie` value that stores (or, with `maxAge` 0, clears) the session. */
export function sessionCookie(value: string, options: { secure: boolean; maxAge: number }): string {
  return [
    `${cookieName(options.secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAge}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session cookie's value in a `Cookie` header, if present. */
export function sessionCookieValue(cookieHeader: string | undefined, secure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = cookieName(secure);
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}
