/**
 * Djomy's two credentials (docs/djomy.md#authentication): `X-API-KEY` on every call, and
 * on business calls also a Bearer token from `POST /v1/auth`, for the same
 * client. Tokens live in memory and expire after `tokenTtlSeconds` of real time.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { djomyApiKey, parseApiKey } from '../../src/djomy/signature.ts';
import { timingSafeEqualText } from '../../src/lib/crypto.ts';
import { config } from './config.ts';
import type { SimEnv, SimHono } from './env.ts';
import { fail, MESSAGES, ok } from './envelope.ts';
import { tokenExpiresEarly } from './faults.ts';
import { randomAccessToken } from './random.ts';

interface Token {
  clientId: string;
  expiresAt: number;
}

const tokens = new Map<string, Token>();

export function clearTokens(): void {
  tokens.clear();
}

/** The client named by a valid `X-API-KEY`, or null (unknown client or wrong HMAC). */
async function authenticatedClient(env: SimEnv, header: string | undefined): Promise<string | null> {
  const key = parseApiKey(header ?? null);
  if (!key || key.clientId !== env.SIM_CLIENT_ID) return null;
  const expected = await djomyApiKey(env.SIM_CLIENT_ID, env.SIM_CLIENT_SECRET);
  return timingSafeEqualText(`${key.clientId}:${key.signature}`, expected) ? key.clientId : null;
}

/** `POST /v1/auth`: the body is ignored, and so is any Authorization header. */
export async function issueToken(c: Context<SimHono>): Promise<Response> {
  const clientId = await authenticatedClient(c.env, c.req.header('x-api-key'));
  if (!clientId) return fail(c, 401, MESSAGES.badCredentials);
  const expiresIn = config().tokenTtlSeconds;
  const accessToken = randomAccessToken(clientId, expiresIn);
  tokens.set(accessToken, { clientId, expiresAt: Date.now() + expiresIn * 1000 });
  return ok(c, { accessToken, tokenType: 'Bearer', expiresIn }, 'Authentification réussie');
}

function bearerOf(c: Context): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}

/**
 * Business calls: a valid X-API-KEY (else 401 "Identifiants invalides", even
 * with a good Bearer) and a live token of the same client (else 401 "token
 * expiré"). The early-expiry fault revokes a live token on the spot.
 */
export const requireClient: MiddlewareHandler<SimHono> = async (c, next) => {
  const clientId = await authenticatedClient(c.env, c.req.header('x-api-key'));
  if (!clientId) return fail(c, 401, MESSAGES.badCredentials);
  const bearer = bearerOf(c);
  const token = bearer ? tokens.get(bearer) : undefined;
  if (!bearer || !token || token.clientId !== clientId || token.expiresAt <= Date.now()) {
    return fail(c, 401, MESSAGES.expiredToken);
  }
  if (tokenExpiresEarly()) {
    tokens.delete(bearer);
    return fail(c, 401, MESSAGES.expiredToken);
  }
  await next();
};
