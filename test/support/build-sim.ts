import { build } from 'esbuild';
import { SIM_BUNDLE } from './constants.ts';

/** Vitest global setup: bundles the simulator so Miniflare can load it as an auxiliary Worker. */
export default async function buildSimulator(): Promise<void> {
  await build({
    entryPoints: ['sim/src/index.ts'],
    outfile: SIM_BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
}
