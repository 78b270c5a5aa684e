/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time.
 * Without a usable ADMIN_TOKEN the admin API is closed (503), never open.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqualText } from '../../lib/crypto.ts';
import type { AppEnv } from '../context.ts';
import { problems } from '../problem.ts';

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.var.deps.config.adminToken;
  if (!expected) throw problems.misconfigured(['ADMIN_TOKEN']);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  if (!match || !timingSafeEqualText(match[1] as string, expected)) throw problems.unauthorized();
  return next();
});
