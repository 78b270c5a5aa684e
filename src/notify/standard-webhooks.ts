/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), as the merchant
 * notifications use it: the secret is `whsec_<base64>` and the HMAC
 * key is its decoded bytes; the signed content is `${id}.${timestamp}.${body}`;
 * the header is `v1,<base64 HMAC-SHA256>` (several may be space-separated
 * during a key rotation). Any Standard Webhooks library verifies these.
 *
 * This module has no dependency on the Worker: merchants can copy it.
 */
import { fromBase64, hmacSha256, timingSafeEqual, toBase64 } from '../lib/crypto.ts';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The HMAC key of a `whsec_…` secret; `null` when the secret is malformed. */
export function decodeWebhookSecret(secret: string): Uint8Array | null {
  if (!secret.startsWith('whsec_')) return null;
  const key = fromBase64(secret.slice('whsec_'.length));
  return key && key.length >= 16 ? key : null;
}

async function signature(key: Uint8Array, id: string, timestamp: string, body: string): Promise<string> {
  return toBase64(await hmacSha256(key, `${id}.${timestamp}.${body}`));
}

/**
 * Headers for one delivery of `body`. The same `id` must be reused on every
 * retry of the same event, so that receivers can deduplicate.
 *
 * @example const headers = await signStandardWebhook('whsec_…', 'msg_1', body, new Date())
 */
export async function signStandardWebhook(
  secret: string,
  id: string,
  body: string,
  at: Date,
): Promise<SignedHeaders> {
  const key = decodeWebhookSecret(secret);
  if (!key) throw new TypeError('webhook secret must be whsec_<base64>');
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${await signature(key, id, timestamp, body)}`,
  };
}

export type VerifyResult =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'bad_secret' | 'stale_timestamp' | 'bad_signature' };

/**
 * Verifies a delivery on the merchant's side: headers present, timestamp
 * within `toleranceSeconds` of `now` (replay protection), and one of the
 * `v1,` signatures matching, compared in constant time.
 *
 * @example
 * const result = await verifyStandardWebhook(secret, request.headers, await request.text())
 * if (!result.ok) return new Response(null, { status: 400 })
 */
export async function verifyStandardWebhook(
  secret: string,
  headers: Headers,
  body: string,
  { toleranceSeconds = 300, now = new Date() }: { toleranceSeconds?: number; now?: Date } = {},
): Promise<VerifyResult> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  const key = decodeWebhookSecret(secret);
  if (!key) return { ok: false, reason: 'bad_secret' };
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const expected = fromBase64(await signature(key, id, timestamp, body));
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    const given = version === 'v1' && value ? fromBase64(value) : null;
    if (expected && given && timingSafeEqual(given, expected)) return { ok: true, id, timestamp: seconds };
  }
  return { ok: false, reason: 'bad_signature' };
}
