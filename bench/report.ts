/**
 * BENCHMARKS.md from a results file: the machine and versions, the commands,
 * one section per measurement with its figures against its goal, what limits
 * it, and the latency chart (bench/latency.svg, drawn by bench/chart.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lineChart } from './chart.ts';
import type { Goal } from './context.ts';
import type { CpuUsage } from './lib/cpu.ts';
import type { ProfileSummary } from './lib/profile.ts';
import { BARE_PATH, type Comparison, type MeteredRun, RUNTIME } from './measure/common.ts';
import type { BenchResults, Results } from './run.ts';

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function runRows(runs: MeteredRun[]): string {
  return table(
    [
      'Run',
      'Conns',
      'Requests',
      'req/s',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'Errors',
      'Worker CPU ms/req',
      'Djomy creates / status calls',
    ],
    runs.map(({ stats, runtimeMsPerRequest, djomyCalls }) => [
      stats.label,
      stats.connections,
      stats.requests,
      fixed(stats.rps),
      ms(stats.latency.p50),
      ms(stats.latency.p90),
      ms(stats.latency.p99),
      ms(stats.latency.max),
      `${stats.errors + stats.non2xx}${stats.non2xx ? ` (${Object.keys(stats.statusCodes).join('/')})` : ''}`,
      fixed(runtimeMsPerRequest, 2),
      djomyCalls ? `${djomyCalls.create} / ${djomyCalls.status}` : '–',
    ]),
  );
}

function cpuTable(runs: { label: string; cpu: CpuUsage }[]): string {
  const names = Object.keys(runs[0]?.cpu.percent ?? {});
  return table(
    ['Process (% of one core)', ...runs.map((r) => r.label)],
    names.map((name) => [name, ...runs.map((r) => `${fixed(r.cpu.percent[name] ?? 0, 0)} %`)]),
  );
}

function profileSection(profile: ProfileSummary | null, error: string | undefined, what: string): string {
  if (!profile) return `_No CPU profile: ${error ?? 'not taken'}._`;
  const areas = profile.areas.slice(0, 10);
  return [
    `CPU profile of the Worker isolate during ${fixed(profile.seconds)} s of ${what} (${profile.samples} samples, ` +
      `V8 sampling profiler through the wrangler inspector; self time, attributed to sources with the bundle's source map). ` +
      `The isolate was busy **${fixed(profile.busyPercent, 0)} %** of the wall time.`,
    '',
    table(
      ['Self time by area', 'ms', '% of wall time'],
      areas.map((a) => [a.name, fixed(a.ms, 0), fixed(a.percent)]),
    ),
    '',
    table(
      ['Top functions (self)', 'Source', 'ms', '%'],
      profile.functions
        .slice(0, 10)
        .map((f) => [`\`${f.name}\``, f.source || '–', fixed(f.ms, 0), fixed(f.percent)]),
    ),
  ].join('\n');
}

/** Which resource a closed-loop run used up, from the CPU table: the isolate's one thread, or the machine's cores. */
function bottleneck(run: MeteredRun): string {
  const p = run.cpu.percent;
  const runtime = (p[RUNTIME] ?? 0) / 100;
  const capacity = run.cpu.cores * 100;
  const machine = (p['Machine (all)'] ?? 0) / capacity;
  const parts = Object.entries(p)
    .filter(([name]) => name !== 'Machine (all)')
    .map(([name, value]) => `${name.replace(/ \(.*\)$/, '')} ${fixed(value, 0)} %`)
    .join(', ');
  if (Math.max(runtime, machine) < 0.75) {
    return (
      `waiting rather than CPU (Worker runtime ${fixed(runtime * 100, 0)} %, machine ${fixed(machine * capacity, 0)} % ` +
      `of ${capacity} %): with ${run.stats.connections} connections in a closed loop, throughput ≈ connections / latency`
    );
  }
  return runtime >= machine
    ? `the Worker isolate: its runtime used ${fixed(runtime * 100, 0)} % of its one thread (${parts})`
    : `the machine’s CPU: ${fixed(machine * capacity, 0)} % of ${capacity} % busy (${parts})`;
}

/** Reads a throughput comparison: which resource each run used up, and the CPU cost per request. */
function throughputLimits(
  name: string,
  bare: MeteredRun,
  target: MeteredRun,
  profile: ProfileSummary | null,
): string[] {
  const lines = [
    `- The bare route was limited by ${bottleneck(bare)}.`,
    `- The ${name} run was limited by ${bottleneck(target)}.`,
    `- The Worker runtime spent **${fixed(target.runtimeMsPerRequest, 2)} ms of CPU per ${name}** against ` +
      `${fixed(bare.runtimeMsPerRequest, 2)} ms per bare request (${fixed(target.runtimeMsPerRequest / (bare.runtimeMsPerRequest || 1))}×). ` +
      'workerd runs a Worker’s requests on one thread, so once the isolate is the bottleneck the throughput ratio ' +
      'tends to the inverse of that cost ratio; while the bare route is held back by wrangler’s proxy and the shared ' +
      'cores, the ratio is flattered a little.',
  ];
  if (profile) {
    const top = profile.areas
      .slice(0, 4)
      .map((a) => `${a.name} ${fixed(a.percent, 0)} %`)
      .join(', ');
    lines.push(`- Where the isolate's time went (profile, % of wall time): ${top}.`);
  }
  return lines;
}

function goalsTable(results: Results): string {
  const rows: string[][] = [];
  const sections: [keyof Results, string][] = [
    ['ingest', '1'],
    ['checkout', '2'],
    ['economy', '3'],
    ['cold-auth', '3'],
    ['verify', '4'],
    ['bundle', '5'],
    ['sustained', '6'],
  ];
  for (const [name, section] of sections) {
    const result = results[name] as { goals: Goal[]; sourceChanged?: boolean } | undefined;
    const warning = result?.sourceChanged ? ' ⚠️ src/ changed during the run' : '';
    for (const goal of result?.goals ?? [])
      rows.push([
        section,
        goal.label,
        goal.target,
        goal.value,
        `${goal.info ? 'ℹ️ for reference' : goal.met ? '✅ met' : '❌ missed'}${warning}`,
      ]);
  }
  return table(['§', 'Measurement', 'Goal', 'This run', ''], rows);
}

/** The ratio line of a bare-vs-target comparison: the median round, and every round. */
function ratioLine(comparison: Comparison, unit: string): string {
  const { median, rounds } = comparison;
  const bare = (median.bareBefore.stats.rps + median.bareAfter.stats.rps) / 2;
  const all = rounds.map((r) => `${fixed(r.ratio, 2)}×`).join(', ');
  return (
    `**Throughput ratio: ${fixed(median.ratio, 2)}×**, the median of ${rounds.length} round` +
    `${rounds.length === 1 ? '' : `s (${all})`}: in that round ${fixed(median.target.stats.rps)} ${unit}/s over ` +
    `${fixed(bare)} bare req/s, the mean of the bare runs just before and after it.`
  );
}

function ingestSection(results: Results): string {
  const r = results.ingest;
  if (!r) return '_Not measured in this run._';
  return [
    `${r.connections} connections, ${r.seconds} s per run, after a warm-up; bare and webhook runs alternate ` +
      `(bare, webhooks, bare, …) and each webhook run is compared with the bare runs on either side of it. ` +
      `Each webhook is a distinct V2 \`payment.success\` event ` +
      `(unique \`eventId\`), signed \`X-Webhook-Signature: v1:<hex HMAC-SHA256(raw body, DJOMY_CLIENT_SECRET)>\` with ` +
      `\`signWebhookBody\` from src/djomy/signature.ts, all signed before the run and handed out one per request. ` +
      `The bare route is \`GET ${BARE_PATH}\`, which answers \`{status:'ok'}\` through the same app-wide middleware ` +
      `(request id, logger, dependencies) and does nothing else. The events name payments already paid in ` +
      `the ledger, so the verify jobs they enqueue (processed meanwhile by the same isolate) cost one D1 read and no Djomy call.`,
    '',
    runRows(r.comparison.runs),
    '',
    `${ratioLine(r.comparison, 'webhooks')} ` +
      `**Ledger:** ${r.ledger.sent} events sent, ${r.ledger.accepted} answered 200, ${r.ledger.recorded} of those found in D1 ` +
      `(\`wrangler d1 execute DB --local\`), **${r.ledger.missing} lost**` +
      `${r.ledger.overflow ? `; ${r.ledger.overflow} requests re-sent an event because the pool ran dry` : ''}.`,
    '',
    cpuTable([
      { label: 'bare (median round)', cpu: r.comparison.median.bareBefore.cpu },
      { label: 'webhooks (median round)', cpu: r.comparison.median.target.cpu },
    ]),
    '',
    '**What limits it**',
    '',
    ...throughputLimits('webhook', r.comparison.median.bareBefore, r.comparison.median.target, r.profile),
    '- Per webhook the Worker makes 2 binding calls (the dedupe `INSERT … ON CONFLICT DO NOTHING` in D1, one ' +
      '`VERIFY_QUEUE.send`), and checks one HMAC; the bare route makes no binding call. Neither writes a log line.',
    ...(r.comparison.median.ratio < 0.5
      ? [
          '- Below the goal: the extra cost is the binding calls and logging above (see the profile); with local D1 ' +
            'and the queue broker on the same 2 cores, every binding call also costs CPU in other processes.',
        ]
      : []),
    '',
    profileSection(r.profile, r.profileError, 'webhook ingest'),
  ].join('\n');
}

/** How far a missed bare-ratio goal is, in the isolate's CPU per request, and the spread of the run's rounds. */
function checkoutShortfall(comparison: Comparison, goal: number): string {
  const { median, rounds } = comparison;
  const target = median.target;
  const bare = (median.bareBefore.stats.rps + median.bareAfter.stats.rps) / 2;
  const busy = target.cpu.percent[RUNTIME] ?? 0;
  const needed = goal * bare;
  // At the same occupancy of the isolate, CPU per checkout that would serve `needed` per second.
  const cpuNeeded = needed > 0 ? (busy * 10) / needed : 0;
  const ratios = rounds.map((round) => round.ratio);
  return (
    `- Below the goal: the median round served ${fixed(target.stats.rps)} checkouts/s with the isolate ` +
    `${fixed(busy, 0)} % busy at ${fixed(target.runtimeMsPerRequest, 2)} ms of CPU each; ${goal}× its bare rate ` +
    `(${fixed(bare)} req/s) is ${fixed(needed)}/s, which at the same occupancy needs at most ` +
    `${fixed(cpuNeeded, 2)} ms per checkout, ${fixed(target.runtimeMsPerRequest - cpuNeeded, 2)} ms ` +
    `(${fixed((100 * (target.runtimeMsPerRequest - cpuNeeded)) / (target.runtimeMsPerRequest || 1), 0)} %) less. ` +
    `This run’s rounds spread from ${fixed(Math.min(...ratios), 2)}× to ${fixed(Math.max(...ratios), 2)}×` +
    (Math.max(...ratios) >= goal
      ? ', so the goal lies within the round-to-round spread on this machine: the figure sits at the threshold.'
      : '.')
  );
}

/** The young-payment checks that fell into the median round's runs (the runs table's last column). */
function youngChecks(comparison: Comparison): string[] {
  const { bareBefore, target, bareAfter } = comparison.median;
  const status = (run: MeteredRun) => run.djomyCalls?.status ?? 0;
  if (!target.djomyCalls) return [];
  return [
    `- The same isolate also runs the young-payment checks each checkout queues (15 s later, then 30 s, 60 s, … ` +
      `while the payment is open: src/payments/lifetimes.ts), so earlier runs' payments are checked during later ` +
      `runs, bare and checkout alike: in the median round ${status(target)} Djomy status calls fell into the ` +
      `checkout run (besides its ${target.djomyCalls.create} creates) and ${status(bareBefore)} and ` +
      `${status(bareAfter)} into the bare runs around it. That is a checkout's real follow-up work, left in. ` +
      `A Worker without the verify consumer, tried to keep it out, made every local queue \`send\` dearer ` +
      `(tried in §1, 2 × 3 rounds each way: about 4.0 against 3.2 ms of Worker CPU per webhook), so it would ` +
      `measure something else.`,
  ];
}

function checkoutSection(results: Results): string {
  const r = results.checkout;
  if (!r) return '_Not measured in this run._';
  return [
    `${r.connections} connections, ${r.seconds} s per run, after a warm-up; bare and checkout runs alternate as in §1. ` +
      'Each request creates a gateway payment for two ' +
      `catalog lines (pricing from D1, payment + event + idempotency key written in one D1 batch, token from the cache, ` +
      `\`POST /v1/payments/gateway\` at the simulator, the Djomy answer written back, the first verify queued), with its own ` +
      `\`Idempotency-Key\`. **The public routes are rate-limited per \`CF-Connecting-IP\` (60 / 10 s); \`wrangler dev\` ` +
      `takes that header from the client, so every request carries a distinct address and the limiter never refuses one.** ` +
      `The limiter binding itself still runs on every request.`,
    '',
    runRows(r.comparison.runs),
    '',
    `${ratioLine(r.comparison, 'checkouts')} ` +
      `Ledger: ${r.ledger.created} payments answered 201, ${r.ledger.recorded} found in D1 (${r.ledger.missing} missing).`,
    '',
    cpuTable([
      { label: 'bare (median round)', cpu: r.comparison.median.bareBefore.cpu },
      { label: 'checkouts (median round)', cpu: r.comparison.median.target.cpu },
    ]),
    '',
    '**What limits it**',
    '',
    ...throughputLimits('checkout', r.comparison.median.bareBefore, r.comparison.median.target, r.profile),
    ...youngChecks(r.comparison),
    '- Per checkout the Worker calls the rate limiter, makes 2 D1 round trips (one batch with payment, event ' +
      'and `Idempotency-Key`; the Djomy answer written back — catalog rows come from a 5-second cache in the ' +
      'isolate), one Djomy create (`fetch` to the simulator) and, after answering (`waitUntil`), one ' +
      '`VERIFY_QUEUE.send` for the first young-payment check; plus zod validation of the body and of Djomy’s ' +
      'answer and a SHA-256 fingerprint of the request (src/payments/create-payment.ts as of this run).',
    ...(r.comparison.median.ratio < 0.3
      ? [
          checkoutShortfall(r.comparison, 0.3),
          '- What is left is the work a checkout cannot skip: four binding or network calls (rate limiter, two D1 ' +
            'round trips, the Djomy call) against none for the bare route. In the profile the project’s own code ' +
            '(`src/`) takes a few percent of the isolate’s time; the runtime’s `fetch`/streams and the bindings’ ' +
            'client side (`cloudflare-internal:d1-api`, `ratelimit`) take most of it. Locally every binding call ' +
            'crosses into a miniflare service in another process, which costs more than in production. Already ' +
            'done to get here: the catalog cache, the `Idempotency-Key` claimed by the INSERT instead of read ' +
            'first, Djomy’s answer and status written in one statement, the verify job sent after answering, one ' +
            'Djomy client (and X-API-KEY) per isolate, and no per-request log line. Not done, on purpose: skipping ' +
            'the rate limiter or the write-back of Djomy’s answer, which SPEC §1 and the ledger need.',
        ]
      : []),
    '',
    profileSection(r.profile, r.profileError, 'checkout creation'),
  ].join('\n');
}

function economySection(results: Results): string {
  const parts: string[] = [];
  const r = results.economy;
  if (r) {
    const endpoints = [
      'auth',
      'createGateway',
      'createPayment',
      'confirmOtp',
      'status',
      'listPayments',
    ] as const;
    parts.push(
      `${r.flows[0]?.payments ?? 0} payments per flow driven to paid as a browser would (see bench/measure/economy.ts), ` +
        `the simulator's webhooks delivered to the Worker; Djomy calls are the simulator's counters ` +
        `(\`GET /__sim/counters\`, reset before each flow), read once its webhooks are sent and no call has happened for 3 s. ` +
        `The stack is fresh, so the gateway flow pays for the one \`/v1/auth\` of the run (amortised).`,
      '',
      table(
        [
          'Flow',
          'Paid',
          'Calls / paid payment',
          ...endpoints.map((e) => `${e} / paid`),
          'Median create→paid s',
          'Polls / payment',
        ],
        r.flows.map((f) => [
          f.flow,
          `${f.paid}/${f.payments}`,
          `**${fixed(f.perPaid, 2)}**`,
          ...endpoints.map((e) => fixed(f.counters[e] / (f.paid || 1), 2)),
          fixed(f.medianSeconds),
          fixed(f.polls / (f.payments || 1)),
        ]),
      ),
      '',
      ...economyFindings(r.flows),
    );
  }
  const c = results['cold-auth'];
  if (c) {
    parts.push(
      '',
      `**Cold token cache:** a new stack (new processes, new persist directory, empty KV), then ${c.checkouts} checkouts ` +
        `at once (${c.checkouts} connections, one request each): **${c.counters.auth} \`/v1/auth\` ` +
        `call${c.counters.auth === 1 ? '' : 's'}**, ${c.created}/${c.checkouts} payments created, ` +
        `${c.counters.createGateway} gateway creates, p50 ${ms(c.load.latency.p50)} ms, p99 ${ms(c.load.latency.p99)} ms, ` +
        `max ${ms(c.load.latency.max)} ms. Concurrent callers share one token fetch per isolate ` +
        '(src/djomy/token-cache.ts); `wrangler dev` runs the Worker in one isolate. In production each isolate fetches ' +
        'at most once, and isolates that start later find the token in KV.',
    );
  }
  return parts.length ? parts.join('\n') : '_Not measured in this run._';
}

function economyFindings(flows: NonNullable<Results['economy']>['flows']): string[] {
  const lines: string[] = [];
  for (const f of flows) {
    const per = (n: number) => n / (f.paid || 1);
    const status = per(f.counters.status);
    const create = per(f.flow === 'gateway' ? f.counters.createGateway : f.counters.createPayment);
    const otp = per(f.counters.confirmOtp);
    const auth = per(f.counters.auth);
    const hooks = Object.entries(f.webhooks)
      .filter(([, n]) => n > 0)
      .map(([type, n]) => `${fixed(per(n), 1)} ${type}`)
      .join(', ');
    lines.push(
      `- **${f.flow}**: ${fixed(create, 2)} create + ${f.flow === 'direct' ? `${fixed(otp, 2)} confirmOTP + ` : ''}` +
        `${fixed(status, 2)} status + ${fixed(auth, 2)} auth per paid payment = **${fixed(f.perPaid, 2)}**` +
        `${f.perPaid <= 3 ? ' (goal met)' : ` (over the goal by ${fixed(f.perPaid - 3, 2)})`}. ` +
        `Webhooks Djomy sent per payment: ${hooks || 'none'}.`,
    );
  }
  const over = flows.filter((f) => f.perPaid > 3);
  if (over.length) {
    lines.push(
      '',
      `**Over the goal (${over.map((f) => f.flow).join(', ')}).** Beyond the create (and confirmOTP), one status ` +
        'call per payment is enough; every extra one comes from a check that did not know a previous one had just ' +
        'answered: the verify job of each Djomy webhook (`needsDjomyCall`, src/jobs/verify-consumer.ts), the OTP ' +
        'step (src/payments/confirm-otp.ts), the return URL (src/http/routes/return.ts) and public polls ' +
        '(src/http/routes/payments.ts). Replaying one payment step by step against `GET /__sim/counters` shows ' +
        'which one.',
    );
  }
  return lines;
}

type VerifyResults = NonNullable<Results['verify']>;

/** Results written before the cron-queued measurement existed have no `cron`. */
function currentVerify(results: Results): VerifyResults | null {
  const r = results.verify;
  return r && 'cron' in r && r.cron ? r : null;
}

/** Mean status calls counted by the simulator and not yet applied in D1, over the samples of a timeline. */
function meanInFlight(timeline: [number, number, number][]): number {
  return timeline.length
    ? timeline.reduce((sum, [, calls, applied]) => sum + calls - applied, 0) / timeline.length
    : 0;
}

function verifySection(results: Results): string {
  if (!results.verify) return '_Not measured in this run._';
  const r = currentVerify(results);
  if (!r)
    return '_Measured by an older version of bench/measure/verify.ts: re-run `npm run bench -- --only verify`._';
  const { cron, webhooks, settings } = r;
  const perSecond = 1000 / r.single.mean;
  const delays = settings.youngDelays;
  return [
    `${r.jobs} gateway payments created (${fixed(r.createSeconds)} s, 10 at a time) and left open at the simulator, its ` +
      'webhooks off, so that every job needs its Djomy status call; simulator latency ' +
      `${r.latencyMs} ms on every Djomy call (\`PUT /__sim/faults {latencyMs:${r.latencyMs}, rules:[]}\`). Every checkout ` +
      `also queues its own young-payment verifies (${delays[0]} s after it, then ${delays.slice(1, 3).join(' s, ')} s, … ` +
      'later, src/payments/lifetimes.ts), whose status calls would mix with the measured ones; so the phases below ' +
      `run in the quiet windows between those rounds (${r.phases
        .map((p) => `${p.name} from ${fixed(p.startedAt, 0)} s`)
        .join(
          ', ',
        )}, counted from the first checkout), and in each one the simulator must count exactly the ` +
      `status calls the phase makes (\`GET /__sim/counters\`; this run: ${(r.checks ?? [])
        .map((c) => `${c.counted} of ${c.expected}`)
        .join(', ')}). The harness reads the ` +
      'ledger straight from the local D1 SQLite file, read-only with node:sqlite (`localD1`, bench/lib/stack.ts), ' +
      'every 10 ms while the jobs run.',
    '',
    `- **One at a time:** ${r.reference?.before.samples ?? r.single.samples} of the payments verified in turn through ` +
      '`POST /api/admin/payments/{id}/verify` (one D1 read, one Djomy status call, one D1 write, HTTP round trip ' +
      'included), once right before and once right after the cron-queued jobs: mean ' +
      `${ms(r.single.mean)} ms over the ${r.single.samples} calls` +
      (r.reference
        ? ` (${ms(r.reference.before.mean)} ms before, ${ms(r.reference.after.mean)} ms after)`
        : '') +
      `, p50 ${ms(r.single.p50)} ms, p90 ${ms(r.single.p90)} ms → ${r.jobs} ` +
      `jobs would take **${fixed(r.oneAtATimeSeconds)} s** (${fixed(perSecond)} jobs/s).`,
    `- **Queued by the reconciliation cron (the goal's measure):** the ${r.jobs} payments aged by 10 minutes in local ` +
      'D1 (`UPDATE payments SET created_at = created_at - 600000, verified_at = CASE WHEN verified_at IS NULL THEN ' +
      "NULL ELSE verified_at - 600000 END WHERE reference LIKE '…'` through `wrangler d1 execute DB --local`; " +
      `${cron.eligible} then met the cron's conditions), then the cron triggered ${cron.runs.length} times back to back ` +
      '(`GET /cdn-cgi/handler/scheduled`, which `wrangler dev` serves on the Worker’s port). Each run selects the ' +
      `${settings.cronBatch} open payments least recently verified (none in the last 2 minutes, created over a minute ` +
      'ago) and `sendBatch`es one verify job each, without delay (src/jobs/reconcile.ts); the consumer ' +
      `(src/jobs/verify-consumer.ts; batches of up to ${settings.batchSize ?? '?'}, ${settings.concurrency ?? '?'} ` +
      'handled at once, src/index.ts) turns each into one Djomy status call. The cron marks nothing when it queues, ' +
      'so a run started before the previous run’s jobs are applied selects the same payments again: each run is ' +
      'triggered the moment the previous run’s last job is in D1. Clock: from the first trigger to the ' +
      `${r.jobs}-th job applied in D1 = **${fixed(cron.seconds, 2)} s**` +
      (cron.answeredSeconds !== null
        ? ` (the simulator had counted its ${r.jobs}-th status call, plus ${r.latencyMs} ms for its answer, at ` +
          `${fixed(cron.answeredSeconds, 2)} s)`
        : '') +
      `. Then D1 showed ${cron.verified} more verifications (\`sum(verify_count)\`) over ${cron.distinct} distinct ` +
      `payments; the simulator counted ${cron.statusCalls} status calls.`,
    `- **Ratio: ${fixed(r.ratio)}×** (${fixed(r.oneAtATimeSeconds)} s / ${fixed(cron.seconds, 2)} s), the goal's measure.`,
    `- **End to end from webhooks, including ingest and the ${settings.webhookDelay ?? 0} s delay (for reference, not ` +
      `the goal's measure):** ${r.jobs} signed \`payment.success\` webhooks for ${webhooks.payments} of the payments ` +
      `(${r.jobs / webhooks.payments} per payment, distinct eventIds) posted with ${webhooks.post.connections} ` +
      'connections; each enqueues one verify job' +
      (settings.webhookDelay
        ? `, delayed ${settings.webhookDelay} s by the webhook route (\`WEBHOOK_VERIFY_DELAY_SECONDS\`, ` +
          'src/http/routes/webhooks.ts, kept on purpose: a check already running, or a duplicate delivery, then ' +
          'spares the Djomy call)'
        : '') +
      `. From the first post to the ${r.jobs}-th job applied = **${fixed(webhooks.queuedSeconds, 2)} s** (all ` +
      `webhooks answered at ${fixed(webhooks.postedSeconds, 2)} s; ${webhooks.verified} verifications in D1, ` +
      `${webhooks.statusCalls} status calls): **${fixed(webhooks.ratio)}×** one at a time.`,
    '',
    table(
      [
        'Cron run',
        'Triggered at s',
        'Cron handler ms',
        'Last job applied at s',
        'Jobs/s',
        'Payments verified',
        'Status calls',
      ],
      cron.runs.map((run, i) => [
        i + 1,
        fixed(run.triggeredAt, 2),
        fixed(run.handlerMs, 0),
        fixed(run.doneAt, 2),
        fixed(run.expected / (run.doneAt - run.triggeredAt || 1)),
        `${run.verified} of ${run.expected}`,
        run.statusCalls,
      ]),
    ),
    '',
    '![verify timeline](bench/verify.svg)',
    '',
    ...verifyFindings(r),
  ].join('\n');
}

function verifyFindings(r: VerifyResults): string[] {
  const { cron, webhooks, settings } = r;
  const { batchSize, concurrency } = settings;
  const inFlight = batchSize && concurrency ? Math.min(batchSize, concurrency) : null;
  const perSecond = 1000 / r.single.mean;
  const rate = r.jobs / (cron.seconds || 1);
  const busy = meanInFlight(cron.timeline);
  // Little's law: calls in flight = rate × time each spends between reaching the simulator and being applied.
  const residence = rate > 0 ? (1000 * busy) / rate : 0;
  const handler = cron.runs.reduce((sum, run) => sum + run.handlerMs, 0);
  const between = cron.runs
    .slice(1)
    .reduce((sum, run, i) => sum + run.triggeredAt - (cron.runs[i]?.doneAt ?? run.triggeredAt), 0);
  const cpu = cron.cpu.percent;
  const pct = (name: string) => `${fixed(cpu[name] ?? 0, 0)} %`;
  const bound = settings.webhookDelay
    ? r.oneAtATimeSeconds / (webhooks.postedSeconds + settings.webhookDelay)
    : null;
  return [
    '**What limits it**',
    '',
    `- The consumer applied **${fixed(rate)} jobs/s** over the ${cron.runs.length} runs, ${fixed(rate / perSecond)}× ` +
      `the one-at-a-time rate. The cron itself is cheap: its handler (D1 select of ${settings.cronBatch}, two ` +
      `\`sendBatch\` of 100) answered in ${fixed(handler / cron.runs.length, 0)} ms per run on average, and the ` +
      `harness took ${fixed((1000 * between) / Math.max(1, cron.runs.length - 1), 0)} ms on average from a run’s last ` +
      'job to the next trigger.',
    `- Locally, miniflare's queue broker hands the consumer **one batch at a time** (the next batch waits until every ` +
      'message of the previous one is acked: `max_concurrency` is not emulated). The verify queue’s `max_batch_size` ' +
      `is ${batchSize ?? '?'} (wrangler.toml) and the consumer handles ${concurrency ?? '?'} messages of a batch at ` +
      `once (\`BATCH_CONCURRENCY\`, src/index.ts), so at most **${inFlight ?? '?'} Djomy calls are in flight**; ` +
      `measured: ${fixed(busy)} on average (calls the simulator had counted and D1 did not yet show), less because ` +
      'each job reads D1 before its call, and each batch ends with fewer calls left than slots before the next ' +
      'one is handed over (the flat steps in the chart).',
    `- Each of those calls took **${fixed(residence, 0)} ms** from reaching the simulator to its result in D1 ` +
      `(Little’s law: ${fixed(busy)} in flight / ${fixed(rate)} per second), against the ${r.latencyMs} ms the ` +
      `simulator waits: the other ${fixed(residence - r.latencyMs, 0)} ms go to the simulator’s own handling and to ` +
      `the Worker, whose one thread takes the answers of up to ${inFlight ?? '?'} calls, which come back together, ` +
      'in turn (parse, D1 write through the local D1 service). CPU during the runs, in ' +
      `% of one core: Worker runtime ${pct('Worker runtime (workerd)')}, Simulator ${pct('Simulator (workerd + wrangler)')}, ` +
      `Worker proxy + wrangler ${pct('Worker proxy + wrangler')}, Load generator (the harness polling D1 and the ` +
      `counters) ${pct('Load generator (bench, autocannon)')}, Other processes ${pct('Other processes')}; machine ` +
      `${pct('Machine (all)')} of ${cron.cpu.cores * 100} %: no core was saturated, the work is a chain of waits.`,
    '- In production `max_concurrency = 5` runs up to 5 batches at once, so the local figure understates production; ' +
      'there the cron runs every 5 minutes, so a backlog of 1,000 open payments takes 5 runs, 20 minutes, whatever ' +
      'the consumer’s speed.',
    `- The end-to-end figure from webhooks (${fixed(webhooks.ratio)}×) is held by the enqueueing, not by the ` +
      `consumer: posting ${r.jobs} webhooks took ${fixed(webhooks.postedSeconds)} s (${fixed(webhooks.rates.posting)}/s ` +
      'accepted, the ingest rate of §1, in the same isolate that runs the consumer), during which the consumer ' +
      `applied only ${fixed(webhooks.rates.callsWhilePosting)} jobs/s` +
      (webhooks.rates.drain ? `, then drained the backlog at ${fixed(webhooks.rates.drain)} jobs/s` : '') +
      (bound !== null
        ? `; and each webhook’s job waits ${settings.webhookDelay} s before it may run, so the last job cannot end ` +
          `before ${fixed(webhooks.postedSeconds + (settings.webhookDelay ?? 0))} s: through webhooks the ratio is ` +
          `bounded by ${fixed(bound)}× on this machine. That delay is deliberate (it saves Djomy calls, §3).`
        : '.'),
  ];
}

function bundleSection(results: Results): string {
  const r = results.bundle;
  if (!r) return '_Not measured in this run._';
  return [
    `\`${r.command}\` (wrangler.toml ${r.minify ? 'sets `minify = true`' : 'does not minify'}), the emitted JavaScript gzipped ` +
      `with node:zlib (default level): **${fixed(r.gzipKiB)} KiB gzip** (${fixed(r.rawKiB)} KiB raw). ` +
      `${r.wranglerSays ? `wrangler itself reports “${r.wranglerSays}”.` : ''}`,
    '',
    table(
      ['Contributor (esbuild metafile)', 'Bytes in bundle', '%', '≈ gzip KiB'],
      r.groups.slice(0, 14).map((g) => [g.name, g.bytes, fixed(g.percent), fixed(g.gzipKiB)]),
    ),
    '',
    table(
      ['Biggest single inputs', 'Bytes', '%', '≈ gzip KiB'],
      r.modules.map((m) => [m.name, m.bytes, fixed(m.percent), fixed(m.gzipKiB)]),
    ),
    '',
    '_≈ gzip: the total gzip size shared in proportion to raw bytes (text like JSON compresses better than that, code worse)._',
  ].join('\n');
}

function sustainedSection(results: Results): string {
  const r = results.sustained;
  if (!r) return '_Not measured in this run._';
  const probeRows = r.probes.map((p) => [
    p.rate,
    p.run.stats.connections,
    fixed(p.run.stats.rps),
    ms(p.run.stats.latency.p50),
    ms(p.run.stats.latency.p99),
    p.run.stats.errors + p.run.stats.non2xx,
    `${fixed(p.run.cpu.percent[RUNTIME] ?? 0, 0)} %`,
    p.passed ? 'yes' : 'no',
  ]);
  return [
    'Each connection cycles checkout → poll → poll → webhook: 25 % `POST /api/payments` (gateway), 50 % ' +
      '`GET /api/payments/{id}` of the payment that connection just created (a young payment, so the first poll may ' +
      'trigger a Djomy check), 25 % signed `POST /webhooks/djomy`; distinct `CF-Connecting-IP` per request. The rate is ' +
      "autocannon's `overallRate`, about 2 requests/s per connection, spread over each second by 10 autocannon instances " +
      'started 100 ms apart (a single instance sends each second’s requests in one burst at the start of the second; ' +
      'their histograms are merged with `autocannon.aggregateResult`). Probes double the rate until one fails (any error, ' +
      'or under 95 % of the asked rate served), then bisect; the long run uses the best passing rate (one step down by 20 % ' +
      'if it fails there). Checkouts made during the run queue their young-payment verifies (15 s, 45 s, …), which the ' +
      'long run has to absorb too.',
    '',
    table(
      ['Probe req/s', 'Conns', 'Served req/s', 'p50 ms', 'p99 ms', 'Errors', 'Worker CPU', 'Passed'],
      probeRows,
    ),
    '',
    runRows([r.final]),
    '',
    `**${fixed(r.final.stats.seconds, 0)} s at ${r.rate} req/s asked, ${fixed(r.final.stats.rps)} served, ` +
      `${r.final.stats.errors + r.final.stats.non2xx} errors** (${r.mix.checkouts} checkouts, ${r.mix.polls} polls, ` +
      `${r.mix.webhooks} webhooks sent${r.attempts > 1 ? '; the first long run, at the rate found by the probes, had errors or fell under 95 % of it: this is the retry at 80 %' : ''}). ` +
      `**Ledger:** ${r.ledger.paymentsRecorded}/${r.ledger.created} created payments in D1, ` +
      `${r.ledger.eventsRecorded}/${r.ledger.accepted} accepted webhook eventIds in D1.`,
    '',
    cpuTable([{ label: 'sustained run', cpu: r.final.cpu }]),
    '',
    '**What limits it**',
    '',
    `- The long run was limited by ${bottleneck(r.final)}.`,
    ...r.probes
      .filter((p) => !p.passed)
      .slice(0, 1)
      .map(
        (p) =>
          `- The first failing probe (${p.rate} req/s asked, ${fixed(p.run.stats.rps)} served) was limited by ` +
          `${bottleneck(p.run)}.`,
      ),
    ...(r.probes.some((p) => !p.passed && p.run.stats.errors + p.run.stats.non2xx === 0)
      ? [
          '- Past that rate no request failed: requests queued up, latency grew and the served rate fell short of the ' +
            'asked one. Every fourth request costs the isolate a checkout (§2), and the young-payment verifies of ' +
            'earlier checkouts come on top.',
        ]
      : []),
  ].join('\n');
}

function latencyChart(results: Results): string | null {
  const categories = ['p50', 'p75', 'p90', 'p97.5', 'p99', 'p99.9', 'max'];
  const series: { name: string; run: MeteredRun | undefined }[] = [
    { name: 'bare GET (§1 median round)', run: results.ingest?.comparison.median.bareBefore },
    { name: 'webhook ingest', run: results.ingest?.comparison.median.target },
    { name: 'bare GET (§2 median round)', run: results.checkout?.comparison.median.bareBefore },
    { name: 'checkout create', run: results.checkout?.comparison.median.target },
    { name: 'sustained mix', run: results.sustained?.final },
  ];
  const present = series.filter((s): s is { name: string; run: MeteredRun } => s.run !== undefined);
  if (present.length === 0) return null;
  return lineChart({
    title: 'Latency percentiles (ms), wrangler dev on 127.0.0.1',
    xLabel: 'percentile',
    yLabel: 'latency ms',
    logY: true,
    categories,
    series: present.map(({ name, run }) => {
      const l = run.stats.latency;
      return {
        name,
        points: [l.p50, l.p75, l.p90, l.p97_5, l.p99, l.p99_9, l.max].map(
          (y, x) => [x, y] as [number, number],
        ),
      };
    }),
  });
}

function verifyChart(results: Results): string | null {
  const r = currentVerify(results);
  if (!r) return null;
  const end = Math.max(r.cron.seconds, r.webhooks.queuedSeconds);
  return lineChart({
    title: `Verify: ${r.jobs} jobs at ${r.latencyMs} ms Djomy latency`,
    xLabel: 'seconds since the first cron trigger (cron) or the first webhook posted (webhooks)',
    yLabel: 'jobs',
    series: [
      {
        name: 'cron: jobs applied',
        points: [[0, 0], ...r.cron.timeline.map(([t, , applied]) => [t, applied] as [number, number])],
      },
      {
        name: 'webhooks: accepted',
        points: [[0, 0], ...r.webhooks.timeline.map(([t, posted]) => [t, posted] as [number, number])],
      },
      {
        name: 'webhooks: jobs applied',
        points: [[0, 0], ...r.webhooks.timeline.map(([t, , , applied]) => [t, applied] as [number, number])],
      },
      {
        name: 'one at a time (projected)',
        points: [
          [0, 0],
          [end, (end * 1000) / r.single.mean],
        ],
      },
    ],
  });
}

/**
 * Writes the report and its charts; returns the files written.
 *
 * @example writeReport(results, { markdown: 'BENCHMARKS.md', chart: 'bench/latency.svg' })
 */
export function writeReport(output: BenchResults, files: { markdown: string; chart: string }): string[] {
  const { machine, results } = output;
  const chartRef = path.relative(path.dirname(files.markdown), files.chart);
  const verifyFile = path.join(path.dirname(files.chart), output.smoke ? 'smoke-verify.svg' : 'verify.svg');
  const verifyRef = path.relative(path.dirname(files.markdown), verifyFile);
  const written: string[] = [];
  const latency = latencyChart(results);
  if (latency) {
    writeFileSync(files.chart, latency);
    written.push(files.chart);
  }
  const verify = verifyChart(results);
  if (verify) {
    writeFileSync(verifyFile, verify);
    written.push(verifyFile);
  }
  const failed = Object.entries(output.failed);
  const earlier = Object.entries(results)
    .map(([name, result]) => [name, (result as { measuredAt: string }).measuredAt] as const)
    .filter(([, at]) => at < output.startedAt);
  const markdown = [
    '# Benchmarks',
    '',
    `_Generated by \`npm run bench\` (bench/run.ts) on ${output.startedAt.slice(0, 16).replace('T', ' ')} UTC in ` +
      `${fixed(output.seconds / 60)} min${output.smoke ? ', **smoke mode: tiny numbers, not figures**' : ''}. Do not edit by hand; ` +
      're-run instead. Absolute figures on a shared 2-core machine drift from run to run, so every throughput goal is ' +
      'a ratio measured in the same run, against a reference measured right before and after._',
    ...(earlier.length
      ? [
          '',
          `_Merged with an earlier run (\`--only\`): ${earlier
            .map(([name, at]) => `${name} from ${at.slice(0, 16).replace('T', ' ')} UTC`)
            .join(', ')}._`,
        ]
      : []),
    '',
    '## Summary',
    '',
    goalsTable(results),
    ...(failed.length
      ? [
          '',
          '**Measurements that failed in this run:**',
          '',
          ...failed.map(([name, error]) => `- ${name}: \`${error.split('\n')[0]}\``),
        ]
      : []),
    '',
    latency ? `![Latency percentiles](${chartRef})` : '',
    '',
    '## How to run',
    '',
    table(
      ['Command', 'What'],
      [
        [
          '`npm run bench`',
          'every measurement (about 6–8 min), rewrites BENCHMARKS.md, bench/latency.svg, bench/verify.svg',
        ],
        [
          '`npm run bench -- --only ingest,bundle`',
          'some of them (`economy`, `cold-auth`, `ingest`, `checkout`, `verify`, `bundle`, `sustained`), merged into the last results',
        ],
        [
          '`npm run bench:smoke`',
          'a few seconds of each, same code paths, writes bench/results/smoke.* only',
        ],
        [
          '`node_modules/.bin/node node_modules/.bin/vitest run --project e2e test/e2e/bench-smoke.test.ts`',
          'the smoke run as a test (asserts numbers and zero errors, not speed)',
        ],
      ],
    ),
    '',
    'Everything runs on 127.0.0.1: the Worker and the Djomy simulator under `wrangler dev` (scripts/stack.ts, ports ' +
      '8777/8778, state in bench/.state/), a fresh stack per measurement, the simulator with no added latency unless stated ' +
      'and its webhooks switched off (`PATCH /__sim/config {webhookUrl:null}`) except in §3. Load comes from autocannon, ' +
      'used programmatically, in the same Node process as the orchestration. §4 also triggers the reconciliation cron ' +
      '(`GET /cdn-cgi/handler/scheduled`), ages payments with `wrangler d1 execute DB --local`, and polls the ledger ' +
      'by reading the local D1 SQLite file read-only (node:sqlite). Raw results: bench/results/latest.json. ' +
      '`wrangler dev` rebuilds the Worker when src/ changes, so a measurement during which src/ or wrangler.toml ' +
      'changed is flagged ⚠️ in the summary.',
    '',
    '## Machine and versions',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${machine.cpu}, ${machine.cores} cores`],
        ['Memory', `${machine.memoryGiB} GiB`],
        ['OS', machine.os],
        [
          'Load average (1 min) before / after',
          `${fixed(machine.loadBefore, 2)} / ${fixed(machine.loadAfter ?? 0, 2)}`,
        ],
        ['Commit', `${machine.commit}${machine.dirty ? ' + uncommitted changes in src/ or config' : ''}`],
        ...Object.entries(machine.versions).map(([name, version]) => [name, version]),
      ],
    ),
    '',
    '## 1. Webhook ingest',
    '',
    'Goal: ≥ 0.5× the bare route’s throughput, zero errors, zero lost events.',
    '',
    ingestSection(results),
    '',
    '## 2. Checkout create',
    '',
    'Goal: ≥ 0.3× the bare route’s throughput.',
    '',
    checkoutSection(results),
    '',
    '## 3. Djomy call economy',
    '',
    'Goals: ≤ 3 Djomy calls per paid payment (gateway and direct flows, auth amortised); exactly 1 `/v1/auth` call when ' +
      '200 checkouts start at once on a cold cache.',
    '',
    economySection(results),
    '',
    '## 4. Verify throughput',
    '',
    'Goal: 1,000 queued verify jobs at 50 ms simulator latency ≥ 10× faster than one at a time.',
    '',
    verifySection(results).replace('(bench/verify.svg)', `(${verifyRef})`),
    '',
    '## 5. Worker bundle',
    '',
    'Goal: ≤ 64 KiB gzip.',
    '',
    bundleSection(results),
    '',
    '## 6. Sustained load',
    '',
    'Goal: 60 s of mixed traffic at the highest rate with zero errors; nothing lost.',
    '',
    sustainedSection(results),
    '',
    '## Local figures versus production',
    '',
    'Under `wrangler dev`, D1 is SQLite in a local Durable Object reached through a service binding (the isolate pays ' +
      'for JSON serialisation, `cloudflare-internal:d1-api` in the profiles), queues and the rate limiter are local ' +
      'services too, `console.log` lines travel to wrangler through the inspector protocol, and wrangler’s proxy sits ' +
      'in front of every request, all on the same 2 cores as the load generator. The ratios say how much work a route ' +
      'does relative to the bare route in this environment; they are not production throughput.',
    '',
    '## Reading the CPU tables',
    '',
    'CPU is read from /proc for each process of the stack during the run, in % of one core (the machine has ' +
      `${machine.cores * 100} % in all). "Worker runtime" is the workerd process running the Worker (one thread per isolate); ` +
      '"Worker proxy + wrangler" is wrangler’s entry proxy in front of it plus wrangler itself (it relays every log line); ' +
      '"Other processes" is everyone else on the machine. "Worker CPU ms/req" divides the runtime’s CPU by the requests served. ' +
      'wrangler’s share is large: in the bare runs its proxy workerd and its Node process together use about as much ' +
      'CPU as the Worker itself.',
    '',
  ].join('\n');
  writeFileSync(files.markdown, markdown);
  written.push(files.markdown);
  return written;
}
