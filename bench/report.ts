/**
 * The generated part of BENCHMARKS.md, from one results file: the goals, the
 * machine, each measurement's tables, and the charts (bench/latency.svg,
 * bench/verify.svg). Figures only: the analysis is hand-written below the
 * marker line of BENCHMARKS.md, and kept as it is when the report is rewritten.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lineChart } from './chart.ts';
import { type CpuUsage, RUNTIME } from './lib/cpu.ts';
import type { ProfileSummary } from './lib/profile.ts';
import { ROOT } from './lib/stack.ts';
import { FREE_PER_DAY, PAID_USD_PER_MILLION, paidCostPer10k } from './measure/capacity.ts';
import { type MeteredRun, sum } from './measure/common.ts';
import type { BenchResults, MeasurementName, Results } from './measure/index.ts';
import { type CpuRow, FREE_CPU_MS } from './measure/invocations.ts';

/** Everything from this line on in BENCHMARKS.md is hand-written and kept. */
export const HAND_WRITTEN = '<!-- Hand-written from here on: npm run bench rewrites only what is above. -->';

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const pct = (cpu: CpuUsage, name: string) => `${f(cpu.percent[name] ?? 0, 0)} %`;

/** A markdown table: header cells separated by ` | `, and each row's cells the same way. */
const table = (head: string, rows: string[]) =>
  [
    head,
    head
      .split('|')
      .map(() => '---')
      .join(' | '),
    ...rows,
  ]
    .map((line) => `| ${line} |`)
    .join('\n');

function runsTable(runs: MeteredRun[]): string {
  const head =
    'Run | Conns | Requests | req/s | p50 ms | p90 ms | p99 ms | max ms | Errors | Worker CPU ms/req';
  return table(
    `${head} | Djomy creates / status calls`,
    runs.map(({ stats: s, runtimeMsPerRequest, djomyCalls: calls }) => {
      const errors = `${s.errors + s.non2xx}${s.non2xx ? ` (${Object.keys(s.statusCodes).join('/')})` : ''}`;
      const { p50, p90, p99, max } = s.latency;
      return (
        `${s.label} | ${s.connections} | ${s.requests} | ${f(s.rps)} | ${ms(p50)} | ${ms(p90)} | ${ms(p99)} | ` +
        `${ms(max)} | ${errors} | ${f(runtimeMsPerRequest, 2)} | ${calls.create} / ${calls.status}`
      );
    }),
  );
}

function cpuTable(runs: [string, CpuUsage][]): string {
  const names = Object.keys(runs[0]?.[1].percent ?? {});
  const rows = names.map((name) => [name, ...runs.map(([, cpu]) => pct(cpu, name))].join(' | '));
  return table(['Process (% of one core)', ...runs.map(([label]) => label)].join(' | '), rows);
}

function profileTables(profile: ProfileSummary | null, error: string | undefined): string {
  if (!profile) return `_No CPU profile: ${error ?? 'not taken'}._`;
  return [
    `CPU profile of the Worker isolate, ${f(profile.seconds)} s, ${profile.samples} samples: busy ` +
      `**${f(profile.busyPercent, 0)} %** of the wall time. Self time, mapped to sources by the bundle's source map:`,
    '',
    table(
      'Area | ms | % of wall time',
      profile.areas.map((a) => `${a.name} | ${f(a.ms, 0)} | ${f(a.percent)}`),
    ),
    '',
    table(
      'Top functions | Source | ms | %',
      profile.functions.map((fn) => `\`${fn.name.replace('\n', '` | ')} | ${f(fn.ms, 0)} | ${f(fn.percent)}`),
    ),
  ].join('\n');
}

type Throughput = NonNullable<Results['ingest']> | NonNullable<Results['checkout']>;

/** Webhook ingest and checkout create: the alternating runs, the median round's ratio and CPU, the ledger, the profile. */
function throughput(r: Throughput, unit: string, ledger: string): string {
  const { median, rounds, runs } = r.comparison;
  const { bareBefore: before, target, bareAfter: after } = median;
  const bareCost = (before.runtimeMsPerRequest + after.runtimeMsPerRequest) / 2;
  return [
    `${r.connections} connections, ${r.seconds} s per run, after a warm-up; bare and ${unit} runs alternate.`,
    '',
    runsTable(runs),
    '',
    `**Throughput ratio ${f(median.ratio, 2)}×**, the median of ${rounds.length} round(s) ` +
      `(${rounds.map((x) => `${f(x.ratio, 2)}×`).join(', ')}): ${f(target.stats.rps)} ${unit}s/s over ` +
      `${f((before.stats.rps + after.stats.rps) / 2)} bare req/s, the mean of the bare runs around it. Worker CPU ` +
      `**${f(target.runtimeMsPerRequest, 2)} ms per ${unit}**, ${f(bareCost, 2)} ms per bare request ` +
      `(${f(target.runtimeMsPerRequest / (bareCost || 1))}×). ${ledger}`,
    '',
    cpuTable([
      ['bare before (median round)', before.cpu],
      [`${unit}s (median round)`, target.cpu],
      ['bare after', after.cpu],
    ]),
    '',
    profileTables(r.profile, r.profileError),
  ].join('\n');
}

function economySection({ economy: r, 'cold-auth': c }: Results): string | null {
  const endpoints = [
    'auth',
    'createGateway',
    'createPayment',
    'confirmOtp',
    'status',
    'listPayments',
  ] as const;
  const parts: string[] = [];
  if (r) {
    const head = ['Flow | Paid | Calls / paid payment', ...endpoints.map((e) => `${e} / paid`)].join(' | ');
    const rows = r.flows.map((flow) => {
      const per = (n: number) => f(n / (flow.paid || 1), 2);
      const hooks = Object.entries(flow.webhooks).filter(([, n]) => n > 0);
      return (
        `${flow.flow} | ${flow.paid}/${flow.payments} | **${f(flow.perPaid, 2)}** | ` +
        `${endpoints.map((e) => per(flow.counters[e])).join(' | ')} | ${f(flow.medianSeconds)} | ` +
        `${f(flow.polls / (flow.payments || 1))} | ${hooks.map(([type, n]) => `${per(n)} ${type}`).join(', ') || '–'}`
      );
    });
    parts.push(
      `${r.flows[0]?.payments} payments per flow driven to paid as a browser would; calls counted by the simulator.`,
      '',
      table(`${head} | Median create→paid s | Polls / payment | Djomy webhooks / paid`, rows),
    );
  }
  if (c) {
    const { p50, p99, max } = c.load.latency;
    parts.push(
      '',
      '**Cold token cache**: a new stack, then every checkout at once, one connection each.',
      '',
      table('Checkouts | `/v1/auth` calls | Created | Gateway creates | p50 ms | p99 ms | max ms', [
        `${c.checkouts} | **${c.counters.auth}** | ${c.created} | ${c.counters.createGateway} | ${ms(p50)} | ${ms(p99)} | ${ms(max)}`,
      ]),
    );
  }
  return parts.length ? parts.join('\n') : null;
}

function verifySection({ verify: r }: Results): string | null {
  if (!r) return null;
  const { cron, webhooks: w, settings } = r;
  const rate = r.jobs / (cron.seconds || 1);
  const inFlight = cron.timeline.map(([, calls, applied]) => calls - applied);
  const meanInFlight = sum(inFlight) / (inFlight.length || 1);
  const firstCall = w.timeline.find(([, , calls]) => calls > 0)?.[0] ?? Number.NaN;
  const gaps = cron.runs.slice(1).map((run, i) => run.triggeredAt - (cron.runs[i]?.doneAt ?? 0));
  const rows = [
    `Paid plan settings | \`WORKERS_PLAN=paid\`; verify queue \`max_batch_size\` ${settings.batchSize ?? '?'}, ` +
      `${settings.concurrency ?? '?'} messages at once; \`cronFollow.perRun\` ${settings.cronBatch} jobs queued; ` +
      `young-payment verifies after ${settings.youngDelays.join(', ')} s`,
    `Open payments | ${r.jobs} created in ${f(r.createSeconds)} s; ${r.latencyMs} ms added to every Djomy call`,
    `Phases, s after the first checkout | ${r.phases.map((p) => `${p.name} at ${f(p.startedAt, 0)} (${f(p.seconds)} s)`).join(', ')}`,
    `Status calls counted / made | ${r.checks.map((c) => `${c.phase} ${c.counted}/${c.expected}`).join(', ')}`,
    `One at a time | mean **${ms(r.single.mean)} ms** over ${r.single.samples} calls (before ` +
      `${ms(r.reference.before.mean)}, after ${ms(r.reference.after.mean)}), p50 ${ms(r.single.p50)}, p90 ` +
      `${ms(r.single.p90)} → ${r.jobs} jobs in **${f(r.oneAtATimeSeconds)} s** (${f(1000 / r.single.mean)} jobs/s)`,
    `Cron-queued | ${cron.eligible} transactions eligible after ageing; ${r.jobs} jobs applied ` +
      `**${f(cron.seconds, 2)} s** after the first trigger (the simulator had answered the last at ` +
      `${f(cron.answeredSeconds ?? Number.NaN, 2)} s); ${cron.verified} verifications over ${cron.distinct} ` +
      `payments, ${cron.statusCalls} status calls`,
    `**Ratio (the goal)** | **${f(r.ratio)}×** (${f(r.oneAtATimeSeconds)} s / ${f(cron.seconds, 2)} s)`,
    `Consumer | ${f(rate)} jobs/s; Djomy calls in flight (counted, not yet applied) mean ${f(meanInFlight)}, ` +
      `max ${Math.max(0, ...inFlight)}; ${f((1000 * meanInFlight) / (rate || 1), 0)} ms each from the simulator to D1 (Little's law)`,
    `Cron handler; harness | ${f(sum(cron.runs.map((run) => run.handlerMs)) / (cron.runs.length || 1), 0)} ms per run; ` +
      `${f((1000 * sum(gaps)) / gaps.length, 0)} ms from a run's last job to the next trigger`,
    `CPU during the cron runs | ${Object.keys(cron.cpu.percent)
      .map((name) => `${name} ${pct(cron.cpu, name)}`)
      .join(', ')}`,
    `End to end from webhooks (for reference) | ${r.jobs} webhooks for ${r.payments} payments answered by ` +
      `${f(w.postedSeconds, 2)} s (${f(w.rates.posting)}/s), first status call at ${f(firstCall, 2)} s, all jobs ` +
      `applied at **${f(w.queuedSeconds, 2)} s** → **${f(w.ratio)}×**; jobs/s while posting ${f(w.rates.whilePosting)}, ` +
      `after ${f(w.rates.drain ?? Number.NaN)}; ${w.verified} verifications, ${w.statusCalls} status calls`,
  ];
  const runs = cron.runs.map(
    (run, i) =>
      `${i + 1} | ${f(run.triggeredAt, 2)} | ${f(run.handlerMs, 0)} | ${f(run.doneAt, 2)} | ` +
      `${f(run.expected / (run.doneAt - run.triggeredAt || 1))} | ${run.verified} of ${run.expected} | ${run.statusCalls}`,
  );
  const runsHead =
    'Cron run | Triggered at s | Handler ms | Last job applied at s | Jobs/s | Payments verified';
  const free = r.free;
  const freeRuns = free?.runs.map(
    (run, i) => `${i + 1} | ${f(run.handlerMs, 0)} | ${run.statusCalls} | ${run.verified}`,
  );
  return [
    '**Paid plan** (`WORKERS_PLAN=paid`): the cron queues verify jobs.',
    '',
    table(' | ', rows),
    '',
    table(`${runsHead} | Status calls`, runs),
    '',
    '![verify timeline](VERIFY_SVG)',
    ...(free && freeRuns
      ? [
          '',
          `**Free plan** (the default): the cron checks up to ${free.limit} open transactions itself each run. ` +
            `${free.backlog} open transactions made a day old, ${free.latencyMs} ms added to every Djomy call, ` +
            `${free.runs.length} runs one after the other${free.beforeYoungChecks ? '' : ' (**the young-payment checks fell within the runs**)'}:`,
          '',
          table('Cron run | Handler ms | Status calls | Transactions checked (D1 verify_count)', freeRuns),
          '',
          `At the schedule \`${free.cron}\` (wrangler.toml): **${free.perMinute ?? '?'} transactions checked a minute, ` +
            `${free.perDay?.toLocaleString('en') ?? '?'} a day**; a backlog of ${r.jobs} open transactions takes ` +
            `${free.perMinute ? f(r.jobs / free.perMinute, 0) : '?'} minutes (${f(cron.seconds, 1)} s queued on the Paid plan above).`,
        ]
      : []),
  ].join('\n');
}

function bundleSection({ bundle: r }: Results): string | null {
  if (!r) return null;
  const rows = (list: typeof r.groups) =>
    list.map((c) => `${c.name} | ${c.bytes} | ${f(c.percent)} | ${f(c.gzipKiB)}`);
  return [
    `\`${r.command}\` (${r.minify ? '`minify = true`' : 'not minified'}), gzipped with node:zlib: ` +
      `**${f(r.gzipKiB)} KiB gzip** (${f(r.rawKiB)} KiB raw)${r.wranglerSays ? `; wrangler: “${r.wranglerSays}”` : ''}. ` +
      '≈ gzip: the gzip size shared in proportion to raw bytes.',
    '',
    table('Contributor (esbuild metafile) | Bytes | % | ≈ gzip KiB', rows(r.groups)),
    '',
    table('Biggest single inputs | Bytes | % | ≈ gzip KiB', rows(r.modules)),
  ].join('\n');
}

function sustainedSection({ sustained: r }: Results): string | null {
  if (!r) return null;
  const { stats } = r.final;
  const probes = r.probes.map(
    ({ rate, run: { stats: s, cpu }, passed }) =>
      `${rate} | ${s.connections} | ${f(s.rps)} | ${ms(s.latency.p50)} | ${ms(s.latency.p99)} | ` +
      `${s.errors + s.non2xx} | ${pct(cpu, RUNTIME)} | ${passed ? 'yes' : 'no'}`,
  );
  return [
    table('Probe req/s | Conns | Served req/s | p50 ms | p99 ms | Errors | Worker CPU | Passed', probes),
    '',
    runsTable([r.final]),
    '',
    `**${f(stats.seconds, 0)} s at ${r.rate} req/s asked, ${f(stats.rps)} served, ${stats.errors + stats.non2xx} ` +
      `errors** (${r.mix.checkouts} checkouts, ${r.mix.polls} polls, ${r.mix.webhooks} webhooks sent` +
      `${r.attempts > 1 ? '; the second long run, at 80 % of the rate the probes found' : ''}). **Ledger:** ` +
      `${r.ledger.paymentsRecorded}/${r.ledger.created} created payments and ` +
      `${r.ledger.eventsRecorded}/${r.ledger.accepted} accepted eventIds in D1.`,
    '',
    cpuTable([['long run', r.final.cpu]]),
  ].join('\n');
}

const ingestSection = ({ ingest: r }: Results) =>
  r &&
  throughput(
    r,
    'webhook',
    `**Ledger:** ${r.ledger.sent} events sent, ${r.ledger.accepted} answered 200, ` +
      `${r.ledger.recorded} of those in D1, **${r.ledger.missing} lost**${r.ledger.overflow ? `, ${r.ledger.overflow} re-sent` : ''}.`,
  );
const checkoutSection = ({ checkout: r }: Results) =>
  r && throughput(r, 'checkout', `**Ledger:** ${r.ledger.created} answered 201, ${r.ledger.recorded} in D1.`);

function cpuSection({ invocations: r, ledger: l }: Results): string | null {
  const rows: CpuRow[] = [
    ...(r?.rows ?? []),
    ...(l?.results.map((x) => ({
      entry: x.name,
      detail: `\`${x.method ?? 'GET'} ${x.route}\` over ${l.payments} payments`,
      ...x.cpu,
    })) ?? []),
  ];
  if (rows.length === 0) return null;
  const verdict = ({ isolate }: CpuRow) =>
    isolate.p99 <= FREE_CPU_MS && isolate.p50 <= FREE_CPU_MS / 2
      ? '✅ within'
      : isolate.p50 <= FREE_CPU_MS / 2
        ? '⚠️ p99 above'
        : '❌ above';
  return [
    'Each entry point invoked one at a time, each from a quiet moment to the next (work after the answer counts). ' +
      '**Isolate** is the time the Worker’s isolate was busy in its V8 CPU profile (sampled every 200 µs through ' +
      'wrangler’s inspector): its JavaScript, the runtime’s work for it and its garbage collection — what the platform ' +
      'bills. **Thread** is the CPU time of the workerd thread that runs it, which locally also runs D1 (SQLite), ' +
      'queues, KV and the rate limiter: an upper bound' +
      `${r ? ` (its idle rate with the profiler on, ${f(r.profiledIdleMsPerSecond, 1)} ms/s, subtracted)` : ''}. This machine's workerd, not Cloudflare's; ` +
      `goal: isolate p99 ≤ ${FREE_CPU_MS} ms and p50 ≤ ${FREE_CPU_MS / 2} ms.` +
      `${r?.restarts ? ` The runtime process was replaced during ${r.restarts} invocation(s), left out.` : ''}`,
    '',
    table(
      'Entry point | What it does | n | Isolate p50 ms | Isolate p99 ms | Thread p50 ms | Thread p99 ms | Verdict',
      rows.map(
        (row) =>
          `${row.entry} | ${row.detail} | ${row.n} | **${f(row.isolate.p50, 1)}** | **${f(row.isolate.p99, 1)}** | ` +
          `${f(row.thread.p50, 1)} | ${f(row.thread.p99, 1)} | ${verdict(row)}`,
      ),
    ),
  ].join('\n');
}

function capacitySection({ capacity: r }: Results): string | null {
  if (!r) return null;
  const names = {
    requests: 'Invocations',
    d1RowsRead: 'D1 rows read',
    d1RowsWritten: 'D1 rows written',
    queueOperations: 'Queue operations',
    kvReads: 'KV reads',
    kvWrites: 'KV writes',
  };
  const keys = Object.keys(FREE_PER_DAY) as (keyof typeof FREE_PER_DAY)[];
  const n = (value: number) => value.toLocaleString('en');
  return [
    `Per paid payment, path by path, counted by \`${r.command}\` through metered bindings; ` +
      'the paid payments a day and the binding limit are the test’s. The Paid plan ($5 a month) includes 10 million ' +
      'requests, 25 billion D1 rows read, 50 million rows written and 1 million queue operations a month: a shop within ' +
      'the Free plan’s figures pays nothing more; the last column is what 10,000 payments cost beyond that.',
    '',
    table(
      `Path | ${keys.map((k) => names[k]).join(' | ')} | Djomy calls | Binds first | Paid payments a day | Paid plan, US$ per 10,000`,
      [
        ...r.paths.map(
          (p) =>
            `${p.path} | ${keys.map((k) => n(p[k])).join(' | ')} | ${p.djomyCalls} | ${names[p.bindingLimit] ?? p.bindingLimit} | **${n(p.perDay)}** | ${paidCostPer10k(p).toFixed(2)}`,
        ),
        `_Free plan quota a day_ | ${keys.map((k) => n(r.quotas[k])).join(' | ')} | – | | | `,
        `_Paid plan, US$ per million beyond the included_ | ${keys.map((k) => PAID_USD_PER_MILLION[k]).join(' | ')} | – | | | `,
      ],
    ),
  ].join('\n');
}

function ledgerSection({ ledger: r }: Results): string | null {
  if (!r) return null;
  return [
    `${r.payments.toLocaleString('en')} paid payments seeded in one statement (${f(r.seedSeconds)} s through ` +
      `\`wrangler d1 execute\`); then each request one at a time, with the admin bearer, after one unmeasured request of each. ` +
      `CSV: **${r.rows.toLocaleString('en')} data rows**; search: ${r.found} payment found (${r.foundByMcp ?? '–'} through MCP).`,
    '',
    table(
      'Request | Runs | Median ms (to the last byte) | p99 ms | Bytes | Isolate CPU p50 ms | Isolate CPU p99 ms',
      r.results.map(
        (x) =>
          `${x.name}: \`${x.method ?? 'GET'} ${x.route}\` | ${x.runs} | **${ms(x.ms.p50)}** | ${ms(x.ms.p99)} | ${x.bytes.toLocaleString('en')} | ` +
          `${f(x.cpu.isolate.p50)} | ${f(x.cpu.isolate.p99)}`,
      ),
    ),
  ].join('\n');
}

function consoleSection({ console: r }: Results): string | null {
  if (!r) return null;
  if (!r.present)
    return '_**Console not present**: public/admin/index.html does not exist in this tree; nothing was loaded._';
  return [
    `First load of \`/admin/\` in headless Chromium (empty cache, no session), until the network was idle: ` +
      `**${f(r.gzipKiB)} KiB gzip** (node:zlib, default level) over ${r.responses.length} responses, ${f(r.rawKiB)} KiB raw; ` +
      `${r.foreign.length} of ${r.requests} requests to another origin${r.foreign.length ? `: ${r.foreign.join(', ')}` : ''}.`,
    '',
    table(
      'Response | Status | Type | Bytes | gzip bytes',
      r.responses.map((x) => `\`${x.url}\` | ${x.status} | ${x.type} | ${x.bytes} | ${x.gzipBytes}`),
    ),
  ].join('\n');
}

function refactorSection({ refactor: r }: Results): string | null {
  if (!r) return null;
  const list = (values: number[]) => values.map((v) => `${f(v, 2)}×`).join(', ');
  return [
    `The ingest and checkout measurements above (${r.rounds} round(s) each), on the tree right before the refactor ` +
      `(${r.commit}) and right after it (${r.after}), ${r.pairs} pair(s) interleaved (before/after, then after/before). ` +
      'Later features weigh on sections 1 and 2, not here.',
    '',
    table(
      `Ratio | ${r.commit} | ${r.after} | Difference | ${r.commit}, each run | ${r.after}, each run`,
      r.figures.map(
        (x) =>
          `${x.what} | ${f(x.before, 2)}× | ${f(x.after, 2)}× | **${x.difference >= 0 ? '+' : ''}${f(x.difference, 2)}** | ` +
          `${list(x.runs.before)} | ${list(x.runs.after)}`,
      ),
    ),
  ].join('\n');
}

/** Each section: its title, the measurements whose goals it shows, and its figures (none when not measured). */
const SECTIONS: [string, MeasurementName[], (results: Results) => string | null | undefined][] = [
  ['1. Webhook ingest', ['ingest'], ingestSection],
  ['2. Checkout create', ['checkout'], checkoutSection],
  ['3. Djomy call economy', ['economy', 'cold-auth'], economySection],
  ['4. Verify throughput', ['verify'], verifySection],
  ['5. Worker bundle', ['bundle'], bundleSection],
  ['6. Sustained load', ['sustained'], sustainedSection],
  ['7. CPU per invocation', ['invocations'], cpuSection],
  ['8. Capacity and cost', ['capacity'], capacitySection],
  ['9. Console ledger: CSV export, search, summary', ['ledger'], ledgerSection],
  ['10. Console first load', ['console'], consoleSection],
  ['11. Before and after the architecture refactor', ['refactor'], refactorSection],
];

function latencyChart(results: Results): string | null {
  const series = [
    ['bare GET (ingest median round)', results.ingest?.comparison.median.bareBefore],
    ['webhook ingest', results.ingest?.comparison.median.target],
    ['bare GET (checkout median round)', results.checkout?.comparison.median.bareBefore],
    ['checkout create', results.checkout?.comparison.median.target],
    ['sustained mix', results.sustained?.final],
  ].filter((s): s is [string, MeteredRun] => s[1] !== undefined);
  if (series.length === 0) return null;
  return lineChart({
    title: 'Latency percentiles (ms), wrangler dev on 127.0.0.1',
    xLabel: 'percentile',
    yLabel: 'latency ms',
    logY: true,
    categories: ['p50', 'p75', 'p90', 'p97.5', 'p99', 'p99.9', 'max'],
    series: series.map(([name, { stats }]) => {
      const { p50, p75, p90, p97_5, p99, p99_9, max } = stats.latency;
      const points = [p50, p75, p90, p97_5, p99, p99_9, max].map((y, x): [number, number] => [x, y]);
      return { name, points };
    }),
  });
}

function verifyChart({ verify: r }: Results): string | null {
  if (!r) return null;
  const end = Math.max(r.cron.seconds, r.webhooks.queuedSeconds);
  const line = (name: string, timeline: number[][], column: number) => {
    const points = timeline.map((row): [number, number] => [row[0] ?? 0, row[column] ?? 0]);
    return { name, points: [[0, 0] as [number, number], ...points] };
  };
  return lineChart({
    title: `Verify: ${r.jobs} jobs at ${r.latencyMs} ms Djomy latency`,
    xLabel: 'seconds since the first cron trigger (cron) or the first webhook posted (webhooks)',
    yLabel: 'jobs',
    series: [
      line('cron: jobs applied', r.cron.timeline, 2),
      line('webhooks: accepted', r.webhooks.timeline, 1),
      line('webhooks: jobs applied', r.webhooks.timeline, 3),
      line('one at a time (projected)', [[end, (end * 1000) / r.single.mean]], 1),
    ],
  });
}

/**
 * Writes BENCHMARKS.md (its generated part) and bench/*.svg, or
 * bench/results/smoke* for a smoke run; returns the files written.
 */
export function writeReport(output: BenchResults): string[] {
  const { machine, results, smoke } = output;
  const at = (full: string, smokeName: string) =>
    path.join(ROOT, smoke ? `bench/results/${smokeName}` : full);
  const markdown = at('BENCHMARKS.md', 'smoke.md');
  const latencyFile = at('bench/latency.svg', 'smoke-latency.svg');
  const verifyFile = at('bench/verify.svg', 'smoke-verify.svg');
  const ref = (file: string) => path.relative(path.dirname(markdown), file);
  const written: string[] = [];
  for (const [file, svg] of [
    [latencyFile, latencyChart(results)],
    [verifyFile, verifyChart(results)],
  ] as const) {
    if (!svg) continue;
    writeFileSync(file, svg);
    written.push(file);
  }
  const goals = SECTIONS.flatMap(([title, names]) =>
    names.flatMap((name) =>
      (results[name]?.goals ?? []).map((goal) => {
        const verdict = goal.info
          ? 'ℹ️ for reference'
          : goal.absent
            ? '⚪ not measured'
            : goal.met
              ? '✅ met'
              : '❌ missed';
        const changed = results[name]?.sourceChanged ? ' ⚠️ src/ changed during the run' : '';
        return `${title.replace(/^\d+\. /, '')} | ${goal.label} | ${goal.target} | ${goal.value} | ${verdict}${changed}`;
      }),
    ),
  );
  const earlier = Object.entries(results)
    .filter(([, r]) => r.measuredAt < output.startedAt)
    .map(([name, r]) => `${name} from ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC`);
  const generated = [
    '# Benchmarks',
    '',
    `_Generated by \`${smoke ? 'npm run bench:smoke' : 'npm run bench'}\` (bench/run.ts) on ` +
      `${output.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${f(output.seconds / 60)} min at commit ` +
      `${machine.commit}${machine.dirty ? ' + uncommitted changes in src/ or config' : ''}` +
      `${smoke ? ', **smoke mode: tiny numbers, not figures**' : ''}. Re-run it to refresh every figure and chart; ` +
      'each throughput goal is a ratio to a reference measured in the same run._',
    ...(earlier.length ? ['', `_Merged with earlier runs (\`--only\`): ${earlier.join(', ')}._`] : []),
    '',
    '## Summary',
    '',
    table('Section | Measurement | Goal | This run | ', goals),
    ...Object.entries(output.failed).map(
      ([name, error]) => `\n**${name} failed:** \`${error.split('\n')[0]}\``,
    ),
    ...(written.includes(latencyFile) ? ['', `![Latency percentiles](${ref(latencyFile)})`] : []),
    '',
    '## Machine and versions',
    '',
    table(' | ', [
      `CPU | ${machine.cpu}, ${machine.cores} cores`,
      `Memory | ${machine.memoryGiB} GiB`,
      `OS | ${machine.os}`,
      `Load average (1 min) before / after | ${f(machine.loadBefore, 2)} / ${f(machine.loadAfter, 2)}`,
      ...Object.entries(machine.versions).map(([name, version]) => `${name} | ${version}`),
    ]),
    ...SECTIONS.flatMap(([title, , render]) => {
      const body = render(results)?.replace('VERIFY_SVG', ref(verifyFile));
      return ['', `## ${title}`, '', body ?? '_Not measured in this run._'];
    }),
    '',
  ].join('\n');
  const previous = !smoke && existsSync(markdown) ? readFileSync(markdown, 'utf8') : '';
  const kept = previous.includes(HAND_WRITTEN)
    ? previous.slice(previous.indexOf(HAND_WRITTEN))
    : `${HAND_WRITTEN}\n`;
  writeFileSync(markdown, `${generated}\n${smoke ? '' : kept}`);
  return [...written, markdown];
}
