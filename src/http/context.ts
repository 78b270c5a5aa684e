/** The Hono environment shared by every route and middleware. */
import type { Context } from 'hono';
import type { DjomyClient } from '../djomy/client.ts';
import type { Env } from '../env.ts';
import type { Logger } from '../lib/log.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { problems } from './problem.ts';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    deps: PaymentDeps;
  };
}

export type AppContext = Context<AppEnv>;

/** The Worker's own origin: `PUBLIC_URL`, else the origin this request reached. */
export function publicOrigin(c: AppContext): string {
  return c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
}

/** The Djomy client, or a 503 naming the missing settings (routes behind `requireDjomy` always have one). */
export function djomyClient(c: AppContext): DjomyClient {
  const { djomy } = c.var.deps;
  if (!djomy) throw problems.misconfigured(['DJOMY_CLIENT_ID', 'DJOMY_CLIENT_SECRET']);
  return djomy;
}
