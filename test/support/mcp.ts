/**
 * Talks MCP to the Worker under test as an assistant's client would: one
 * JSON-RPC message per POST to `/mcp`, with a token, and reads the answers
 * (tool results, their structured content, their image).
 */
import { TEST_CREDENTIALS } from './constants.ts';
import { type CallInit, call, json } from './worker.ts';

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
} as const;

export type Token = 'admin' | 'viewer' | 'none';

const bearer = (token: Token): Record<string, string> =>
  token === 'none'
    ? {}
    : {
        authorization: `Bearer ${token === 'admin' ? TEST_CREDENTIALS.adminToken : TEST_CREDENTIALS.viewerToken}`,
      };

/**
 * POSTs `message` to `/mcp` as JSON (a string is sent as is; `undefined`
 * sends `init.body`, e.g. raw bytes), with the admin token unless told.
 *
 * @example const response = await postMcp({ jsonrpc: '2.0', method: 'notifications/initialized' }, { token: 'viewer' })
 */
export function postMcp(
  message: unknown,
  {
    token = 'admin',
    headers = {},
    body,
    ...init
  }: CallInit & { token?: Token; headers?: Record<string, string> } = {},
): Promise<Response> {
  return call('/mcp', {
    ...init,
    method: 'POST',
    body: message === undefined ? body : typeof message === 'string' ? message : JSON.stringify(message),
    headers: { ...MCP_HEADERS, ...bearer(token), ...headers },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON-RPC answers and tool results field by field with expect.
type Json = any;

let ids = 0;

/**
 * One JSON-RPC request; the parsed answer (`result` or `error`).
 *
 * @example const { result } = await rpc('tools/list')
 */
export async function rpc(method: string, params?: unknown, options: { token?: Token } = {}): Promise<Json> {
  const response = await postMcp({ jsonrpc: '2.0', id: ++ids, method, params }, options);
  if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
  return json(response);
}

/**
 * `tools/call` of `name`: the tool result (`content`, `structuredContent`, `isError`).
 *
 * @example const { structuredContent } = await callTool('list_products')
 */
export async function callTool(
  name: string,
  args: unknown = {},
  options: { token?: Token } = {},
): Promise<Json> {
  const answer = await rpc('tools/call', { name, arguments: args }, options);
  if (answer.error) throw new Error(`${name}: JSON-RPC error ${JSON.stringify(answer.error)}`);
  return answer.result;
}

/**
 * The text of a tool result's first text block.
 *
 * @example expect(textOf(await callTool('get_payment', { id }))).toMatch(/^No payment/)
 */
export function textOf(result: { content: { type: string; text?: string }[] }): string {
  return result.content.find((block) => block.type === 'text')?.text ?? '';
}
