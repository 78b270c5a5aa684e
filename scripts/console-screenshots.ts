/**
 * `node scripts/console-screenshots.ts`: the README's pictures of the
 * merchant console (docs/img/console-phone.png, console-desktop.png,
 * poster.png). Starts its own local stack on spare ports with a fresh
 * ledger, makes a few payments the way payers do (direct flow, OTP from the
 * simulator), creates a counter link, and photographs the console in
 * Chromium. Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startStack } from './stack.ts';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs', 'img');
const STATE = '.wrangler/screenshots-state';
const PORT = Number(process.env.SCREENSHOT_PORT ?? 8891);

rmSync(path.join(root, STATE), { recursive: true, force: true });
const stack = await startStack({
  workerPort: PORT,
  simPort: PORT + 1,
  persistTo: STATE,
  exampleSettings: true,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});

async function json<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${answer.url}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** A payer pays by Orange Money or MoMo, typing the OTP the simulator shows on their phone. */
async function pay(sku: string, quantity: number, method: string, phone: string, reference: string) {
  const { id } = await json<{ id: string }>(
    post(`${stack.workerUrl}/api/payments`, {
      flow: 'direct',
      paymentMethod: method,
      items: [{ sku, quantity }],
      payer: { phone },
      reference,
    }),
  );
  const { payments } = await json<{ payments: { merchantPaymentReference: string; otp: string | null }[] }>(
    fetch(`${stack.simUrl}/__sim/payments`),
  );
  const otp = payments.find((p) => p.merchantPaymentReference === id)?.otp;
  await json(post(`${stack.workerUrl}/api/payments/${id}/otp`, { otp }));
}

async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const { port } = new URL(stack.workerUrl);
  await page.goto(`http://shots.localhost:${port}/admin/`);
  await page.getByTestId('signin-token').fill(stack.adminToken);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('role').waitFor();
  return page;
}

async function shoot(page: Page, name: string, target?: string): Promise<void> {
  const file = path.join(out, name);
  if (target) await page.locator(target).screenshot({ path: file });
  else await page.screenshot({ path: file });
  console.log(`${path.relative(root, file)}: ${(statSync(file).size / 1024).toFixed(1)} KiB`);
}

try {
  mkdirSync(out, { recursive: true });
  const orders: [string, number, string][] = [
    ['tasse', 2, 'OM'],
    ['casquette', 1, 'MOMO'],
    ['sac-wax', 1, 'OM'],
    ['cafe-ziama', 3, 'OM'],
    ['savon-karite', 4, 'MOMO'],
    ['tshirt-djomy', 1, 'OM'],
  ];
  for (const [index, [sku, quantity, method]] of orders.entries()) {
    await pay(sku, quantity, method, `62${String(4_100_000 + index * 1_111)}`, `CMD-${2041 + index}`);
  }
  const link = await json<{ reference: string }>(
    post(
      `${stack.workerUrl}/api/admin/links`,
      {
        usageType: 'MULTIPLE',
        linkName: 'Boutique Conakry — comptoir',
        allowedPaymentMethods: ['OM', 'MOMO'],
      },
      stack.adminToken,
    ),
  );

  const phone = await signedIn({ width: 390, height: 844 });
  await phone.locator('[data-testid="paid-today-count"]').first().waitFor();
  await shoot(phone, 'console-phone.png');

  const desktop = await signedIn({ width: 1280, height: 800 });
  await desktop.evaluate(() => {
    location.hash = '#/payments';
  });
  await desktop.locator('[data-testid="payment-row"]').first().waitFor();
  await shoot(desktop, 'console-desktop.png');

  // The poster as it prints: an A5 page is 559 × 794 CSS pixels.
  const a5 = await signedIn({ width: 559, height: 794 });
  await a5.evaluate((reference) => {
    location.hash = `#/links/${reference}/poster`;
  }, link.reference);
  await a5.getByTestId('poster-qr').waitFor();
  await a5.waitForFunction(
    () => (document.querySelector('[data-testid="poster-qr"]') as HTMLImageElement).naturalWidth > 0,
  );
  await a5.emulateMedia({ media: 'print' });
  await shoot(a5, 'poster.png');
} finally {
  await browser.close();
  await stack.stop();
  rmSync(path.join(root, STATE), { recursive: true, force: true });
}
