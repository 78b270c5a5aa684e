/**
 * The JSON-RPC side of MCP, stateless: one message in, at most one answer
 * out, nothing remembered between requests (no session, so `tools/list` and
 * `tools/call` work without a prior `initialize` too). Four methods:
 * `initialize`, `ping`, `tools/list`, `tools/call`. Errors follow JSON-RPC
 * 2.0 and MCP 2025-11-25: a message that cannot be read is -32700, one that
 * is not a request (or a batch, which MCP dropped in 2025-06-18) -32600, an
 * unknown method -32601, a `tools/call` that names no tool or whose
 * `arguments` is not an object -32602; arguments a tool's schema refuses, and
 * whatever goes wrong inside a tool (Djomy, not found), are tool results with
 * `isError: true`, which a model can read and correct.
 */
import { DjomyError } from '../djomy/errors.ts';
import type { AppContext } from '../http/context.ts';
import { toBase64 } from '../lib/crypto.ts';
import type { Role } from '../payments/views.ts';
import { TOOLS, type ToolOutcome } from './tools.ts';

/** What `initialize` may agree on, latest first: a client asking another one gets the latest. */
export const PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18'];

/** An HTTP status and the JSON-RPC answer, if any (202: a notification or a response, accepted). */
export interface Reply {
  status: number;
  body?: unknown;
}

type Id = string | number | null;

const INVALID = 'Invalid Request';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A JSON-RPC error. Those about the message itself (-32700, -32600) answer
 * 400; an error answering a well-formed request is a normal JSON-RPC
 * answer, 200.
 *
 * @example rpcError(null, -32700, 'Parse error') // {status: 400, body: {jsonrpc: '2.0', id: null, error: {…}}}
 */
export const rpcError = (id: Id, code: number, message: string): Reply => ({
  status: code === -32700 || code === -32600 ? 400 : 200,
  body: { jsonrpc: '2.0', id, error: { code, message } },
});

const rpcResult = (id: Id, result: unknown): Reply => ({ status: 200, body: { jsonrpc: '2.0', id, result } });

/** What `initialize` and `tools/list` answer, generated at build time (src/mcp/build.ts). */
interface McpDocument {
  serverInfo: { name: string; version: string };
  instructions: string;
  tools: unknown[];
}

/** The asset that holds it, kept per isolate once read. */
export const DOCUMENT_PATH = '/mcp-tools.json';
let cached: McpDocument | undefined;

/**
 * The generated document, a static asset like `/openapi.json`: its ~14 KB of
 * descriptions and JSON Schemas would be 2.3 KiB gzip of the Worker's bundle,
 * where an asset costs nothing. Read once per isolate; only `initialize` and
 * `tools/list` need it.
 */
async function mcpDocument(c: AppContext): Promise<McpDocument> {
  if (cached) return cached;
  const response = await c.env.ASSETS.fetch(new URL(DOCUMENT_PATH, c.req.url));
  if (!response.ok) throw new Error(`${DOCUMENT_PATH}: ${response.status}`);
  cached = await response.json<McpDocument>();
  return cached;
}

/** A Djomy fault as words a model can pass on: what happened, and whether waiting helps. */
function djomyFault(error: DjomyError): string {
  if (error.kind === 'not_found') return 'Djomy does not know this transaction.';
  if (error.kind === 'refused') return `Djomy refused: ${error.detail ?? 'no reason given'}.`;
  if (error.configuration) return 'Djomy is not set up or refuses this Worker: see /api/admin/diagnostics.';
  return 'Djomy did not answer. Try again in a minute.';
}

function toolResult(outcome: ToolOutcome) {
  if ('error' in outcome) return { content: [{ type: 'text', text: outcome.error }], isError: true };
  const content: Record<string, string>[] = [{ type: 'text', text: JSON.stringify(outcome.content) }];
  if (outcome.png) content.push({ type: 'image', data: toBase64(outcome.png), mimeType: 'image/png' });
  return { content, structuredContent: outcome.content };
}

async function callTool(c: AppContext, role: Role, id: Id, params: Record<string, unknown>): Promise<Reply> {
  const { name, arguments: args = {} } = params;
  if (typeof name !== 'string' || !isObject(args)) return rpcError(id, -32602, 'Invalid params');
  if (!Object.hasOwn(TOOLS, name)) return rpcError(id, -32602, `Unknown tool: ${name.slice(0, 64)}`);
  const tool = TOOLS[name as keyof typeof TOOLS];
  if (tool.write && role !== 'admin')
    return rpcResult(
      id,
      toolResult({
        error: `The cashier's token only reads and verifies: ${name} needs the ADMIN_TOKEN.`,
      }),
    );
  try {
    return rpcResult(id, toolResult(await tool.call(c, args)));
  } catch (error) {
    // Anything else (D1 down, a bug) is the Worker's own fault: its usual 5xx problem, logged.
    if (!(error instanceof DjomyError)) throw error;
    c.var.log.warn('MCP tool: Djomy fault', { tool: name, kind: error.kind });
    return rpcResult(id, toolResult({ error: djomyFault(error) }));
  }
}

/**
 * Answers one parsed JSON-RPC message for a caller of `role`.
 *
 * @example const reply = await answer(c, 'admin', { jsonrpc: '2.0', id: 1, method: 'ping' }) // {status: 200, body: {…, result: {}}}
 */
export async function answer(c: AppContext, role: Role, message: unknown): Promise<Reply> {
  if (Array.isArray(message)) return rpcError(null, -32600, `${INVALID}: no batches since MCP 2025-06-18`);
  if (!isObject(message)) return rpcError(null, -32600, INVALID);
  const { id, method, params = {} } = message;
  const hasId = 'id' in message;
  const validId = typeof id === 'string' || Number.isSafeInteger(id) ? (id as string | number) : null;
  if (message.jsonrpc !== '2.0') return rpcError(validId, -32600, INVALID);
  // A response to a request of ours: this server sends none, so there is nothing to match it with.
  if (method === undefined && hasId && ('result' in message || 'error' in message)) return { status: 202 };
  if (typeof method !== 'string') return rpcError(validId, -32600, INVALID);
  // A notification (`notifications/initialized`, `notifications/cancelled`…): nothing to answer.
  if (!hasId) return { status: 202 };
  if (validId === null) return rpcError(null, -32600, INVALID);
  if (!isObject(params)) return rpcError(validId, -32602, 'Invalid params');
  switch (method) {
    case 'initialize': {
      const asked = params.protocolVersion;
      if (typeof asked !== 'string') return rpcError(validId, -32602, 'Invalid params');
      const { serverInfo, instructions } = await mcpDocument(c);
      return rpcResult(validId, {
        protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
        capabilities: { tools: { listChanged: false } },
        serverInfo,
        instructions,
      });
    }
    case 'ping':
      return rpcResult(validId, {});
    case 'tools/list':
      return rpcResult(validId, { tools: (await mcpDocument(c)).tools });
    case 'tools/call':
      return callTool(c, role, validId, params);
    default:
      return rpcError(validId, -32601, 'Method not found');
  }
}
