/**
 * The benchmarks' smoke mode (`node bench/run.ts --smoke`): every
 * measurement for a few seconds with small numbers, through the same code as
 * `npm run bench`, on its own stacks (ports 8771–8774 or BENCH_PORT − 6…3, state under
 * bench/.state/), writing bench/results/smoke.* and never BENCHMARKS.md.
 * It checks that each measurement produced numbers without errors, not
 * how fast anything was: this machine's speed is not a test result.
 */
import { describe, expect, it } from 'vitest';
import { failures } from '../../bench/lib/load.ts';
import { type BenchResults, runBench } from '../../bench/run.ts';

describe('bench smoke mode', () => {
  let output: BenchResults;

  it('runs every measurement', async () => {
    output = await runBench({ smoke: true, log: () => {} });
    expect(output.failed).toEqual({});
    expect(Object.keys(output.results).sort()).toEqual(
      [
        'bundle',
        'capacity',
        'checkout',
        'cold-auth',
        'console',
        'economy',
        'ingest',
        'invocations',
        'ledger',
        'refactor',
        'sustained',
        'verify',
      ].sort(),
    );
  }, 900_000);

  it('ingests signed webhooks without errors and loses none', () => {
    const ingest = output.results.ingest;
    expect(ingest).toBeDefined();
    if (!ingest) return;
    const { median } = ingest.comparison;
    expect(median.target.stats.requests).toBeGreaterThan(0);
    expect(median.bareBefore.stats.rps).toBeGreaterThan(0);
    expect(median.ratio).toBeGreaterThan(0);
    for (const run of ingest.comparison.runs) expect(failures(run.stats)).toBe(0);
    expect(ingest.ledger.accepted).toBeGreaterThan(0);
    expect(ingest.ledger.missing).toBe(0);
  });

  it('creates checkouts without errors, all in the ledger', () => {
    const checkout = output.results.checkout;
    expect(checkout).toBeDefined();
    if (!checkout) return;
    const { median } = checkout.comparison;
    expect(median.target.stats.requests).toBeGreaterThan(0);
    expect(median.ratio).toBeGreaterThan(0);
    for (const run of checkout.comparison.runs) expect(failures(run.stats)).toBe(0);
    expect(checkout.ledger.created).toBeGreaterThan(0);
    expect(checkout.ledger.missing).toBe(0);
    // Every answered checkout made its Djomy create during its run, and the simulator counted it.
    expect(median.target.djomyCalls?.create).toBeGreaterThanOrEqual(median.target.stats.requests);
  });

  it('counts Djomy calls for paid payments in both flows', () => {
    const economy = output.results.economy;
    expect(economy?.flows.map((f) => f.flow)).toEqual(['gateway', 'direct']);
    for (const flow of economy?.flows ?? []) {
      expect(flow.paid).toBe(flow.payments);
      expect(flow.perPaid).toBeGreaterThan(0);
      expect(Number.isFinite(flow.perPaid)).toBe(true);
    }
    const cold = output.results['cold-auth'];
    expect(cold?.created).toBe(cold?.checkouts);
    expect(cold ? failures(cold.load) : -1).toBe(0);
    expect(cold?.counters.auth).toBeGreaterThan(0);
  });

  it('processes every queued verify job', () => {
    const verify = output.results.verify;
    expect(verify).toBeDefined();
    if (!verify) return;
    expect(failures(verify.webhooks.post)).toBe(0);
    expect(verify.cron.statusCalls).toBeGreaterThanOrEqual(verify.jobs);
    expect(verify.cron.verified).toBeGreaterThanOrEqual(verify.jobs);
    expect(verify.single.mean).toBeGreaterThan(0);
    expect(verify.ratio).toBeGreaterThan(0);
    // The Free plan's cron checks its bound of transactions in each run, itself.
    for (const run of verify.free.runs) expect(run.verified).toBe(verify.free.limit);
  });

  it('measures the CPU of every entry point, one invocation at a time', () => {
    const rows = [...(output.results.invocations?.rows ?? []), ...(output.results.ledger?.results ?? [])];
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of output.results.invocations?.rows ?? []) {
      expect(row.n, row.entry).toBeGreaterThan(0);
      expect(row.isolate.p50, row.entry).toBeGreaterThan(0);
      expect(Number.isFinite(row.thread.p50), row.entry).toBe(true);
    }
  });

  it('exports, searches and sums up a seeded ledger', () => {
    const ledger = output.results.ledger;
    expect(ledger?.rows).toBe(ledger?.payments);
    expect(ledger?.found).toBe(1);
  });

  it('reads the capacity test’s figures, path by path', () => {
    const capacity = output.results.capacity;
    expect(capacity?.paths.length).toBeGreaterThan(0);
    for (const path of capacity?.paths ?? []) expect(path.perDay).toBeGreaterThan(0);
  });

  it('loads the console, or says plainly that it is not there', () => {
    const console = output.results.console;
    if (console?.present) expect(console.responses.length).toBeGreaterThan(0);
    else expect(console?.goals.every((goal) => goal.absent && !goal.met)).toBe(true);
  });

  it('compares the ratios before and after the architecture refactor', () => {
    const figures = output.results.refactor?.figures ?? [];
    expect(figures.map((f) => f.what)).toEqual(['ingest', 'checkout']);
    for (const f of figures) expect(Math.min(f.before, f.after)).toBeGreaterThan(0);
  });

  it('sizes the bundle', () => {
    const bundle = output.results.bundle;
    expect(bundle?.gzipKiB).toBeGreaterThan(0);
    expect(bundle?.groups.length).toBeGreaterThan(0);
  });

  it('sustains mixed traffic without errors and loses nothing', () => {
    const sustained = output.results.sustained;
    expect(sustained).toBeDefined();
    if (!sustained) return;
    expect(sustained.rate).toBeGreaterThan(0);
    expect(failures(sustained.final.stats)).toBe(0);
    expect(sustained.ledger.created).toBeGreaterThan(0);
    expect(sustained.ledger.paymentsRecorded).toBe(sustained.ledger.created);
    expect(sustained.ledger.eventsRecorded).toBe(sustained.ledger.accepted);
  });
});
