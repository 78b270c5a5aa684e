/**
 * An accessibility scan of the page as it is now: axe-core runs inside the
 * page (injected from node_modules, so no CDN and no CSP exception: the
 * script is added through the DevTools protocol, not by the page), and any
 * serious or critical violation fails the test with what and where.
 * Moderate and minor ones are returned for the test to assert on if it cares.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules, plus best practices) on `page`; returns every violation. */
export async function scanPage(page: Page): Promise<Violation[]> {
  // `evaluate` runs in the page's main world without going through its CSP.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected above, untyped in the page (and these types have no DOM).
    const { axe, document } = globalThis as any;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return results.violations.map(
      (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }),
    );
  });
}

/**
 * Fails when the page has a serious or critical violation, naming each.
 *
 * @example await expectAccessible(page, 'console: Today (390 px)')
 */
export async function expectAccessible(page: Page, name: string): Promise<Violation[]> {
  const violations = await scanPage(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    blocking.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.slice(0, 3).join(', ')}`),
    `${name}: serious or critical accessibility violations`,
  ).toEqual([]);
  return violations;
}
