/** The machine and the versions a run used, and a fingerprint of what `wrangler dev` builds. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './stack.ts';

export type Machine = ReturnType<typeof describeMachine>;

function version(name: string, from = ROOT): string {
  try {
    return JSON.parse(readFileSync(path.join(from, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** A read-only git query (GIT_OPTIONAL_LOCKS=0: not even the index stat cache is written); null if it fails. */
function git(args: string[]): string | null {
  try {
    const env = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', env, stdio: 'pipe' }).trim();
  } catch {
    return null;
  }
}

export function describeMachine() {
  const wrangler = path.join(ROOT, 'node_modules', 'wrangler');
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the run started and ended. */
    loadBefore: os.loadavg()[0] ?? 0,
    loadAfter: 0,
    versions: {
      node: process.versions.node,
      wrangler: version('wrangler'),
      workerd: version('workerd', wrangler),
      miniflare: version('miniflare', wrangler),
      autocannon: version('autocannon'),
      hono: version('hono'),
      zod: version('zod'),
    },
    commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    /** src/, wrangler.toml or package.json differ from the commit (the run measured the working tree). */
    dirty: git(['diff', '--quiet', 'HEAD', '--', 'src', 'wrangler.toml', 'package.json']) === null,
  };
}

/**
 * A hash of src/ and wrangler.toml. wrangler dev reloads the Worker when they
 * change, so a measurement during which it changed mixed two versions of the code.
 */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map(
    (f) => `src/${f}`,
  );
  for (const file of ['wrangler.toml', ...files].sort()) {
    try {
      hash.update(file).update(readFileSync(path.join(ROOT, file)));
    } catch {}
  }
  return hash.digest('hex').slice(0, 16);
}
