/** The measurements by name, in run order, and the shape of a results file (bench/results/*.json). */
import type { Sizes } from '../context.ts';
import type { Machine } from '../lib/machine.ts';
import { measureBundle } from './bundle.ts';
import { measureCapacity } from './capacity.ts';
import { measureCheckout } from './checkout.ts';
import { measureConsole } from './console.ts';
import { measureColdAuth, measureEconomy } from './economy.ts';
import { measureIngest } from './ingest.ts';
import { measureInvocations } from './invocations.ts';
import { measureLedger } from './ledger.ts';
import { measureRefactor } from './refactor.ts';
import { measureSustained } from './sustained.ts';
import { measureVerify } from './verify.ts';

/** The economy first, while nothing else has touched its stack (smoke runs share one). */
export const MEASUREMENTS = {
  economy: measureEconomy,
  'cold-auth': measureColdAuth,
  ingest: measureIngest,
  checkout: measureCheckout,
  verify: measureVerify,
  bundle: measureBundle,
  sustained: measureSustained,
  invocations: measureInvocations,
  ledger: measureLedger,
  capacity: measureCapacity,
  console: measureConsole,
  refactor: measureRefactor,
} as const;

export type MeasurementName = keyof typeof MEASUREMENTS;
export type Results = {
  [N in MeasurementName]?: Awaited<ReturnType<(typeof MEASUREMENTS)[N]>> & {
    measuredAt: string;
    elapsedSeconds: number;
    /** src/ or wrangler.toml changed while it ran (wrangler dev reloaded the Worker mid-measurement). */
    sourceChanged: boolean;
  };
};

export interface BenchResults {
  smoke: boolean;
  runId: string;
  startedAt: string;
  seconds: number;
  machine: Machine;
  sizes: Sizes;
  results: Results;
  /** Measurements that threw, with the error. */
  failed: Partial<Record<MeasurementName, string>>;
}
