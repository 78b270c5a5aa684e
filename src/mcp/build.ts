/**
 * Builds what `initialize` and `tools/list` answer from the tools' own zod
 * schemas (src/mcp/tools.ts) and their specs (src/mcp/spec.ts). Run at build
 * time (`npm run openapi` writes public/mcp-tools.json, a static asset the
 * Worker reads); a test checks that the committed file is current.
 */
import type * as z from 'zod/mini';
import { toJSONSchema } from 'zod/v4/core';
import { INSTRUCTIONS, TOOL_SPECS } from './spec.ts';
import { TOOLS } from './tools.ts';

type Json = Record<string, unknown>;

/**
 * The JSON Schema (2020-12, MCP's default dialect, so no `$schema`) of
 * `schema`. Noise goes: zod's safe-integer bounds on every integer, the
 * regex it writes beside a `format`, and on structured content
 * `additionalProperties: false`, so that a field added to an answer later
 * does not break a client that validates.
 */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...json } = toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return JSON.parse(JSON.stringify(json), (key, value) => {
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value) === Number.MAX_SAFE_INTEGER)
      return undefined;
    if (io === 'output' && key === 'additionalProperties') return undefined;
    // zod writes a regex beside `format: date-time`; the format says it (and validators check it).
    if (value?.format && value.pattern) return { ...value, pattern: undefined };
    return value;
  });
}

/**
 * @example writeFileSync('public/mcp-tools.json', JSON.stringify(buildMcpDocument('0.1.0')))
 */
export function buildMcpDocument(version: string) {
  const tools = Object.entries(TOOL_SPECS).map(([name, spec]) => {
    const inputSchema = jsonSchema(TOOLS[name as keyof typeof TOOLS].input, 'input') as Json & {
      properties?: Record<string, Json>;
    };
    for (const [field, description] of Object.entries(spec.fields ?? {})) {
      const property = inputSchema.properties?.[field];
      if (!property) throw new Error(`${name}: no input field ${field} to describe`);
      property.description = description;
    }
    return {
      name,
      title: spec.title,
      description: spec.description,
      inputSchema,
      outputSchema: jsonSchema(spec.output, 'output'),
      annotations: spec.annotations,
    };
  });
  return { serverInfo: { name: 'djomy-edge', version }, instructions: INSTRUCTIONS, tools };
}
