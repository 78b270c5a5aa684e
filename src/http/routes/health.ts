/**
 * `GET /healthz`: D1 reachability, configuration problems (which make it 503)
 * and warnings (which do not), naming settings, never their values.
 */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { loadConfig } from '../../env.ts';
import { incidentsSince } from '../../lib/incidents.ts';
import { d1Reachable } from '../../store/health.ts';
import type { AppContext, AppEnv } from '../context.ts';
import type { RouteSpec } from '../spec.ts';

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  d1: z.enum(['ok', 'unreachable']),
  problems: z.array(z.object({ setting: z.string(), problem: z.string() })),
  warnings: z.array(z.object({ setting: z.string(), problem: z.string() })),
  /** D1 or a queue refused this isolate in the last minutes (e.g. a daily quota of the Free plan spent). */
  incidents: z.array(z.object({ binding: z.enum(['d1', 'queue']), at: z.string(), error: z.string() })),
});

/** How long a refused write or send keeps `/healthz` degraded. */
const INCIDENT_WINDOW = 10 * 60_000;

async function healthRoute(c: AppContext) {
  const d1 = (await d1Reachable(c.env.DB)) ? 'ok' : 'unreachable';
  const { problems, warnings } = loadConfig(c.env);
  const incidents = incidentsSince(Date.now() - INCIDENT_WINDOW).map((incident) => ({
    ...incident,
    at: new Date(incident.at).toISOString(),
  }));
  const ok = d1 === 'ok' && problems.length === 0 && incidents.length === 0;
  c.header('Cache-Control', 'no-store');
  return c.json({ status: ok ? 'ok' : 'degraded', d1, problems, warnings, incidents }, ok ? 200 : 503);
}

export const health = new Hono<AppEnv>().get('/', healthRoute);

export const healthSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'D1 reachability and configuration problems',
    responses: {
      200: { description: 'Healthy', schema: Health },
      503: {
        description: 'Degraded: D1 unreachable, settings missing, or D1 or a queue refused lately',
        schema: Health,
      },
    },
  },
];
