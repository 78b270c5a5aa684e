/**
 * `/mcp` against the real stack (`wrangler dev`, the Djomy simulator) with
 * the official pieces: the MCP TypeScript SDK's client reads a payment made
 * through the API and paid at the simulator, a summary, creates a link whose
 * PNG QR code decodes to its page, and the cashier's client is refused a
 * write; then the official conformance suite runs its server scenarios. The
 * suite cannot send a token, so it talks to a small loopback proxy that adds
 * `Authorization` and changes nothing else (Host and Origin pass as sent, so
 * the DNS rebinding scenario still meets the Worker's own check).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../support/png.ts';
import { createPayment, simControl, simPaymentOf, stack } from './support/api.ts';

const MCP_URL = `${stack.workerUrl}/mcp`;

type ToolResult = {
  content: { type: string; text?: string; data?: string; mimeType?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/** An SDK client connected to the Worker with `token`. */
async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'djomy-edge-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

describe('the MCP SDK client', () => {
  let merchant: Client;
  let cashier: Client;

  beforeAll(async () => {
    expect(stack.viewerToken.length).toBeGreaterThanOrEqual(16);
    merchant = await connect(stack.adminToken);
    cashier = await connect(stack.viewerToken);
  });

  afterAll(async () => {
    await merchant?.close();
    await cashier?.close();
  });

  it('initializes on 2025-11-25 and lists the eight tools', async () => {
    expect(merchant.getServerVersion()).toMatchObject({ name: 'djomy-edge' });
    expect(merchant.getInstructions()).toMatch(/No tool moves money/);
    const { tools } = await merchant.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'create_payment_link',
      'get_payment',
      'get_payment_link',
      'list_payments',
      'list_products',
      'payments_summary',
      'upsert_product',
      'verify_payment',
    ]);
    // The document those answers come from is a static asset, public like /openapi.json.
    const asset = await fetch(`${stack.workerUrl}/mcp-tools.json`);
    expect(asset.status).toBe(200);
    const document = (await asset.json()) as { tools: { name: string; description: string }[] };
    expect(document.tools.map((tool) => [tool.name, tool.description])).toEqual(
      tools.map((tool) => [tool.name, tool.description]),
    );
  });

  it('reads a payment made through the API and paid at the simulator, its phone masked', async () => {
    const reference = `MCP-E2E-${Date.now()}`;
    const created = await createPayment({
      flow: 'gateway',
      items: [{ sku: 'tasse', quantity: 2 }],
      payer: { phone: '622 12 34 56' },
      reference,
    });
    const { transactionId } = await simPaymentOf(created.id);
    await simControl('POST', `/payments/${transactionId}/complete`, { status: 'SUCCESS' });

    // The SDK validates each structured answer against the tool's outputSchema.
    const verified = await callTool(merchant, 'verify_payment', { id: created.id });
    expect(verified.isError ?? false).toBe(false);
    expect(verified.structuredContent?.payment).toMatchObject({ id: created.id, paid: true });

    const detail = await callTool(merchant, 'get_payment', { id: created.id });
    expect(detail.structuredContent?.payment).toMatchObject({
      id: created.id,
      status: 'SUCCESS',
      paid: true,
      amount: 50_000,
      reference,
      payer: '00224******456',
    });
    expect(JSON.stringify(detail)).not.toContain('00224622123456');

    const listed = await callTool(cashier, 'list_payments', { q: reference });
    const payments = (listed.structuredContent?.payments ?? []) as { id: string }[];
    expect(payments.map((p) => p.id)).toEqual([created.id]);
  });

  it('gets a summary of the days paid', async () => {
    const { structuredContent } = await callTool(merchant, 'payments_summary', { days: 7 });
    const totals = (structuredContent?.totals ?? []) as { currency: string; paidCount: number }[];
    expect(totals.find((t) => t.currency === 'GNF')?.paidCount).toBeGreaterThanOrEqual(1);
  });

  it("creates a link whose PNG QR code decodes to the link's page", async () => {
    const result = await callTool(merchant, 'create_payment_link', {
      usageType: 'MULTIPLE',
      linkName: 'Comptoir e2e',
    });
    expect(result.isError ?? false).toBe(false);
    const pageUrl = result.structuredContent?.paymentPageUrl as string;
    expect(pageUrl).toMatch(/^http/);
    const image = result.content.find((block) => block.type === 'image');
    expect(image?.mimeType).toBe('image/png');
    const png = await decodePng(new Uint8Array(Buffer.from(image?.data ?? '', 'base64')));
    expect(jsQR(png.rgba, png.width, png.height)?.data).toBe(pageUrl);

    const read = await callTool(cashier, 'get_payment_link', {
      reference: result.structuredContent?.reference as string,
    });
    expect(read.structuredContent).toMatchObject({ paymentPageUrl: pageUrl, usageType: 'MULTIPLE' });
  });

  it("refuses the cashier's client a write, as a tool error", async () => {
    const result = await callTool(cashier, 'upsert_product', { sku: 'tasse', name: 'Gratuite', amount: 1 });
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/cashier's token only reads and verifies/);
    const { structuredContent } = await callTool(merchant, 'list_products');
    expect(structuredContent?.products).toContainEqual(
      expect.objectContaining({ sku: 'tasse', amount: 25_000 }),
    );
  });

  it('refuses a client without a token', async () => {
    const client = new Client({ name: 'no-token', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(MCP_URL)))).rejects.toMatchObject({
      code: 401,
    });
  });
});

describe('the official conformance suite (@modelcontextprotocol/conformance)', () => {
  let proxy: Server;
  let proxyUrl = '';
  const results = mkdtempSync(path.join(tmpdir(), 'mcp-conformance-'));

  beforeAll(async () => {
    const target = new URL(stack.workerUrl);
    proxy = createServer((incoming, outgoing) => {
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, authorization: `Bearer ${stack.adminToken}` },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => outgoing.destroy(error));
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`;
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    rmSync(results, { recursive: true, force: true });
  });

  /** Runs one scenario as its own process; its exit code, output and checks. */
  function runScenario(scenario: string) {
    const out = path.join(results, scenario);
    const cli = path.resolve('node_modules/@modelcontextprotocol/conformance/dist/index.js');
    return new Promise<{
      code: number;
      output: string;
      checks: { id: string; status: string; details?: { statusCode?: number; body?: { type?: string } } }[];
    }>((resolve) => {
      execFile(
        process.execPath,
        [cli, 'server', '--url', proxyUrl, '--scenario', scenario, '-o', out],
        { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) => {
          const dir = readdirSync(out)[0] as string;
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            output: `${stdout}${stderr}`,
            checks: JSON.parse(readFileSync(path.join(out, dir, 'checks.json'), 'utf8')),
          });
        },
      );
    });
  }

  it.each(['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'])(
    '%s passes',
    async (scenario) => {
      const { code, output, checks } = await runScenario(scenario);
      const summary = output.match(/Passed: \d+\/\d+, \d+ failed, \d+ warnings/)?.[0];
      console.info(`conformance ${scenario}: ${summary}`);
      expect(
        checks.filter((check) => check.status === 'FAILURE'),
        output,
      ).toEqual([]);
      expect(checks.length).toBeGreaterThan(0);
      expect(summary).toMatch(/, 0 failed/);
      expect(code, output).toBe(0);
    },
  );

  it("refuses the rebound Host and Origin with the Worker's own 403, through the proxy", async () => {
    const { checks } = await runScenario('dns-rebinding-protection');
    const rejected = checks.find((check) => check.id === 'localhost-host-rebinding-rejected');
    expect(rejected?.details).toMatchObject({
      statusCode: 403,
      body: { type: '/docs#problem-origin-not-allowed' },
    });
  });
});
