/** Routes that call Djomy answer 503, naming the missing settings, when the Djomy settings are unusable. */
import { createMiddleware } from 'hono/factory';
import { loadConfig } from '../../env.ts';
import type { AppEnv } from '../context.ts';
import { problems } from '../problem.ts';

const DJOMY_SETTINGS = new Set(['DJOMY_BASE_URL', 'DJOMY_CLIENT_ID', 'DJOMY_CLIENT_SECRET', 'PUBLIC_URL']);

export const requireDjomy = createMiddleware<AppEnv>(async (c, next) => {
  const blocking = loadConfig(c.env).problems.filter((p) => DJOMY_SETTINGS.has(p.setting));
  if (!c.var.deps.djomy || blocking.length > 0) {
    throw problems.misconfigured(blocking.map((p) => p.setting));
  }
  return next();
});
