import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';
import { exampleVars } from './scripts/stack.ts';
import { SIM_BUNDLE, TEST_CREDENTIALS, TEST_HOSTS } from './test/support/constants.ts';

/**
 * Three projects:
 * - `worker`: tests that run inside workerd with the real local bindings (D1, KV,
 *   Queues, rate limiter). The Djomy simulator runs beside the Worker as an
 *   auxiliary Worker, and every outbound `fetch` of the Worker goes to it, so
 *   the client meets a real HTTP peer and the simulator's webhooks reach the
 *   Worker's `fetch`.
 * - `node`: plain Node tests (the OpenAPI document).
 * - `e2e`: Node-side tests against `wrangler dev` processes (browser, CLI, bench smoke).
 */
const migrations = await readD1Migrations('migrations');

/**
 * Every setting `.dev.vars.example` documents, empty (its default) unless a
 * test needs a value below: the plugin also reads the developer's own
 * `.dev.vars`, and none of it may change what the tests see.
 */
const pinnedSettings = Object.fromEntries(Object.keys(exampleVars()).map((name) => [name, '']));

/** The queue consumers of wrangler.toml, so the budget tests run batches of their real size. */
const consumers =
  unstable_readConfig({ config: './wrangler.toml' }, { hideWarnings: true }).queues.consumers ?? [];

export default defineConfig({
  test: {
    // The Worker's JSON log lines are noise in a test run (DEBUG_LOGS=1 shows them);
    // what tests print themselves (the chaos test's counts) stays visible.
    onConsoleLog: (log) => Boolean(process.env.DEBUG_LOGS) || !log.trimStart().startsWith('{"level"'),
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...pinnedSettings,
                TEST_MIGRATIONS: migrations,
                // Knobs of the chaos and fuzz tests, from the shell (workerd has no process.env).
                CHAOS_SEEDS: process.env.CHAOS_SEEDS ?? process.env.CHAOS_SEED ?? '',
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
                QUEUE_CONSUMERS: JSON.stringify(consumers),
                DJOMY_BASE_URL: `http://${TEST_HOSTS.djomy}`,
                PUBLIC_URL: `http://${TEST_HOSTS.edge}`,
                ALLOWED_ORIGINS: `https://${TEST_HOSTS.shop},http://${TEST_HOSTS.shopDev}`,
                MERCHANT_WEBHOOK_URL: `http://${TEST_HOSTS.djomy}/__sim/merchant/webhook`,
                DJOMY_CLIENT_ID: TEST_CREDENTIALS.clientId,
                DJOMY_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
                ADMIN_TOKEN: TEST_CREDENTIALS.adminToken,
                VIEWER_TOKEN: TEST_CREDENTIALS.viewerToken,
                MERCHANT_WEBHOOK_SECRET: TEST_CREDENTIALS.merchantWebhookSecret,
                // Short, so that timeout faults injected at the simulator stay quick.
                DJOMY_TIMEOUT_MS: '1000',
                OTP_METHODS: 'OM,MOMO,PAYCARD',
                DEFAULT_COUNTRY: 'GN',
              },
              outboundService: 'djomy-sim',
              workers: [
                {
                  name: 'djomy-sim',
                  modules: true,
                  scriptPath: SIM_BUNDLE,
                  compatibilityDate: '2026-11-01',
                  bindings: {
                    SIM_CLIENT_ID: TEST_CREDENTIALS.clientId,
                    SIM_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
                    SIM_WEBHOOK_URL: `http://${TEST_HOSTS.edge}/webhooks/djomy`,
                    SIM_MERCHANT_WEBHOOK_SECRET: TEST_CREDENTIALS.merchantWebhookSecret,
                    SIM_TELEGRAM_BOT_TOKEN: TEST_CREDENTIALS.telegramBotToken,
                  },
                  // The simulator's own fetches (webhooks to the Worker) go to the Worker under test.
                  outboundService: 'vitest-plugin-runner-worker',
                },
              ],
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/node/**'],
          globalSetup: ['test/support/build-sim.ts'],
          setupFiles: ['test/support/apply-migrations.ts'],
          // The simulator is one process-wide peer: test files take turns with it.
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
