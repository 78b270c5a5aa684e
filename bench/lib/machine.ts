/** The machine and the versions a run used, for the report. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './stack.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  /** 1-minute load average when the run started and ended. */
  loadBefore: number;
  loadAfter?: number;
  versions: Record<string, string>;
  commit: string;
  /** src/, wrangler.toml or package.json differ from the commit (the run measured the working tree). */
  dirty: boolean;
}

function packageVersion(name: string, from = ROOT): string {
  try {
    const file = path.join(from, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Read-only git queries (GIT_OPTIONAL_LOCKS=0: not even the index stat cache is written). */
function git(args: string[]): { out: string; ok: boolean } {
  try {
    const out = execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { out: out.trim(), ok: true };
  } catch {
    return { out: '', ok: false };
  }
}

export function describeMachine(): Machine {
  const wranglerDir = path.join(ROOT, 'node_modules', 'wrangler');
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadBefore: os.loadavg()[0] ?? 0,
    versions: {
      node: process.versions.node,
      wrangler: packageVersion('wrangler'),
      workerd: packageVersion('workerd', wranglerDir),
      miniflare: packageVersion('miniflare', wranglerDir),
      autocannon: packageVersion('autocannon'),
      hono: packageVersion('hono'),
      zod: packageVersion('zod'),
    },
    commit: git(['rev-parse', '--short', 'HEAD']).out || 'unknown',
    dirty: !git(['diff', '--quiet', 'HEAD', '--', 'src', 'wrangler.toml', 'package.json']).ok,
  };
}

/**
 * A hash of what `wrangler dev` builds (src/, wrangler.toml). wrangler dev reloads the Worker when these change,
 * so a measurement during which it changed mixed two versions of the code.
 */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const files = [
    'wrangler.toml',
    ...readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) =>
      path.join('src', f),
    ),
  ].sort();
  for (const file of files) {
    try {
      hash.update(file).update(readFileSync(path.join(ROOT, file)));
    } catch {}
  }
  return hash.digest('hex').slice(0, 16);
}
