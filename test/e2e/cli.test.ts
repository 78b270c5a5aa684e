/**
 * `npm run djomy -- …` (scripts/djomy.ts), run as a child process the way a
 * developer runs it, against the running stack.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { devVars } from '../../scripts/stack.ts';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { signStandardWebhook } from '../../src/notify/standard-webhooks.ts';
import { createPayment, ledger, ledgerReaches, simControl, simPaymentOf, stack } from './support/api.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with Node 24 (the one running the tests), never throwing on a non-zero exit. */
async function djomy(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/djomy.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const WEBHOOK_URL = `${stack.workerUrl}/webhooks/djomy`;
const BODY = '{"eventType":"payment.success","eventId":"e-1","data":{"transactionId":"t-1"}}';

describe('djomy CLI', () => {
  afterEach(async () => {
    // Give the simulator back its webhooks, whatever a test did.
    await simControl('PATCH', '/config', { webhookUrl: WEBHOOK_URL });
  });

  it('has help for itself and for each command', async () => {
    const overview = await djomy('--help');
    expect(overview.code).toBe(0);
    for (const command of ['webhook', 'sign', 'verify', 'verify-merchant']) {
      expect(overview.stdout).toContain(command);
      const help = await djomy(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm run djomy -- ${command} `));
    }
    const wrong = await djomy('verify', '--bogus');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Unknown option '--bogus'");
  });

  it('signs a body exactly as the Worker verifies it, and says when a signature is wrong', async () => {
    const secret = 'cli-test-secret';
    const signed = await djomy('sign', '--secret', secret, '--body', BODY);
    expect(signed.code).toBe(0);
    const signature = signed.stdout.trim();
    expect(signature).toBe(await signWebhookBody(secret, BODY));

    const valid = await djomy('verify', '--secret', secret, '--signature', signature, '--body', BODY);
    expect(valid).toMatchObject({ code: 0, stdout: 'valid\n' });
    const bare = await djomy('verify', '--secret', secret, '--signature', signature.slice(3), '--body', BODY);
    expect(bare.code).toBe(0);
    const tampered = await djomy(
      'verify',
      '--secret',
      secret,
      '--signature',
      signature,
      '--body',
      `${BODY} `,
    );
    expect(tampered).toMatchObject({ code: 1, stdout: 'invalid\n' });
  });

  it('verifies a Standard Webhooks merchant notification, and refuses a stale or forged one', async () => {
    const secret = devVars().MERCHANT_WEBHOOK_SECRET as string;
    const body = '{"type":"payment.succeeded","data":{"id":"pay_x"}}';
    const fresh = await signStandardWebhook(secret, 'msg_1', body, new Date());
    const args = (headers: typeof fresh) => [
      '--id',
      headers['webhook-id'],
      '--timestamp',
      headers['webhook-timestamp'],
      '--signature',
      headers['webhook-signature'],
      '--body',
      body,
    ];
    expect(await djomy('verify-merchant', ...args(fresh))).toMatchObject({ code: 0, stdout: 'valid\n' });

    const old = await signStandardWebhook(secret, 'msg_1', body, new Date(Date.now() - 3_600_000));
    expect(await djomy('verify-merchant', ...args(old))).toMatchObject({
      code: 1,
      stdout: 'invalid: stale_timestamp\n',
    });
    expect(await djomy('verify-merchant', ...args(old), '--any-time')).toMatchObject({ code: 0 });

    const forged = await djomy(
      'verify-merchant',
      ...args(fresh),
      '--secret',
      'whsec_QW5vdGhlclNlY3JldEtleTEyMzQ1Ng==',
    );
    expect(forged).toMatchObject({ code: 1, stdout: 'invalid: bad_signature\n' });
  });

  it('a webhook sent with the CLI makes a payment Djomy completed (but never announced) paid', async () => {
    // The simulator completes the payment but sends no webhook of its own.
    await simControl('PATCH', '/config', { webhookUrl: null });
    const created = await createPayment({
      flow: 'direct',
      paymentMethod: 'SOUTRA_MONEY',
      items: [{ sku: 'casquette', quantity: 2 }],
      payer: { phone: '622445566' },
    });
    const { transactionId } = await simPaymentOf(created.id);
    await simControl('POST', `/payments/${transactionId}/complete`, { status: 'SUCCESS' });
    // Nothing has told the Worker yet (and its own first check is 15 s away).
    expect((await ledger(created.id)).payment).toMatchObject({ status: 'PENDING', paid: false });

    // Uses DJOMY_CLIENT_SECRET from .dev.vars, as the running Worker does.
    const sent = await djomy(
      'webhook',
      '--event',
      'payment.success',
      '--tx',
      transactionId,
      '--url',
      WEBHOOK_URL,
      '--v1',
      '--amount',
      String(created.amount),
      '--reference',
      created.id,
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain(`→ POST ${WEBHOOK_URL}`);
    expect(sent.stdout).toMatch(/X-Webhook-Signature: v1:[0-9a-f]{64}/);
    expect(sent.stdout).toContain('← 200 OK');
    expect(sent.stdout).toContain('"received":true');

    const { payment, events } = await ledgerReaches(created.id, 'SUCCESS', 10_000);
    expect(payment.paid).toBe(true);
    expect(events.find((event) => event.to === 'SUCCESS')?.source).toBe('webhook');
  });

  it('a webhook signed with the wrong secret is refused (401) and changes nothing', async () => {
    await simControl('PATCH', '/config', { webhookUrl: null });
    const created = await createPayment({
      flow: 'direct',
      paymentMethod: 'YMO',
      items: [{ sku: 'tasse', quantity: 1 }],
      payer: { phone: '622445566' },
    });
    const { transactionId } = await simPaymentOf(created.id);
    await simControl('POST', `/payments/${transactionId}/complete`, { status: 'SUCCESS' });

    const sent = await djomy(
      'webhook',
      '--event',
      'payment.success',
      '--tx',
      transactionId,
      '--url',
      WEBHOOK_URL,
      '--v2',
      '--secret',
      'not-the-client-secret',
    );
    expect(sent.code).toBe(1);
    expect(sent.stdout).toContain('← 401 Unauthorized');
    expect(sent.stdout).toContain('/docs#problem-bad-signature');
    expect((await ledger(created.id)).payment).toMatchObject({ status: 'PENDING', paid: false });
  });
});
