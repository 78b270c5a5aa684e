/**
 * Property-based tests of `/mcp`: thousands of generated messages, bodies and
 * headers. Whatever a client sends, the answer is never a 5xx, and it is
 * always one of: a JSON-RPC answer (a result or an error with an integer
 * code), 202 with no body, or a problem+json refusal.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { call, freshStart } from '../support/worker.ts';

const RUNS = Number(env.FUZZ_RUNS || 1500);
/** Thousands of requests on a loaded 2-core machine: far more than the default 30 s. */
const FUZZ_TIMEOUT = 180_000;

async function expectSane(response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBeLessThan(500);
  if (response.status === 202) return expect(text).toBe('');
  const type = response.headers.get('content-type') ?? '';
  const body = JSON.parse(text);
  if (type === 'application/problem+json') {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(body.status).toBe(response.status);
    expect(body.type).toMatch(/^\/docs#problem-[a-z-]+$/);
    return;
  }
  expect(type).toMatch(/^application\/json/);
  expect(body.jsonrpc).toBe('2.0');
  if ('error' in body) {
    expect(Number.isInteger(body.error.code)).toBe(true);
    expect(typeof body.error.message).toBe('string');
    expect(body).not.toHaveProperty('result');
  } else {
    expect(response.status).toBe(200);
    expect(body).toHaveProperty('result');
    if (body.result.content) expect(Array.isArray(body.result.content)).toBe(true);
  }
}

const TOOL_NAMES = [
  'list_payments',
  'get_payment',
  'payments_summary',
  'verify_payment',
  'list_products',
  'upsert_product',
  'create_payment_link',
  'get_payment_link',
];

/** JSON values with the shapes tool arguments have, mutated: right keys, wrong types, junk, extremes. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, 2 ** 53 + 2, '', ' ', 'SUCCESS', 'MULTIPLE', 'GN'),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'id',
        'q',
        'limit',
        'cursor',
        'status',
        'days',
        'sku',
        'name',
        'amount',
        'usageType',
        'reference',
        'returnUrl',
        '__proto__',
        'constructor',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const id = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(null, 1.5, true, {}, [], undefined),
);

const message = fc.oneof(
  fc.record(
    {
      jsonrpc: fc.constantFrom('2.0', '2.0', '2.0', '1.0', 2, undefined),
      id,
      method: fc.oneof(
        fc.constantFrom(
          'initialize',
          'ping',
          'tools/list',
          'tools/call',
          'tools/call',
          'notifications/initialized',
        ),
        fc.string({ maxLength: 30 }),
        jsonish,
      ),
      params: fc.oneof(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom(...TOOL_NAMES), fc.string({ maxLength: 20 }), jsonish),
            arguments: jsonish,
            protocolVersion: fc.oneof(fc.constantFrom('2025-11-25', '2025-06-18', '2024-11-05'), jsonish),
          },
          { requiredKeys: [] },
        ),
        jsonish,
      ),
      result: jsonish,
      error: jsonish,
    },
    { requiredKeys: [] },
  ),
  fc.array(jsonish, { maxLength: 3 }),
  jsonish,
);

const headerText = fc.string({ maxLength: 60 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s));

const headers = fc.record(
  {
    accept: fc.oneof(
      fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*'),
      headerText,
    ),
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
      headerText,
    ),
    'mcp-protocol-version': fc.oneof(fc.constantFrom('2025-11-25', '2025-06-18', '2025-03-26'), headerText),
    origin: fc.oneof(
      fc.constantFrom(
        'http://edge.localhost',
        'https://shop.example',
        'http://localhost:6274',
        'https://evil.example',
        'null',
      ),
      headerText,
    ),
    authorization: fc.oneof(
      fc.constantFrom(
        `Bearer ${TEST_CREDENTIALS.adminToken}`,
        `Bearer ${TEST_CREDENTIALS.adminToken}`,
        `Bearer ${TEST_CREDENTIALS.viewerToken}`,
      ),
      headerText,
    ),
  },
  { requiredKeys: [] },
);

beforeAll(() => freshStart());

describe('whatever a client sends to /mcp', () => {
  it(
    'messages and headers: never a 5xx; a JSON-RPC answer, a 202, or a problem',
    async () => {
      await fc.assert(
        fc.asyncProperty(message, headers, fc.boolean(), async (body, sent, authorized) => {
          const response = await call('/mcp', {
            method: 'POST',
            body: JSON.stringify(body) ?? 'undefined',
            headers: {
              'content-type': 'application/json',
              ...(authorized ? { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` } : {}),
              ...sent,
            },
          });
          await expectSane(response);
        }),
        { numRuns: RUNS, seed: 2025 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'well-formed tools/call with any arguments: never a 5xx, never a JSON-RPC error but for -32602',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...TOOL_NAMES),
          jsonish,
          fc.boolean(),
          async (name, args, asViewer) => {
            const response = await call('/mcp', {
              method: 'POST',
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 1,
                method: 'tools/call',
                params: { name, arguments: args },
              }),
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${asViewer ? TEST_CREDENTIALS.viewerToken : TEST_CREDENTIALS.adminToken}`,
              },
            });
            const clone = response.clone();
            await expectSane(response);
            const answer = await clone.json<{ error?: { code: number }; result?: { isError?: boolean } }>();
            if (answer.error) expect(answer.error.code).toBe(-32602);
          },
        ),
        { numRuns: Math.round(RUNS / 2), seed: 1106 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'raw bytes, and any method: never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 200 }),
          fc.constantFrom('POST', 'POST', 'GET', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
          async (bytes, method) => {
            const response = await call('/mcp', {
              method,
              body: method === 'GET' || method === 'HEAD' ? undefined : bytes,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${TEST_CREDENTIALS.adminToken}`,
              },
            });
            if (method === 'HEAD') {
              expect(response.status).toBeLessThan(500);
              return;
            }
            await expectSane(response);
          },
        ),
        { numRuns: Math.round(RUNS / 3), seed: 404 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
