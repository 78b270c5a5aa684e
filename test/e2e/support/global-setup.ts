/**
 * Starts the real local stack once for the e2e project (`wrangler dev` for
 * the Worker and the simulator, on their own ports and a fresh state
 * directory) and stops it afterwards. Fails loudly when Chromium is missing:
 * browser tests never skip silently.
 */
import { existsSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { type Stack, startStack } from '../../../scripts/stack.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STATE = '.wrangler/e2e-state';
/** The Worker's port (the simulator's is the next one): E2E_PORT lets two checkouts run their e2e tests at once. */
const PORT = Number(process.env.E2E_PORT ?? 8797);

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { workerUrl: string; simUrl: string; adminToken: string; viewerToken: string };
  }
}

let stack: Stack | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is needed for the browser tests and was not found at ${CHROMIUM}. Install it once with: sudo apt-get update && sudo apt-get install -y chromium`,
    );
  }
  rmSync(STATE, { recursive: true, force: true });
  stack = await startStack({
    workerPort: PORT,
    simPort: PORT + 1,
    persistTo: STATE,
    exampleSettings: true,
    workerVars: { DJOMY_TIMEOUT_MS: '3000' },
  });
  project.provide('stack', {
    workerUrl: stack.workerUrl,
    simUrl: stack.simUrl,
    adminToken: stack.adminToken,
    viewerToken: stack.viewerToken,
  });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
