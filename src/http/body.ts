/**
 * Reading request bodies safely: a byte limit enforced while streaming (a
 * lying or absent Content-Length cannot get around it), JSON parsed
 * defensively, and validation failures turned into 400 problems with one
 * `{path, message}` per issue.
 */
import * as z from 'zod/mini';
import type { FieldError } from '../lib/field-error.ts';
import { Problem, problems } from './problem.ts';

/**
 * What each validation issue says in a 400. zod/mini ships without messages
 * ("Invalid input" for everything); its English locale would cost ~1 KiB
 * gzip of the Worker's bundle, these short ones a third of that.
 */
function issueMessage(issue: z.core.$ZodRawIssue): string {
  const list = (values: readonly unknown[]) =>
    values
      .slice(0, 12)
      .map((v) => JSON.stringify(v))
      .join(', ');
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${list(issue.values)}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const strict =
        issue.inclusive === false ? (issue.code === 'too_small' ? 'more than' : 'less than') : word;
      if (issue.origin === 'string') return `${strict} ${bound} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${strict} ${bound} items`;
      return `${strict} ${bound}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${issue.pattern}` : `not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'matches none of the accepted shapes';
    default:
      return 'invalid';
  }
}
z.config({ localeError: issueMessage });

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
