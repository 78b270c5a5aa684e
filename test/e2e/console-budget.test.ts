/**
 * The console's first load on a slow connection: every response of loading
 * /admin/ in a fresh browser (empty cache), each body gzipped, must sum to
 * at most 60 KiB, and nothing may be asked of another origin. Measured
 * twice: signed out (the sign-in form) and signed in (Today with its data).
 * The figures are printed.
 */
import { gzipSync } from 'node:zlib';
import type {
  Browser,
  BrowserContextOptions,
  Page,
  Request as PageRequest,
  Response as PageResponse,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from './support/api.ts';
import { launchBrowser, openTab } from './support/browser.ts';
import { consoleUrl, READY, SIGN_IN_TIMEOUT, signIn } from './support/console.ts';

const BUDGET = 60 * 1024;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

interface Loaded {
  url: string;
  status: number;
  bytes: number;
  gzip: number;
}

/** Loads the console in a fresh context and records every response until `ready` shows and the network is idle. */
async function firstLoad(
  options: BrowserContextOptions,
  ready: string,
): Promise<{ loaded: Loaded[]; requested: string[]; page: Page; close: () => Promise<void> }> {
  const { page, context, errors } = await openTab(browser, {
    viewport: { width: 390, height: 844 },
    ...options,
  });
  const requested: string[] = [];
  const pending: Promise<Loaded>[] = [];
  const onRequest = (request: PageRequest) => requested.push(request.url());
  const onResponse = (response: PageResponse) => {
    pending.push(
      response.body().then((body) => ({
        url: response.url(),
        status: response.status(),
        bytes: body.length,
        gzip: body.length ? gzipSync(body).length : 0,
      })),
    );
  };
  page.on('request', onRequest);
  page.on('response', onResponse);
  await page.goto(consoleUrl('budget'));
  await page.locator(ready).waitFor();
  await page.waitForLoadState('networkidle');
  // The first load ends here: what the page fetches later (signing in, a refresh) is not read, so
  // that no body is still being read when the test closes the page.
  page.off('request', onRequest);
  page.off('response', onResponse);
  const loaded = await Promise.all(pending);
  expect(errors).toEqual([]);
  return { loaded, requested, page, close: () => context.close() };
}

function report(title: string, loaded: Loaded[]): number {
  const origin = new URL(consoleUrl('budget')).origin;
  const total = loaded.reduce((sum, r) => sum + r.gzip, 0);
  const lines = loaded.map(
    (r) =>
      `  ${(r.gzip / 1024).toFixed(2).padStart(6)} KiB gzip  ${(r.bytes / 1024).toFixed(2).padStart(6)} KiB  ${r.status}  ${r.url.replace(origin, '')}`,
  );
  console.log(
    `${title}: ${(total / 1024).toFixed(2)} KiB gzip in ${loaded.length} responses\n${lines.join('\n')}`,
  );
  return total;
}

describe('the first load of /admin/', () => {
  it(
    'stays within 60 KiB gzipped, from the Worker’s origin only, signed out and signed in',
    async () => {
      const origin = new URL(consoleUrl('budget')).origin;

      const signedOut = await firstLoad({}, '[data-testid="signin-form"]');
      const outTotal = report('first load, signed out', signedOut.loaded);
      expect(
        signedOut.requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:')),
      ).toEqual([]);
      expect(signedOut.loaded.map((r) => r.status).filter((s) => s !== 200 && s !== 401)).toEqual([]);
      expect(outTotal).toBeLessThanOrEqual(BUDGET);

      // Sign in there, then load again in a fresh browser holding only that session cookie.
      await signIn(signedOut.page, stack.adminToken, 'Marchand');
      const cookies = await signedOut.page.context().cookies();
      await signedOut.close();
      const signedIn = await firstLoad({ storageState: { cookies, origins: [] } }, READY.today);
      const inTotal = report('first load, signed in (Today)', signedIn.loaded);
      expect(
        signedIn.requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:')),
      ).toEqual([]);
      expect(signedIn.loaded.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      expect(signedIn.loaded.some((r) => r.url.endsWith('/api/admin/summary?days=30'))).toBe(true);
      expect(inTotal).toBeLessThanOrEqual(BUDGET);
      await signedIn.close();
    },
    SIGN_IN_TIMEOUT,
  );
});
