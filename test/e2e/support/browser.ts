/**
 * Headless Debian Chromium for the browser tests: one browser per test file,
 * a fresh context (cookies, localStorage) per test, uncaught page errors
 * collected so that a test can insist there were none, and screenshots
 * saved under test-results/screenshots/ (CI artifacts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { CHROMIUM } from './global-setup.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown by the pages' scripts. */
  errors: string[];
}

export async function openTab(browser: Browser, options: BrowserContextOptions = {}): Promise<Tab> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    ...options,
  });
  // Long enough for a verify round trip through the queue, short enough to fail fast.
  context.setDefaultTimeout(15_000);
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  const page = await context.newPage();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The payment id a demo page is showing or handling. */
export function paymentIdFromUrl(page: Page): string {
  const id = new URL(page.url()).searchParams.get('payment');
  if (!id) throw new Error(`no ?payment= in ${page.url()}`);
  return id;
}
