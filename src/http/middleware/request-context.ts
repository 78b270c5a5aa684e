/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane),
 * a logger carrying it, and the use-case dependencies; echoes the id on
 * every response.
 */
import { createMiddleware } from 'hono/factory';
import { randomId } from '../../lib/ids.ts';
import { createLogger } from '../../lib/log.ts';
import type { AppEnv, DepsFactory } from '../context.ts';

const SANE_REQUEST_ID = /^[\w.:-]{8,64}$/;

export function requestContext(buildDeps: DepsFactory) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomId('req_', 10);
    const log = createLogger({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('deps', buildDeps(c.env, log, c.executionCtx));
    await next();
    // No access log line of our own: the Workers runtime (observability) and
    // `wrangler dev` already record each request; ours cost ~10 % of a webhook's CPU.
    c.header('X-Request-Id', requestId);
  });
}
