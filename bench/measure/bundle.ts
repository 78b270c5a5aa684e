/**
 * 5. Worker bundle: what `wrangler deploy --dry-run` would upload, gzipped
 * with node:zlib (default level), and what it is made of (esbuild metafile:
 * bytes each input contributes to the output). The gzip share of a
 * contributor is estimated in proportion to its raw bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BenchContext, Goal } from '../context.ts';
import { ROOT } from '../lib/stack.ts';

const LIMIT_KIB = 64;

export interface Contributor {
  name: string;
  bytes: number;
  percent: number;
  /** Estimated share of the gzip size, KiB. */
  gzipKiB: number;
}

export interface BundleResult {
  command: string;
  /** wrangler.toml sets `minify = true`. */
  minify: boolean;
  files: { name: string; bytes: number; gzipBytes: number }[];
  gzipKiB: number;
  rawKiB: number;
  /** wrangler's own "Total Upload: … / gzip: …" line. */
  wranglerSays: string | null;
  /** By package or src directory. */
  groups: Contributor[];
  /** The biggest single inputs. */
  modules: Contributor[];
  goals: Goal[];
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

function groupOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return `${pkg[1]} (npm)`;
  const relative = input.replace(/^(\.\.\/)+/, '');
  if (relative.startsWith('src/')) return path.dirname(relative);
  return relative;
}

export async function measureBundle(ctx: BenchContext): Promise<BundleResult> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'djomy-edge-bundle-'));
  try {
    const args = ['deploy', '--dry-run', '--outdir', outdir, '--metafile', path.join(outdir, 'meta.json')];
    ctx.log('bundle: wrangler deploy --dry-run');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), ...args],
      { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' } },
    );
    const wranglerSays = /Total Upload:[^\n]*/.exec(`${stdout}\n${stderr}`)?.[0].trim() ?? null;
    const files = readdirSync(outdir)
      .filter((name) => /\.(m?js|wasm)$/.test(name))
      .map((name) => {
        const bytes = readFileSync(path.join(outdir, name));
        return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
      });
    const rawBytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);

    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const inputs = new Map<string, number>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
        inputs.set(input, (inputs.get(input) ?? 0) + bytesInOutput);
      }
    }
    const inputTotal = [...inputs.values()].reduce((a, b) => a + b, 0) || 1;
    const contributor = (name: string, bytes: number): Contributor => ({
      name,
      bytes,
      percent: (100 * bytes) / inputTotal,
      gzipKiB: ((bytes / inputTotal) * gzipBytes) / 1024,
    });
    const grouped = new Map<string, number>();
    for (const [input, bytes] of inputs)
      grouped.set(groupOf(input), (grouped.get(groupOf(input)) ?? 0) + bytes);
    const groups = [...grouped]
      .map(([name, bytes]) => contributor(name, bytes))
      .sort((a, b) => b.bytes - a.bytes);
    const modules = [...inputs]
      .map(([name, bytes]) => contributor(name.replace(/^(\.\.\/)+/, ''), bytes))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 12);

    const toml = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
    const topLevel = toml.split(/^\[/m)[0] ?? '';
    const gzipKiB = gzipBytes / 1024;
    return {
      command: `wrangler ${args.join(' ').replaceAll(outdir, '<tmp>')}`,
      minify: /^\s*minify\s*=\s*true/m.test(topLevel),
      files,
      gzipKiB,
      rawKiB: rawBytes / 1024,
      wranglerSays,
      groups,
      modules,
      goals: [
        {
          label: 'Worker bundle, gzip',
          target: `≤ ${LIMIT_KIB} KiB`,
          value: `${gzipKiB.toFixed(1)} KiB`,
          met: gzipKiB <= LIMIT_KIB,
        },
      ],
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
