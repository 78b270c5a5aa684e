/**
 * 5. Worker bundle: what `wrangler deploy --dry-run` would upload, gzipped with
 * node:zlib (default level), and what it is made of (esbuild metafile: bytes
 * each input contributes to the output). A contributor's share of the gzip
 * size is estimated in proportion to its raw bytes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BenchContext, goal } from '../context.ts';
import { wrangler, wranglerConfig } from '../lib/stack.ts';

const LIMIT_KIB = 64;

const groupOf = (input: string) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return pkg ? `${pkg[1]} (npm)` : input.startsWith('src/') ? path.dirname(input) : input;
};

export async function measureBundle(ctx: BenchContext) {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'djomy-edge-bundle-'));
  try {
    const args = ['deploy', '--dry-run', '--outdir', outdir, '--metafile', path.join(outdir, 'meta.json')];
    ctx.log('bundle: wrangler deploy --dry-run');
    const { stdout, stderr } = await wrangler(args);
    const outputs = readdirSync(outdir)
      .filter((name) => /\.(m?js|wasm)$/.test(name))
      .map((name) => readFileSync(path.join(outdir, name)));
    const rawBytes = outputs.reduce((sum, bytes) => sum + bytes.length, 0);
    const gzipBytes = outputs.reduce((sum, bytes) => sum + gzipSync(bytes).length, 0);

    type Metafile = { outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }> };
    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const inputs = new Map<string, number>();
    for (const output of Object.values(meta.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
        const name = input.replace(/^(\.\.\/)+/, '');
        inputs.set(name, (inputs.get(name) ?? 0) + bytesInOutput);
      }
    const total = [...inputs.values()].reduce((a, b) => a + b, 0) || 1;
    const groups = new Map<string, number>();
    for (const [input, bytes] of inputs)
      groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + bytes);
    const gzipKiB = gzipBytes / 1024;
    const top = (entries: Map<string, number>, count: number) =>
      [...entries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([name, bytes]) => ({
          name,
          bytes,
          percent: (100 * bytes) / total,
          gzipKiB: (bytes / total) * gzipKiB,
        }));

    return {
      command: `wrangler ${args.join(' ').replaceAll(outdir, '<tmp>')}`,
      minify: (await wranglerConfig()).minify === true,
      gzipKiB,
      rawKiB: rawBytes / 1024,
      wranglerSays: /Total Upload:[^\n]*/.exec(`${stdout}\n${stderr}`)?.[0].trim() ?? null,
      groups: top(groups, 14),
      modules: top(inputs, 12),
      goals: [
        goal('Worker bundle, gzip', `≤ ${LIMIT_KIB} KiB`, `${gzipKiB.toFixed(1)} KiB`, gzipKiB <= LIMIT_KIB),
      ],
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
