/** Admin: jobs that exhausted their retries or met a configuration problem, with their last error. */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { listDeadLetters } from '../../../store/dead-letters.ts';
import { parseWith } from '../../body.ts';
import type { AppContext, AppEnv } from '../../context.ts';
import type { RouteSpec } from '../../spec.ts';

const Numeric = (max: number) =>
  z
    .pipe(z.string().check(z.regex(/^\d{1,12}$/)), z.transform(Number))
    .check(z.refine((n) => n >= 1 && n <= max, `between 1 and ${max}`));

export const DeadLetterQuery = z.strictObject({
  limit: z._default(Numeric(100), 50),
  before: z.optional(Numeric(Number.MAX_SAFE_INTEGER)),
});

async function listDeadLettersRoute(c: AppContext) {
  const query = parseWith(DeadLetterQuery, c.req.query());
  const letters = await listDeadLetters(c.var.deps.db, query);
  const last = letters.at(-1);
  return c.json({
    deadLetters: letters,
    nextBefore: letters.length === query.limit && last ? last.id : null,
  });
}

export const adminDeadLetters = new Hono<AppEnv>().get('/', listDeadLettersRoute);

export const adminDeadLetterSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/dead-letters',
    tag: 'Admin',
    admin: true,
    summary: 'Verify or notify jobs that exhausted their retries, newest first',
    query: DeadLetterQuery,
    responses: {
      200: { description: '`{deadLetters, nextBefore}`' },
      401: { description: 'Missing or wrong admin token' },
    },
  },
];
