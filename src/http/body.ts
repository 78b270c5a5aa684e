/**
 * Reading request bodies safely: a byte limit enforced while streaming (a
 * lying or absent Content-Length cannot get around it), JSON parsed
 * defensively, and validation failures turned into 400 problems with one
 * `{path, message}` per issue.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { FieldError } from '../lib/field-error.ts';
import { Problem, problems } from './problem.ts';

// zod/mini ships without messages ("Invalid input" for everything); the
// English locale costs ~3 KiB gzip and makes every 400 say what is wrong.
z.config(en());

export const PUBLIC_BODY_LIMIT = 16 * 1024;

/** The body's bytes, or a 413 problem past `limit`. */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = () =>
    new Problem({
      status: 413,
      slug: 'too-large',
      title: 'Body too large',
      detail: `The limit is ${limit} bytes.`,
    });
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  // With a Content-Length the HTTP framing bounds the body: read it in one go.
  if (request.headers.has('content-length')) return new Uint8Array(await request.arrayBuffer());
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * Parses `schema` out of a JSON request body.
 *
 * @example const body = await readJson(c.req.raw, CreatePaymentBody)
 */
export async function readJson<T>(
  request: Request,
  schema: z.ZodMiniType<T>,
  limit = PUBLIC_BODY_LIMIT,
): Promise<T> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new Problem({
      status: 415,
      slug: 'unsupported-media-type',
      title: 'Unsupported media type',
      detail: 'Send Content-Type: application/json.',
    });
  }
  const bytes = await readBodyLimited(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw problems.validation(
      [{ path: '(body)', message: 'not valid UTF-8 JSON' }],
      'The body is not valid JSON.',
    );
  }
  return parseWith(schema, value);
}

/** Validates any value (query, params, body) against `schema`, or throws a 400 problem. */
export function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.validation(issuesToErrors(parsed.error.issues));
  return parsed.data;
}
