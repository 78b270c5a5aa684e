/**
 * Builds the OpenAPI 3.1 document from the routes' own zod schemas. Run at
 * build time (`npm run openapi` writes `openapi.json`); a test checks that
 * the committed document is current, so it cannot drift from the code.
 */
import type * as z from 'zod/mini';
import { toJSONSchema } from 'zod/v4/core';
import { PROBLEM_TYPES } from '../problem.ts';
import type { RouteSpec } from '../spec.ts';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _draft, ...json } = toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return json;
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query' | 'header', object: z.ZodMiniObject | undefined) => {
    if (!object) return;
    const json = schemaOf(object, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || Boolean(json.required?.includes(name)),
        schema,
      });
    }
  };
  add('path', spec.params);
  add('query', spec.query);
  add('header', spec.headers);
  return out;
}

function operation(spec: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const code = Number(status);
    const type = code >= 400 ? 'application/problem+json' : (response.contentType ?? 'application/json');
    const schema =
      code >= 400
        ? { $ref: '#/components/schemas/Problem' }
        : response.schema && schemaOf(response.schema, 'output');
    responses[status] = {
      description: response.description,
      ...(schema || code >= 400 ? { content: { [type]: { schema: schema ?? {} } } } : {}),
    };
  }
  return {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: `${spec.method}${spec.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(spec.admin ? { security: [{ adminBearer: [] }] } : {}),
    parameters: parameters(spec),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              [spec.body.contentType ?? 'application/json']: { schema: schemaOf(spec.body.schema, 'input') },
            },
          },
        }
      : {}),
    responses,
  };
}

/**
 * @example const document = buildOpenApiDocument(ROUTE_SPECS, '0.1.0')
 */
export function buildOpenApiDocument(specs: RouteSpec[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    paths[spec.path] ??= {};
    (paths[spec.path] as Json)[spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'djomy-edge',
      version,
      description:
        'Djomy payments for any website from one Cloudflare Worker. Errors are RFC 9457 problem details; their types are listed under `x-problem-types`.',
    },
    servers: [{ url: '/' }],
    tags: ['Checkout', 'Browser', 'Webhooks', 'Admin', 'MCP', 'Operations'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { adminBearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', description: '`/docs#problem-<slug>`' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
    'x-problem-types': PROBLEM_TYPES,
  };
}
