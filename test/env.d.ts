// Types of the test environment: the Worker's bindings plus the migrations the
// setup file applies, and the Worker module behind `exports.default`.
import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../src/env.ts';
import type * as WorkerModule from '../src/index.ts';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** `CHAOS_SEEDS=1,2` (or `CHAOS_SEED=1`) in the shell: the seeds of the chaos test. */
      CHAOS_SEEDS: string;
      /** `FUZZ_RUNS=n` in the shell: runs per property of the fuzz tests. */
      FUZZ_RUNS: string;
      /** The `[[queues.consumers]]` of wrangler.toml, as JSON. */
      QUEUE_CONSUMERS: string;
    }
    interface GlobalProps {
      mainModule: typeof WorkerModule;
    }
  }
}
