/**
 * `/mcp`: the Model Context Protocol over Streamable HTTP, stateless and
 * JSON-only (docs/mcp.md), so an AI assistant can read the ledger with the
 * merchant's or the cashier's token. Before any JSON-RPC, in this order:
 * Host and Origin (DNS rebinding), the admin rate limit, the bearer token,
 * then the transport's own rules (POST only, `MCP-Protocol-Version`,
 * `Accept`, `Content-Type`, 64 KiB). Those refusals are problem+json like
 * every other route; from the parsed body on, answers are JSON-RPC
 * (src/mcp/rpc.ts).
 */
import { createMiddleware } from 'hono/factory';
import { Hono } from 'hono/tiny';
import { readBodyLimited } from '../http/body.ts';
import type { AppContext, AppEnv } from '../http/context.ts';
import { adminRateLimit } from '../http/middleware/rate-limit.ts';
import { Problem, type ProblemSlug, problems } from '../http/problem.ts';
import { roleOfBearer } from '../http/session.ts';
import { isLoopback, originOf } from '../lib/urls.ts';
import { answer, PROTOCOL_VERSIONS, rpcError } from './rpc.ts';

/** The largest message: a `tools/call` is a few hundred bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * DNS rebinding: a page of another site whose name resolves to this server
 * must not reach it. The request's Host must be this Worker's (PUBLIC_URL's
 * host; any, when it is not set) or one of ALLOWED_ORIGINS', and an
 * `Origin`, when a browser sends one, this Worker's own origin or one of
 * ALLOWED_ORIGINS. When PUBLIC_URL is loopback (or unset) and the request
 * came to a loopback host, any loopback name and port is this machine, and
 * is allowed: `wrangler dev` and an inspector answer on ports of their own.
 * No CORS either: a browser page of another site cannot even send the token.
 */
const sameSiteOnly = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const { publicUrl, allowedOrigins } = c.var.deps.config;
  const own = publicUrl ?? url.origin;
  const loopback = isLoopback(url) && isLoopback(new URL(own));
  const hostOk =
    loopback ||
    url.host === new URL(own).host ||
    [...allowedOrigins].some((origin) => new URL(origin).host === url.host);
  const sent = c.req.header('origin');
  const origin = sent === undefined ? own : originOf(sent);
  const originOk =
    origin !== null &&
    (origin === own || allowedOrigins.has(origin) || (loopback && isLoopback(new URL(origin))));
  if (!hostOk || !originOk)
    throw new Problem({
      status: 403,
      slug: 'origin-not-allowed',
      title: 'Origin not allowed',
      detail: `Only ${own} and ALLOWED_ORIGINS may call MCP here.`,
    });
  return next();
});

/** A 4xx of the transport, before any JSON-RPC: its title says what to do. */
const refuse = (status: number, slug: ProblemSlug, title: string, headers?: Record<string, string>) =>
  new Problem({ status, slug, title, headers });

async function post(c: AppContext): Promise<Response> {
  const { config } = c.var.deps;
  if (!config.adminToken) throw problems.misconfigured(['ADMIN_TOKEN']);
  const role = roleOfBearer(config, c.req.header('authorization'));
  if (!role)
    throw new Problem({
      status: 401,
      slug: 'unauthorized',
      title: 'Unauthorized',
      detail: 'Send Authorization: Bearer <ADMIN_TOKEN or VIEWER_TOKEN>.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  const version = c.req.header('mcp-protocol-version');
  // Absent: a client of an older revision, or the initialize request itself; this server answers all alike.
  if (version !== undefined && !PROTOCOL_VERSIONS.includes(version))
    throw refuse(400, 'unsupported-protocol-version', `MCP-Protocol-Version: ${PROTOCOL_VERSIONS}`);
  const accept = c.req.header('accept');
  // Answers are always application/json (never an SSE stream): a client that accepts it is served.
  if (accept !== undefined && !/(?:^|,)\s*(?:application\/(?:json|\*)|\*\/\*)\s*(?:;|,|$)/i.test(accept))
    throw refuse(406, 'not-acceptable', 'Accept: application/json');
  if (!/^application\/json\s*(?:;|$)/i.test(c.req.header('content-type') ?? ''))
    throw refuse(415, 'unsupported-media-type', 'Content-Type: application/json');
  const bytes = await readBodyLimited(c.req.raw, BODY_LIMIT);
  let message: unknown;
  try {
    message = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    const { status, body } = rpcError(null, -32700, 'Parse error');
    return c.json(body, status as 400);
  }
  const { status, body } = await answer(c, role, message);
  return body === undefined ? c.body(null, 202) : c.json(body, status as 200);
}

export const mcp = new Hono<AppEnv>()
  .use(sameSiteOnly, adminRateLimit)
  .post('/', post)
  .all('/', () => {
    throw refuse(405, 'method-not-allowed', 'POST only: no SSE stream, no session', {
      Allow: 'POST',
    });
  });
