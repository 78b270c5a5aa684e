/**
 * Admin: the ledger as a whole, for the console's *Today* and *Counter*
 * pages: revenue per day and what needs a human, and the payments verified
 * since a cursor (src/payments/ledger.ts).
 */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { ledgerSummary, paymentsVerifiedSince } from '../../../payments/ledger.ts';
import { fromQuery, SummaryRequest } from '../../../payments/model/payment-filter.ts';
import { parseWith } from '../../body.ts';
import type { AdminContext, AdminEnv } from '../../context.ts';
import type { RouteSpec } from '../../spec.ts';

/** How many days back, today included (the MCP tool `payments_summary` takes the same). */
export const SummaryQuery = SummaryRequest;

export const LiveQuery = z.strictObject({
  /** The `cursor` of the previous answer; without it, none and where to start. */
  after: z.optional(z.int().check(z.gte(0))),
});

async function summaryRoute(c: AdminContext) {
  const { days } = parseWith(SummaryQuery, fromQuery(c.req.query(), { numbers: ['days'] }));
  return c.json(await ledgerSummary(c.var.deps, days));
}

async function liveRoute(c: AdminContext) {
  const { after } = parseWith(LiveQuery, fromQuery(c.req.query(), { numbers: ['after'] }));
  c.header('Cache-Control', 'no-store');
  return c.json(await paymentsVerifiedSince(c.var.deps, after));
}

export const adminSummary = new Hono<AdminEnv>().get('/summary', summaryRoute).get('/live', liveRoute);

const adminErrors = {
  400: { description: 'Invalid query' },
  401: { description: 'No valid token or session' },
  429: { description: 'Too many admin requests from this IP' },
};

export const adminSummarySpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/summary',
    tag: 'Admin',
    admin: true,
    summary: 'Paid payments per day and currency, totals, and what needs attention',
    description:
      'Days are UTC (Guinea time) and count payments by the moment they were paid. `attention`: flagged payments, duplicate charges, dead letters of the period, payments still open past their expiry.',
    query: SummaryQuery,
    responses: { 200: { description: '`{from, to, days, totals, attention}`' }, ...adminErrors },
  },
  {
    method: 'get',
    path: '/api/admin/live',
    tag: 'Admin',
    admin: true,
    summary: 'Payments verified as paid since a cursor (the counter page polls it)',
    description:
      'Without `after`: no payments and the cursor to start from. Then each answer gives the payments paid after `after`, oldest first (at most 50), and the next cursor.',
    query: LiveQuery,
    responses: { 200: { description: '`{payments, cursor}`' }, ...adminErrors },
  },
];
