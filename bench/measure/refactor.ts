/**
 * 11. Before and after the architecture refactor: the ingest and checkout
 * ratios (ingest.ts, checkout.ts, as they are) of the source trees at
 * commits `before` and `after` (each extracted with `git archive` into a
 * temporary directory, run with its own scripts/stack.ts, src/, sim/ and
 * migrations), on the same machine, by the same bench code, interleaved
 * before/after, after/before, … so that a drift of the machine weighs on
 * both. Each tree's figure is the mean of its measurements' median ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchContext, goal } from '../context.ts';
import { ROOT } from '../lib/stack.ts';
import { measureCheckout } from './checkout.ts';
import { sum } from './common.ts';
import { measureIngest } from './ingest.ts';

/** How far the refactor may move a ratio. */
const TOLERANCE = 0.05;

export async function measureRefactor(ctx: BenchContext) {
  const { pairs } = ctx.sizes.refactor;
  const commits = {
    before: execFileSync('git', ['rev-parse', '--short', ctx.sizes.refactor.before], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim(),
    after: execFileSync('git', ['rev-parse', '--short', ctx.sizes.refactor.after], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim(),
  };
  const extract = (commit: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `djomy-edge-${commit}-`));
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ROOT });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  };
  const trees = { before: extract(commits.before), after: extract(commits.after) };
  try {
    const ratios = {
      before: { ingest: [] as number[], checkout: [] as number[] },
      after: { ingest: [] as number[], checkout: [] as number[] },
    };
    for (let pair = 0; pair < pairs; pair++) {
      for (const tree of pair % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
        const sub: BenchContext = {
          ...ctx,
          log: (message) => ctx.log(`${tree}: ${message}`),
          stack: (name, options) => ctx.stack(`${tree}-${name}`, { ...options, root: trees[tree] }),
        };
        ratios[tree].ingest.push((await measureIngest(sub)).comparison.median.ratio);
        ratios[tree].checkout.push((await measureCheckout(sub)).comparison.median.ratio);
      }
    }
    const mean = (values: number[]) => sum(values) / (values.length || 1);
    const figures = (['ingest', 'checkout'] as const).map((what) => {
      const [b, a] = [mean(ratios.before[what]), mean(ratios.after[what])];
      return {
        what,
        before: b,
        after: a,
        difference: a - b,
        runs: { before: ratios.before[what], after: ratios.after[what] },
      };
    });
    return {
      ...{ commit: commits.before, after: commits.after, pairs, rounds: ctx.sizes.ingest.rounds, figures },
      goals: figures.map((f) =>
        goal(
          `${f.what === 'ingest' ? 'Webhook ingest' : 'Checkout create'} ratio, ${commits.before} → ${commits.after}`,
          `± ${TOLERANCE}`,
          `${f.before.toFixed(2)}× → ${f.after.toFixed(2)}× (${f.difference >= 0 ? '+' : ''}${f.difference.toFixed(2)})`,
          Math.abs(f.difference) <= TOLERANCE,
        ),
      ),
    };
  } finally {
    for (const dir of Object.values(trees)) rmSync(dir, { recursive: true, force: true });
  }
}
