/**
 * 10. The merchant console's first load: `<worker>/admin/` opened in headless
 * Chromium (playwright-core) with an empty cache and no session, until the
 * network is idle. Every response is recorded, its body gzipped with
 * node:zlib at the default level (6), and the sum compared with the budget;
 * every request must stay on the Worker's origin. When
 * public/admin/index.html does not exist, nothing is loaded and the goals
 * say "console not present".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { absentGoal, type BenchContext, goal } from '../context.ts';
import { ROOT } from '../lib/stack.ts';

const BUDGET_KIB = 60;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INDEX = 'public/admin/index.html';

export async function measureConsole(ctx: BenchContext) {
  const labels = [
    `Console first load, every response gzipped`,
    'Console first load: requests to another origin',
  ];
  if (!existsSync(path.join(ROOT, INDEX))) {
    const absent = `console not present (no ${INDEX})`;
    return {
      present: false as const,
      goals: [
        absentGoal(labels[0] as string, `≤ ${BUDGET_KIB} KiB`, absent),
        absentGoal(labels[1] as string, '0', absent),
      ],
    };
  }
  const stack = await ctx.stack('console');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const origin = new URL(stack.workerUrl).origin;
    const requested: string[] = [];
    const files: Promise<{ url: string; status: number; type: string; bytes: number; gzipBytes: number }>[] =
      [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('response', (response) =>
      files.push(
        response
          .body()
          .catch(() => Buffer.alloc(0))
          .then((body) => ({
            url: response.url().startsWith(origin) ? response.url().slice(origin.length) : response.url(),
            status: response.status(),
            type: (response.headers()['content-type'] ?? '').split(';')[0] as string,
            bytes: body.length,
            gzipBytes: body.length ? gzipSync(body).length : 0,
          })),
      ),
    );
    ctx.log(`console: first load of ${stack.workerUrl}/admin/`);
    await page.goto(`${stack.workerUrl}/admin/`, { waitUntil: 'networkidle' });
    const responses = await Promise.all(files);
    const foreign = requested.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
    const gzipKiB = responses.reduce((sum, r) => sum + r.gzipBytes, 0) / 1024;
    const rawKiB = responses.reduce((sum, r) => sum + r.bytes, 0) / 1024;
    return {
      present: true as const,
      ...{ responses, gzipKiB, rawKiB, requests: requested.length, foreign },
      goals: [
        goal(
          labels[0] as string,
          `≤ ${BUDGET_KIB} KiB`,
          `${gzipKiB.toFixed(1)} KiB (${responses.length} responses, ${rawKiB.toFixed(1)} KiB raw)`,
          gzipKiB <= BUDGET_KIB,
        ),
        goal(
          labels[1] as string,
          '0',
          `${foreign.length}${foreign.length ? ` (${foreign.slice(0, 3).join(', ')})` : ''} of ${requested.length}`,
          foreign.length === 0,
        ),
      ],
    };
  } finally {
    await browser.close();
    await ctx.release(stack);
  }
}
