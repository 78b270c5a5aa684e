/**
 * 9. The console over a big ledger: N paid payments seeded into the stack's
 * local D1 in one statement (ids of the payment id pattern, created over the
 * last 20 days, references with a comma and quotes, as in
 * test/budgets/free-plan.test.ts), then, one request at a time with the admin
 * bearer:
 *
 * - `GET /api/admin/payments.csv`: every payment, streamed (time to the last
 *   byte, bytes, data rows);
 * - `GET /api/admin/payments?q=<7 digits>&limit=100`: a search by the last
 *   digits of a payer's phone that matches one payment, so D1 reads them all;
 * - the same search through MCP: `POST /mcp`, `tools/call list_payments`
 *   with the same `q` and `limit` (JSON-RPC, the admin bearer), right after;
 * - `GET /api/admin/summary?days=30`.
 *
 * Each request's CPU is measured like the other invocations (invocations.ts):
 * the isolate's from its V8 profile, and the Worker thread's, a local upper
 * bound that here includes the SQLite work of the local D1.
 */
import { type BenchContext, goal } from '../context.ts';
import { adminHeaders } from '../lib/api.ts';
import { invocationMeter } from '../lib/cpu.ts';
import { d1 } from '../lib/stack.ts';
import { cpuPercentiles, FREE_CPU_MS, percentiles } from './invocations.ts';

const DAY = 86_400_000;

export async function measureLedger(ctx: BenchContext) {
  const { payments, exports, requests } = ctx.sizes.ledger;
  // Fresh even in smoke mode: the other measurements must not meet this ledger.
  const stack = await ctx.stack('ledger', { fresh: true });
  try {
    ctx.log(`ledger: seeding ${payments} paid payments`);
    const at = Date.now() - 20 * DAY;
    const step = Math.floor((20 * DAY) / payments);
    const seeded = performance.now();
    await d1(
      stack,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${payments})
       INSERT INTO payments (id, flow, status, paid, amount, currency, country_code, payment_method, payer_phone,
         reference, transaction_id, paid_at, expires_at, created_at, updated_at)
       SELECT 'pay_' || replace(replace(replace(replace(printf('%032d', i), '0', 'a'), '1', 'b'), '8', 'c'), '9', 'd'),
         'gateway', 'SUCCESS', 1, 1000 + i, 'GNF', 'GN', 'OM', '0022462' || printf('%07d', i),
         'Réf. ' || i || ', "lot"', 'tx-bulk-' || i, ${at} + i * ${step}, ${at} + i * ${step},
         ${at} + i * ${step}, ${at} + i * ${step}
       FROM n`,
    );
    const seedSeconds = (performance.now() - seeded) / 1000;
    const meter = await invocationMeter(stack);

    /** One admin request (a GET, or a POST of `body`), timed to its last byte, and its CPU. */
    const get = async (route: string, body?: unknown) => {
      let [ms, text, status] = [0, '', 0];
      const cpu = await meter.measure(async () => {
        const started = performance.now();
        const response = await fetch(`${stack.workerUrl}${route}`, {
          headers: {
            ...adminHeaders(stack),
            ...(body
              ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
              : {}),
          },
          ...(body ? { method: 'POST', body: JSON.stringify(body) } : {}),
        });
        [text, status] = [await response.text(), response.status];
        ms = performance.now() - started;
      });
      if (status !== 200) throw new Error(`${route}: ${status} ${text.slice(0, 200)}`);
      return { ms, cpu, body: text };
    };
    const series = async (name: string, route: string, count: number, body?: unknown) => {
      ctx.log(`ledger: ${count} × ${body ? 'POST' : 'GET'} ${route}`);
      const runs = [];
      for (let i = 0; i < count; i++) runs.push(await get(route, body));
      const last = runs.at(-1)?.body ?? '';
      return {
        name,
        method: body ? 'POST' : 'GET',
        route,
        runs: count,
        ms: percentiles(runs.map((r) => r.ms)),
        cpu: cpuPercentiles(runs.map((r) => r.cpu)),
        bytes: new TextEncoder().encode(last).length,
        last,
      };
    };

    // One request of each first, not counted: the isolate's first use of each route.
    const digits = String(Math.floor(payments / 2)).padStart(7, '0');
    const routes = {
      csv: '/api/admin/payments.csv',
      search: `/api/admin/payments?q=${digits}&limit=100`,
      summary: '/api/admin/summary?days=30',
    };
    const listPayments = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'list_payments', arguments: { q: digits, limit: 100 } },
    };
    for (const route of Object.values(routes)) await get(route);
    await get('/mcp', listPayments);
    const csv = await series('CSV export', routes.csv, exports);
    const search = await series('List searched by phone digits', routes.search, requests);
    const mcp = await series('The same search, MCP tools/call list_payments', '/mcp', requests, listPayments);
    const summary = await series('Summary of 30 days', routes.summary, requests);
    const rows = csv.last.split('\r\n').filter(Boolean).length - 1;
    const found = (JSON.parse(search.last) as { payments: unknown[] }).payments.length;
    type ToolResult = { result?: { structuredContent?: { payments?: unknown[] } } };
    const foundByMcp = (JSON.parse(mcp.last) as ToolResult).result?.structuredContent?.payments?.length ?? 0;
    const results = [csv, search, mcp, summary].map(({ last, ...rest }) => rest);
    meter.close();
    const cpuOver = results.filter((r) => r.cpu.isolate.p99 > FREE_CPU_MS).map((r) => r.name);
    return {
      ...{ payments, seedSeconds, rows, found, foundByMcp, results },
      goals: [
        goal(
          `CSV export of ${payments} payments: every row, one request`,
          `${payments} rows`,
          `${rows} rows, ${(csv.bytes / 1024).toFixed(0)} KiB, median ${csv.ms.p50.toFixed(0)} ms to the last byte`,
          rows === payments,
        ),
        goal(
          `Search of ${payments} payments by phone digits`,
          '1 payment',
          `${found}, median ${search.ms.p50.toFixed(0)} ms`,
          found === 1,
        ),
        goal(
          'The same search through MCP (tools/call list_payments), beside the admin API',
          '1 payment, for reference',
          `${foundByMcp}, median ${mcp.ms.p50.toFixed(0)} ms (admin API ${search.ms.p50.toFixed(0)} ms)`,
          foundByMcp === 1,
        ),
        goal(
          'CPU per invocation, p99 of the CSV export, the search and the summary (the Worker isolate, from its V8 profile)',
          `≤ ${FREE_CPU_MS} ms`,
          results.map((r) => `${r.name} ${r.cpu.isolate.p99.toFixed(1)} ms`).join(', '),
          cpuOver.length === 0,
        ),
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
