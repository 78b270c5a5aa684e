/**
 * Who used the CPU during a run, from /proc: the Worker's workerd runtime, the
 * rest of its `wrangler dev` (entry proxy and wrangler), the simulator, this
 * process (the load generator), and everything else on the machine. Figures
 * are in % of one core: a 2-core machine has 200 % to share.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { type CpuProfile, inspector, isolateBusyMs } from './profile.ts';
import type { Ports } from './stack.ts';

/** Linux USER_HZ: /proc times are in 1/100 s. */
const TICKS_PER_SECOND = 100;
export const RUNTIME = 'Worker runtime (workerd)';

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function stat(pid: number | string): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The processes of a stack, by role. */
function stackProcesses(ports: Ports): Record<string, number[]> {
  const all: { pid: number; ppid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      all.push({ pid: Number(entry), ppid: Number(stat(entry)[1]), cmd });
    } catch {}
  }
  const tree = (root: (cmd: string) => boolean) => {
    const wrangler = all.filter((p) => p.cmd.includes('wrangler') && p.cmd.includes(' dev ') && root(p.cmd));
    const found = new Map(wrangler.map((p) => [p.pid, p]));
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all) {
        if (found.has(p.pid) || !found.has(p.ppid)) continue;
        found.set(p.pid, p);
        grew = true;
      }
    }
    return [...found.values()];
  };
  const sim = tree((cmd) => cmd.includes('sim/wrangler.toml') && cmd.includes(`--port ${ports.sim} `));
  const worker = tree((cmd) => !cmd.includes('sim/wrangler.toml') && cmd.includes(`--port ${ports.worker} `));
  // The runtime is the workerd on a random port; the one on the public port is wrangler's entry proxy.
  const runtime = worker.filter((p) => p.cmd.includes('workerd') && p.cmd.includes('entry=127.0.0.1:0'));
  return {
    [RUNTIME]: runtime.map((p) => p.pid),
    'Worker proxy + wrangler': worker.filter((p) => !runtime.includes(p)).map((p) => p.pid),
    'Simulator (workerd + wrangler)': sim.map((p) => p.pid),
    'Load generator (bench, autocannon)': [process.pid],
  };
}

/** User + system CPU time of these processes, in ticks (a process gone meanwhile counts 0). */
const ticks = (pids: number[]) =>
  pids.reduce((sum, pid) => {
    try {
      const fields = stat(pid);
      return sum + Number(fields[11]) + Number(fields[12]);
    } catch {
      return sum;
    }
  }, 0);

function machineTicks(): { busy: number; total: number } {
  const values = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1);
  const total = values.slice(0, 8).reduce((a, b) => a + Number(b), 0);
  return { busy: total - Number(values[3]) - Number(values[4]), total };
}

/** `percent`: % of one core, per role, plus `Other processes` and `Machine (all)`. */
export type CpuUsage = { seconds: number; cores: number; percent: Record<string, number> };

/**
 * Starts measuring; call the returned function at the end of the run.
 *
 * @example const stop = measureCpu(stack.ports); await load(…); const usage = stop()
 */
export function measureCpu(ports: Ports): () => CpuUsage {
  const groups = Object.entries(stackProcesses(ports));
  const before = groups.map(([, pids]) => ticks(pids));
  const machineBefore = machineTicks();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineTicks();
    const cores = os.availableParallelism();
    const percent: Record<string, number> = {};
    groups.forEach(([name, pids], i) => {
      percent[name] = Math.max(0, (100 * (ticks(pids) - (before[i] ?? 0))) / TICKS_PER_SECOND / seconds);
    });
    const ours = Object.values(percent).reduce((a, b) => a + b, 0);
    const busy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total || 1);
    percent['Other processes'] = Math.max(0, busy * cores * 100 - ours);
    percent['Machine (all)'] = busy * cores * 100;
    return { seconds, cores, percent };
  };
}

/**
 * CPU time (ms, from /proc/<pid>/schedstat, in ns) of the thread that runs the
 * Worker: the main thread of the stack's workerd runtime. It runs every
 * isolate of the local runtime: the Worker, and miniflare's D1 (SQLite),
 * queues, KV and rate limiter, and the log relay to wrangler. If wrangler
 * replaces the runtime process, it follows the new one (`pid()` changes).
 *
 * @example const cpu = workerThreadCpu(stack.ports); const before = cpu(); …; const ms = cpu() - before
 */
export function workerThreadCpu(ports: Ports) {
  const find = () => {
    const [pid, ...others] = stackProcesses(ports)[RUNTIME] ?? [];
    if (pid === undefined || others.length > 0)
      throw new Error(
        `expected one workerd runtime on port ${ports.worker}, found ${others.length + (pid ? 1 : 0)}`,
      );
    return pid;
  };
  const read = (pid: number) =>
    Number((readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0] as string).trim()) / 1e6;
  let pid = find();
  const cpu = () => {
    try {
      return read(pid);
    } catch (error) {
      const next = find();
      if (next === pid) throw error;
      pid = next;
      return read(pid);
    }
  };
  return Object.assign(cpu, { pid: () => pid });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One invocation's CPU, ms: the Worker thread's (an upper bound) and the Worker isolate's (from its V8 profile). */
export type CpuSample = { thread: number; isolate: number };

/** The isolate is sampled every 200 µs while an invocation is measured. */
const PROFILE_INTERVAL_US = 200;

/**
 * Measures invocations one at a time, each from a quiet moment (under 0.05 ms
 * of CPU in 100 ms) to the next one after it, so that work done after the
 * answer (`waitUntil`) counts, in two ways:
 *
 * - `thread`: the CPU time of the Worker's thread (`workerThreadCpu`), less
 *   its idle rate measured over 2 s at the start. That thread also runs
 *   miniflare's D1 (SQLite), queues, KV and rate limiter: an upper bound;
 * - `isolate`: the time the Worker's isolate was busy in a V8 CPU profile taken
 *   through wrangler's inspector over the same window (`isolateBusyMs`): the
 *   Worker's own JavaScript, the runtime's work on its behalf (`(program)`:
 *   parsing, serialising, crypto) and its garbage collection — what the
 *   platform bills.
 *
 * An invocation during which the runtime process was replaced measures nothing
 * (NaN; `restarts`).
 *
 * @example const meter = await invocationMeter(stack); const { isolate } = await meter.measure(() => call(…))
 */
export async function invocationMeter(stack: { ports: Ports; inspectorPort: number }) {
  const cpu = workerThreadCpu(stack.ports);
  /** Waits until the thread's CPU over 100 ms is within 0.05 ms of `rate` (ms per ms); returns the reading. */
  const quiet = async (rate = 0) => {
    const seen: string[] = [];
    for (let [last, since] = [cpu(), performance.now()]; performance.now() - since < 30_000; ) {
      const at = performance.now();
      await pause(100);
      const now = cpu();
      if (Math.abs(now - last - rate * (performance.now() - at)) < 0.05 + 0.2 * rate * 100) return now;
      seen.push((now - last).toFixed(2));
      last = now;
    }
    throw new Error(
      `the Worker thread never went quiet in 30 s (ms per 100 ms: ${seen.slice(-20).join(' ')})`,
    );
  };
  const idleRate = async (profiling: boolean) => {
    await quiet();
    if (profiling) await client.send('Profiler.start');
    const [from, at] = [cpu(), performance.now()];
    await pause(2000);
    const rate = Math.max(0, (cpu() - from) / (performance.now() - at));
    if (profiling) await client.send('Profiler.stop');
    return rate;
  };
  const connect = async () => {
    const client = await inspector(stack.inspectorPort);
    await client.send('Profiler.enable');
    await client.send('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
    return client;
  };
  let client = await connect();
  const idlePerMs = await idleRate(false);
  // The profiler's sampling costs the thread CPU too, even idle: that rate, measured once, is subtracted.
  const profiledPerMs = await idleRate(true);
  const meter = {
    idleMsPerSecond: idlePerMs * 1000,
    profiledIdleMsPerSecond: profiledPerMs * 1000,
    restarts: 0,
    quiet: () => quiet(),
    /** CPU ms of one invocation (or a burst of them) between two quiet moments. */
    async measure(run: () => Promise<unknown>): Promise<CpuSample> {
      const pid = cpu.pid();
      await quiet();
      await client.send('Profiler.start');
      const [before, startedAt] = [await quiet(profiledPerMs), performance.now()];
      await run();
      const after = await quiet(profiledPerMs);
      const elapsed = performance.now() - startedAt;
      if (cpu.pid() !== pid) {
        meter.restarts++;
        client.close();
        client = await connect();
        return { thread: Number.NaN, isolate: Number.NaN };
      }
      const { profile } = await client.send<{ profile: CpuProfile }>('Profiler.stop');
      return {
        thread: after - before - profiledPerMs * elapsed,
        isolate: isolateBusyMs(profile, PROFILE_INTERVAL_US),
      };
    },
    close: () => client.close(),
  };
  return meter;
}
