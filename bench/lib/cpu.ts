/**
 * Who used the CPU during a run, from /proc: the Worker's workerd runtime,
 * the rest of its `wrangler dev` (the entry proxy and wrangler itself), the
 * simulator's processes, this process (the load generator), and everything
 * else on the machine (other people's work on a shared box). Figures are in
 * % of one core, so a 2-core machine has 200 % to share.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { Ports } from './stack.ts';

/** Linux USER_HZ: /proc times are in 1/100 s. */
const TICKS_PER_SECOND = 100;

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function processes(): Proc[] {
  const result: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      result.push({ pid: Number(entry), ppid: Number(fields[1]), cmdline });
    } catch {}
  }
  return result;
}

function descendants(all: Proc[], roots: Proc[]): Proc[] {
  const found = new Map(roots.map((p) => [p.pid, p]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** The processes of a stack, by role. */
export function stackProcesses(ports: Ports): Record<string, number[]> {
  const all = processes();
  const wrangler = (p: Proc) => p.cmdline.includes('wrangler') && p.cmdline.includes(' dev ');
  const sim = descendants(
    all,
    all.filter(
      (p) =>
        wrangler(p) && p.cmdline.includes('sim/wrangler.toml') && p.cmdline.includes(`--port ${ports.sim} `),
    ),
  );
  const worker = descendants(
    all,
    all.filter(
      (p) =>
        wrangler(p) &&
        !p.cmdline.includes('sim/wrangler.toml') &&
        p.cmdline.includes(`--port ${ports.worker} `),
    ),
  );
  // The runtime is the workerd that listens on a random port; the one on the public port is wrangler's entry proxy.
  const runtime = worker.filter(
    (p) => p.cmdline.includes('workerd') && p.cmdline.includes('entry=127.0.0.1:0'),
  );
  return {
    'Worker runtime (workerd)': runtime.map((p) => p.pid),
    'Worker proxy + wrangler': worker.filter((p) => !runtime.includes(p)).map((p) => p.pid),
    'Simulator (workerd + wrangler)': sim.map((p) => p.pid),
    'Load generator (bench, autocannon)': [process.pid],
  };
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] as string;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuUsage {
  seconds: number;
  cores: number;
  /** % of one core, per role, plus `Other processes` and `Machine (all)`. */
  percent: Record<string, number>;
}

/**
 * Starts measuring; call the returned function at the end of the run.
 *
 * @example const stop = measureCpu(stack.ports); await load(…); const usage = stop()
 */
export function measureCpu(ports: Ports): () => CpuUsage {
  const groups = stackProcesses(ports);
  const before = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, pids.map(processTicks).reduce((a, b) => a + b, 0)]),
  );
  const machineBefore = machineTicks();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineTicks();
    const cores = os.availableParallelism();
    const percent: Record<string, number> = {};
    let ours = 0;
    for (const [name, pids] of Object.entries(groups)) {
      const ticks = pids.map(processTicks).reduce((a, b) => a + b, 0) - (before[name] ?? 0);
      percent[name] = Math.max(0, (100 * ticks) / TICKS_PER_SECOND / seconds);
      ours += percent[name];
    }
    const share = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total || 1);
    const machine = share * cores * 100;
    percent['Other processes'] = Math.max(0, machine - ours);
    percent['Machine (all)'] = machine;
    return { seconds, cores, percent };
  };
}
