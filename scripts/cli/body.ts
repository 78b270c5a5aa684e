/**
 * The body a signature is about, as exact bytes: HMACs are over raw bytes
 * (docs/djomy.md#webhooks), so nothing here re-serialises or trims.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type Values } from './command.ts';

export const BODY_OPTIONS = {
  file: { type: 'string' },
  body: { type: 'string' },
} as const;

export const BODY_HELP = `  --file <path>       the body, read from a file (exact bytes)
  --body <text>       the body, given inline
                      neither: read from stdin`;

export async function readBody(values: Values): Promise<Uint8Array> {
  if (typeof values.file === 'string' && typeof values.body === 'string') {
    throw new UsageError('give --file or --body, not both');
  }
  if (typeof values.file === 'string') {
    try {
      return new Uint8Array(readFileSync(values.file));
    } catch (error) {
      throw new UsageError(`cannot read ${values.file}: ${(error as Error).message}`);
    }
  }
  if (typeof values.body === 'string') return new TextEncoder().encode(values.body);
  if (process.stdin.isTTY) throw new UsageError('give the body with --file, --body or on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
