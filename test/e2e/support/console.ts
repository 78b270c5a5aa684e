/**
 * Driving the merchant console (public/admin/) in Chromium. Cookies are per
 * host, so each test opens the console on a host of its own
 * (`http://<name>.localhost:<port>/admin/`: Chromium resolves every
 * `*.localhost` to 127.0.0.1, and the Worker treats them as loopback, so the
 * session cookie needs no https).
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { stack } from './api.ts';
import { openTab, type Tab } from './browser.ts';

/** The console's address on host `<name>.localhost`. */
export function consoleUrl(name: string, hash = ''): string {
  const { port } = new URL(stack.workerUrl);
  return `http://${name}.localhost:${port}/admin/${hash}`;
}

/** A fresh tab (own cookies) on the console of host `name`, showing the sign-in form. */
export async function openConsole(
  browser: Browser,
  name: string,
  options: BrowserContextOptions = {},
): Promise<Tab> {
  const tab = await openTab(browser, options);
  await tab.page.goto(consoleUrl(name));
  await tab.page.getByTestId('signin-token').waitFor();
  return tab;
}

/**
 * Sign-in attempts are limited to 10 a minute per IP (wrangler.toml), and
 * every test signs in from 127.0.0.1. The console's tests stay under it
 * (10 sign-ins in all); should that change, a sign-in that meets the limit
 * waits for its minute once, and says so. Tests that sign in allow for it.
 */
const TOO_MANY = 'Trop d’essais, réessayez dans une minute';
export const SIGN_IN_TIMEOUT = 150_000;

/**
 * Sends `token` through the sign-in form; resolves with the refusal shown, or null once signed in.
 */
export async function submitToken(page: Page, token: string): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    await page.getByTestId('signin-token').fill(token);
    await page.getByTestId('signin-submit').click();
    const outcome = await Promise.race([
      page
        .getByTestId('role')
        .waitFor()
        .then(() => 'in'),
      page
        .locator('[data-testid="signin-message"].error')
        .waitFor()
        .then(() => 'refused'),
    ]);
    if (outcome === 'in') return null;
    const message = await page.getByTestId('signin-message').textContent();
    if (message !== TOO_MANY || attempt > 0) return message;
    console.warn('console sign-in rate limit reached by the tests: waiting a minute');
    await page.waitForTimeout(61_000);
  }
}

/** Signs in through the form and checks the role the console shows. */
export async function signIn(page: Page, token: string, role: 'Marchand' | 'Caissier'): Promise<void> {
  const refused = await submitToken(page, token);
  if (refused !== null) throw new Error(`sign-in refused: ${refused}`);
  expect(await page.getByTestId('role').textContent()).toBe(role);
}

/** Goes to a console route (changes only the hash: no reload) and waits for what proves it is shown. */
export async function visit(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate((next) => {
    location.hash = next;
  }, hash);
  await page.locator(ready).first().waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
}

/** What each console page shows once it has its data. */
export const READY = {
  today: '[data-testid="paid-today-count"]',
  payments: '[data-testid="payments-count"][data-count]',
  payment: '[data-testid="payment-facts"]',
  links: '[data-testid="links-list"]',
  poster: '[data-testid="poster-qr"]',
  products: '[data-testid="products-list"]',
  counter: '[data-testid="counter-status"]:text-matches("En direct|Live")',
  health: '[data-testid="check-credentials"]',
} as const;

/** `GET`/`POST` the admin API from the test, with the admin token. */
export async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.workerUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A tag no other test or run uses, for references, names and SKUs. */
export function uniqueTag(prefix: string): string {
  // Letters only: the console's search also matches digits against the end of payers' phone numbers.
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) =>
    String.fromCharCode(65 + (byte % 26)),
  );
  return `${prefix}${letters.join('')}`;
}

/** A Guinean mobile number nobody else in the tests uses: 9 digits, starting with 62. */
export function uniquePhone(): string {
  return `62${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}
