/**
 * `/mcp` as a transport: the Streamable HTTP rules of a stateless, JSON-only
 * server, the JSON-RPC errors, version negotiation, and what is refused
 * before any JSON-RPC is read (Host and Origin, the token, the rate limit,
 * the size). Everything goes through the Worker's real `fetch`.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import generated from '../../public/mcp-tools.json' with { type: 'json' };
import worker from '../../src/index.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { MCP_HEADERS, postMcp, rpc } from '../support/mcp.ts';
import { call, freshIp, json } from '../support/worker.ts';

const initialize = (protocolVersion: unknown) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } },
});

/** The answer must be a JSON-RPC error with this code and id, at this HTTP status. */
async function expectRpcError(response: Response, code: number, id: unknown, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(response);
  expect(body).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
  expect(typeof body.error.message).toBe('string');
  expect(body).not.toHaveProperty('result');
}

/** The answer must be a problem+json of this status and type, with nothing of JSON-RPC. */
async function expectProblem(response: Response, status: number, slug: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await json(response);
  expect(body.type).toBe(`/docs#problem-${slug}`);
  expect(body).not.toHaveProperty('jsonrpc');
  return body;
}

describe('initialize', () => {
  it.each(['2025-11-25', '2025-06-18'])('agrees on %s when the client asks for it', async (version) => {
    const response = await postMcp(initialize(version));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    // Stateless: no session to remember.
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const { result } = await json(response);
    expect(result).toEqual({
      protocolVersion: version,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'djomy-edge', version: packageJson.version },
      instructions: generated.instructions,
    });
  });

  it.each(['2024-11-05', '2025-03-26', '2099-01-01', 'latest'])(
    'answers its latest revision, 2025-11-25, to a client asking %s',
    async (version) => {
      const { result } = await json(postMcp(initialize(version)));
      expect(result.protocolVersion).toBe('2025-11-25');
    },
  );

  it('says in its instructions that no tool moves money, and that phones are masked', () => {
    expect(generated.instructions).toMatch(/No tool moves money/);
    expect(generated.instructions).toMatch(/phones are masked/);
  });

  it('refuses an initialize without a protocol version: -32602', async () => {
    const { id: _id, ...message } = initialize(undefined);
    await expectRpcError(await postMcp({ ...message, id: 'init' }), -32602, 'init', 200);
  });
});

describe('methods', () => {
  it('ping answers an empty result', async () => {
    expect(await rpc('ping')).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: {} });
  });

  it('tools/list answers every tool, the same list as the generated document', async () => {
    const { result } = await rpc('tools/list', {});
    expect(result.tools).toEqual(generated.tools);
    expect(result.tools.map((tool: { name: string }) => tool.name).sort()).toEqual([
      'create_payment_link',
      'get_payment',
      'get_payment_link',
      'list_payments',
      'list_products',
      'payments_summary',
      'upsert_product',
      'verify_payment',
    ]);
    expect(result).not.toHaveProperty('nextCursor');
  });

  it('works without a prior initialize: nothing is remembered between requests', async () => {
    const answer = await rpc('tools/list', undefined, { token: 'viewer' });
    expect(answer.result.tools).toHaveLength(8);
  });

  it.each(['resources/list', 'prompts/list', 'logging/setLevel', 'completion/complete', 'tools/cal', ''])(
    'any other method (%j) is -32601, answered 200 with the request id',
    async (method) => {
      await expectRpcError(await postMcp({ jsonrpc: '2.0', id: 'x-1', method }), -32601, 'x-1', 200);
    },
  );

  it('an id may be a string or an integer, and comes back as sent', async () => {
    for (const id of ['abc', 0, 7, -3, 'pay_1']) {
      expect(await json(postMcp({ jsonrpc: '2.0', id, method: 'ping' }))).toEqual({
        jsonrpc: '2.0',
        id,
        result: {},
      });
    }
  });
});

describe('notifications and responses are accepted: 202, no body', () => {
  it.each([
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: 'user' } },
    { jsonrpc: '2.0', method: 'notifications/whatever-comes-next' },
    { jsonrpc: '2.0', id: 9, result: {} },
    { jsonrpc: '2.0', id: 'srv-1', error: { code: -1, message: 'no' } },
  ])('%j', async (message) => {
    const response = await postMcp(message);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });
});

describe('JSON-RPC errors', () => {
  it('a body that is not JSON is a parse error: -32700, id null, 400', async () => {
    for (const body of ['{"jsonrpc": "2.0", "id": 1, "method": "ping"', 'ping', '', '\uFEFF{}x']) {
      await expectRpcError(await postMcp(body), -32700, null, 400);
    }
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    await expectRpcError(await postMcp(undefined, { body: bytes }), -32700, null, 400);
  });

  it('a batch is an invalid request: MCP removed batches in 2025-06-18', async () => {
    const response = await postMcp([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    await expectRpcError(response.clone(), -32600, null, 400);
    expect((await json(response)).error.message).toMatch(/batch/);
    await expectRpcError(await postMcp([]), -32600, null, 400);
  });

  it.each([
    ['a wrong jsonrpc', { jsonrpc: '1.0', id: 4, method: 'ping' }, 4],
    ['no jsonrpc', { id: 4, method: 'ping' }, 4],
    ['no method', { jsonrpc: '2.0', id: 5 }, 5],
    ['a method that is not text', { jsonrpc: '2.0', id: 6, method: 42 }, 6],
    ['a null id', { jsonrpc: '2.0', id: null, method: 'ping' }, null],
    ['an object id', { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }, null],
    ['a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, null],
    ['a boolean id', { jsonrpc: '2.0', id: true, method: 'ping' }, null],
    ['a number', 42, null],
    ['a string', 'ping', null],
    ['null', null, null],
  ])('%s is -32600 (invalid request), 400', async (_name, message, id) => {
    await expectRpcError(await postMcp(JSON.stringify(message)), -32600, id, 400);
  });

  it.each([
    ['params that are an array', { method: 'ping', params: [1] }],
    ['params that are text', { method: 'tools/list', params: 'all' }],
    ['tools/call without a name', { method: 'tools/call', params: { arguments: {} } }],
    ['tools/call with a name that is not text', { method: 'tools/call', params: { name: 7 } }],
    ['tools/call of an unknown tool', { method: 'tools/call', params: { name: 'refund_payment' } }],
    ['tools/call of an inherited name', { method: 'tools/call', params: { name: 'constructor' } }],
    [
      'tools/call whose arguments are an array',
      { method: 'tools/call', params: { name: 'ping', arguments: [] } },
    ],
    [
      'tools/call whose arguments are text',
      { method: 'tools/call', params: { name: 'list_products', arguments: 'all' } },
    ],
  ])('%s is -32602 (invalid params), 200', async (_name, message) => {
    await expectRpcError(await postMcp({ jsonrpc: '2.0', id: 'p', ...message }), -32602, 'p', 200);
  });

  it('an unknown tool is named in the error, as the specification shows', async () => {
    const { error } = await json(
      postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'refund_payment' } }),
    );
    expect(error).toEqual({ code: -32602, message: 'Unknown tool: refund_payment' });
  });
});

describe('the transport', () => {
  it.each(['GET', 'DELETE', 'PUT', 'PATCH'])(
    '%s /mcp is 405 with Allow: POST (no SSE stream, no session)',
    async (method) => {
      const response = await call('/mcp', {
        method,
        headers: { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}`, accept: 'text/event-stream' },
      });
      await expectProblem(response, 405, 'method-not-allowed');
      expect(response.headers.get('allow')).toBe('POST');
    },
  );

  it('a missing MCP-Protocol-Version is tolerated; a known one is accepted', async () => {
    for (const version of [undefined, '2025-06-18', '2025-11-25']) {
      const headers: Record<string, string> = version ? { 'mcp-protocol-version': version } : {};
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'ping' }, { headers });
      expect(response.status, String(version)).toBe(200);
    }
  });

  it.each(['2024-11-05', '2025-03-26', '2026-01-01', 'garbage', ''])(
    'an unsupported MCP-Protocol-Version (%j) is 400',
    async (version) => {
      const response = await postMcp(
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { headers: { 'mcp-protocol-version': version } },
      );
      await expectProblem(response, 400, 'unsupported-protocol-version');
    },
  );

  it('answers JSON to a client accepting JSON, whatever else it accepts, or none given', async () => {
    for (const accept of [
      'application/json, text/event-stream',
      'text/event-stream, application/json',
      'application/json',
      'application/*',
      '*/*',
      'text/html;q=0.9, */*;q=0.8',
      undefined,
    ]) {
      const headers = new Headers({ ...MCP_HEADERS, authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` });
      if (accept === undefined) headers.delete('accept');
      else headers.set('accept', accept);
      const response = await call('/mcp', {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(response.status, String(accept)).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('refuses a client that accepts no JSON with 406: this server never streams', async () => {
    for (const accept of ['text/event-stream', 'text/html', 'application/jsonx']) {
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'ping' }, { headers: { accept } });
      await expectProblem(response, 406, 'not-acceptable');
    }
  });

  it('refuses a body that is not application/json with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonl']) {
      const response = await postMcp(
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { headers: { 'content-type': type } },
      );
      await expectProblem(response, 415, 'unsupported-media-type');
    }
    const charset = await postMcp(
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { headers: { 'content-type': 'application/json; charset=utf-8' } },
    );
    expect(charset.status).toBe(200);
  });

  it('refuses a body over 64 KiB with 413, whether it declares its length or not', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(65 * 1024) },
    });
    await expectProblem(await postMcp(big), 413, 'too-large');
    const stream = new Blob([big]).stream();
    await expectProblem(await postMcp(undefined, { body: stream }), 413, 'too-large');
  });
});

describe('the token, before any JSON-RPC', () => {
  it.each([
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-0123456789abcdef' }],
    ['the token without Bearer', { authorization: TEST_CREDENTIALS.adminToken }],
    ['Basic', { authorization: `Basic ${btoa(`admin:${TEST_CREDENTIALS.adminToken}`)}` }],
    ['a token with a suffix', { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}x` }],
  ])('%s is 401 with WWW-Authenticate: Bearer', async (_name, headers) => {
    const response = await postMcp('not even JSON', { token: 'none', headers });
    await expectProblem(response, 401, 'unauthorized');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('the console session cookie is not a token here', async () => {
    const response = await postMcp(
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { token: 'none', headers: { cookie: 'djomy_session=anything' } },
    );
    await expectProblem(response, 401, 'unauthorized');
  });

  it('both tokens are accepted, any case of "Bearer"', async () => {
    expect((await rpc('ping', undefined, { token: 'viewer' })).result).toEqual({});
    const response = await postMcp(
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { token: 'none', headers: { authorization: `bearer ${TEST_CREDENTIALS.adminToken}` } },
    );
    expect(response.status).toBe(200);
  });

  it('is rate-limited per IP like the admin API, wrong tokens included', async () => {
    const ip = freshIp();
    let limited: Response | undefined;
    // The local limiter's window may roll over mid-test: two windows' worth (2 × 240 + 1) always reach a 429.
    for (let i = 0; i < 481 && !limited; i++) {
      const response = await postMcp(
        { jsonrpc: '2.0', id: i, method: 'ping' },
        { ip, token: i % 2 ? 'admin' : 'none' },
      );
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited).toBeDefined();
    await expectProblem(limited as Response, 429, 'rate-limited');
    expect((await rpc('ping')).result).toEqual({});
  });
});

describe('Host and Origin (DNS rebinding)', () => {
  const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

  it.each([
    ['no Origin (a non-browser client)', undefined],
    ["the Worker's own origin (PUBLIC_URL)", 'http://edge.localhost'],
    ['a site of ALLOWED_ORIGINS', 'https://shop.example'],
    [
      'a loopback origin, since PUBLIC_URL is loopback (an inspector on this machine)',
      'http://localhost:6274',
    ],
    ['127.0.0.1 on any port', 'http://127.0.0.1:9'],
    ['[::1]', 'http://[::1]:3000'],
    ['a *.localhost name', 'http://inspector.localhost:8080'],
  ])('allows %s', async (_name, origin) => {
    const response = await postMcp(ping, { headers: origin ? { origin } : {} });
    expect(response.status).toBe(200);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['a sibling of an allowed site', 'https://shop.example.evil.example'],
    ['the opaque origin of a sandboxed page', 'null'],
    ['not an origin', 'garbage'],
    ['a file page', 'file://'],
  ])('refuses an Origin of %s with 403, before the token is even read', async (_name, origin) => {
    const response = await postMcp(ping, { token: 'none', headers: { origin } });
    await expectProblem(response, 403, 'origin-not-allowed');
  });

  /** A request to `url` as the Worker receives it: the URL's host is the Host header. */
  const fetchAt = (url: string, headers: Record<string, string> = {}, vars: Record<string, string> = {}) =>
    worker.fetch(
      new Request(url, {
        method: 'POST',
        headers: {
          ...MCP_HEADERS,
          authorization: `Bearer ${TEST_CREDENTIALS.adminToken}`,
          'cf-connecting-ip': freshIp(),
          ...headers,
        },
        body: JSON.stringify(ping),
      }),
      { ...env, ...vars },
      createExecutionContext(),
    );

  it('refuses a request whose Host is another name (a rebound DNS name), even without Origin', async () => {
    await expectProblem(await fetchAt('http://evil.example/mcp'), 403, 'origin-not-allowed');
    await expectProblem(
      await fetchAt('http://evil.example/mcp', { origin: 'http://evil.example' }),
      403,
      'origin-not-allowed',
    );
  });

  it('on a loopback PUBLIC_URL, any loopback Host and Origin is this machine', async () => {
    for (const url of ['http://127.0.0.1:8787/mcp', 'http://localhost:3000/mcp', 'http://[::1]:8787/mcp']) {
      expect((await fetchAt(url, { origin: new URL(url).origin })).status, url).toBe(200);
    }
  });

  it('on a public PUBLIC_URL, only its own host, and loopback names are foreign', async () => {
    const production = { PUBLIC_URL: 'https://pay.example' };
    expect((await fetchAt('https://pay.example/mcp', {}, production)).status).toBe(200);
    expect(
      (await fetchAt('https://pay.example/mcp', { origin: 'https://pay.example' }, production)).status,
    ).toBe(200);
    expect(
      (await fetchAt('https://pay.example/mcp', { origin: 'https://shop.example' }, production)).status,
    ).toBe(200);
    for (const [url, origin] of [
      ['https://pay.example/mcp', 'http://localhost:6274'],
      ['http://localhost:8787/mcp', undefined],
      ['https://other.workers.dev/mcp', undefined],
      ['https://pay.example.evil.example/mcp', 'https://pay.example.evil.example'],
    ] as const) {
      const response = await fetchAt(url, origin ? { origin } : {}, production);
      await expectProblem(response, 403, 'origin-not-allowed');
    }
  });
});
