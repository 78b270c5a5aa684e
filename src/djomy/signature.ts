/**
 * Djomy's two signatures, shared by the client, the webhook route, the
 * simulator and the tests:
 *
 * - `X-API-KEY` is `clientId:hex(HMAC-SHA256(key = clientSecret, msg = clientId))`
 *   (docs/djomy.md#authentication). It has no nonce or timestamp, so it is
 *   constant for a credential pair.
 * - A webhook carries `X-Webhook-Signature: v1:<hex>` of HMAC-SHA256 over the
 *   raw body bytes, keyed with the client secret; some senders use a bare
 *   `<hex>` (docs/djomy.md#webhooks). Verifying a re-serialised body broke in
 *   production for others, so only raw bytes are ever signed or checked.
 */
import { fromHex, hmacSha256, toHex, verifyHmacSha256 } from '../lib/crypto.ts';

/**
 * The `X-API-KEY` header value.
 *
 * @example await djomyApiKey('djomy-client-1', 'secret') // 'djomy-client-1:5f…'
 */
export async function djomyApiKey(clientId: string, clientSecret: string): Promise<string> {
  return `${clientId}:${toHex(await hmacSha256(clientSecret, clientId))}`;
}

/** Splits `X-API-KEY` into its halves; `null` unless it is `<clientId>:<64 hex>`. */
export function parseApiKey(header: string | null): { clientId: string; signature: string } | null {
  if (!header) return null;
  const at = header.lastIndexOf(':');
  if (at <= 0) return null;
  const signature = header.slice(at + 1);
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return null;
  return { clientId: header.slice(0, at), signature: signature.toLowerCase() };
}

/** The `X-Webhook-Signature` value Djomy sends: `v1:` + lowercase hex. */
export async function signWebhookBody(clientSecret: string, rawBody: string | Uint8Array): Promise<string> {
  return `v1:${toHex(await hmacSha256(clientSecret, rawBody))}`;
}

/**
 * Checks `X-Webhook-Signature` (`v1:<hex>` or bare `<hex>`, either case)
 * against the raw body bytes, in constant time. A missing or malformed header
 * is a mismatch.
 *
 * @example if (!(await verifyWebhookSignature(secret, bytes, request.headers.get('x-webhook-signature')))) return 401
 */
export async function verifyWebhookSignature(
  clientSecret: string,
  rawBody: string | Uint8Array,
  header: string | null,
): Promise<boolean> {
  if (!header) return false;
  const hex = header.trim().replace(/^v1:/i, '');
  const tag = hex.length === 64 ? fromHex(hex) : null;
  return tag !== null && verifyHmacSha256(clientSecret, rawBody, tag);
}
