/**
 * How each route describes itself for `/openapi.json`: the same zod schemas
 * the handler validates with. The document is generated at build time
 * (`npm run openapi`), so the Worker does not ship a JSON Schema generator.
 */
import type * as z from 'zod/mini';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodMiniType;
  /** Default `application/json`; errors are always `application/problem+json`. */
  contentType?: string;
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete' | 'options';
  /** OpenAPI path, e.g. `/api/payments/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: 'Checkout' | 'Browser' | 'Webhooks' | 'Admin' | 'MCP' | 'Operations';
  admin?: boolean;
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  headers?: z.ZodMiniObject;
  body?: { schema: z.ZodMiniType; contentType?: string };
  responses: Record<number, ResponseSpec>;
}
