/** The Hono environment shared by every route and middleware. */
import type { Context } from 'hono';
import type { Env } from '../env.ts';
import type { Logger } from '../lib/log.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import type { Role } from '../payments/views.ts';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    deps: PaymentDeps;
  };
}

export type AppContext = Context<AppEnv>;

/** Under `/api/admin`: who is asking, set by the admin sign-in check (src/http/middleware/admin-auth.ts). */
export interface AdminEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { role: Role };
}

export type AdminContext = Context<AdminEnv>;

/** Builds the use cases' dependencies for one request (src/deps.ts in the Worker, anything in tests). */
export type DepsFactory = (env: Env, log: Logger, ctx: Pick<ExecutionContext, 'waitUntil'>) => PaymentDeps;

/** The Worker's own origin: `PUBLIC_URL`, else the origin this request reached. */
export function publicOrigin(c: AppContext): string {
  return c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
}
