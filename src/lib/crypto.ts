/**
 * Byte-level crypto primitives on WebCrypto only, shared by the Worker, the
 * simulator, the CLI and the tests (they all run on workerd or Node 24).
 */

const encoder = new TextEncoder();

export type Bytes = Uint8Array<ArrayBuffer>;

export function toBytes(value: string | Uint8Array): Bytes {
  return typeof value === 'string' ? (encoder.encode(value) as Bytes) : new Uint8Array(value);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Decodes hex in either case; `null` for anything that is not whole bytes of hex. */
export function fromHex(hex: string): Bytes | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes standard base64; `null` when the text is not base64. */
export function fromBase64(text: string): Bytes | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * Compares two byte strings in time that depends only on their lengths.
 * Written out rather than `crypto.subtle.timingSafeEqual` so that it also runs in Node.
 *
 * @example timingSafeEqual(toBytes(given), toBytes(expected))
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Constant-time comparison of two strings (admin bearer tokens).
 *
 * @example timingSafeEqualText(bearer, env.ADMIN_TOKEN)
 */
export function timingSafeEqualText(given: string, expected: string): boolean {
  return timingSafeEqual(toBytes(given), toBytes(expected));
}

/**
 * Imported keys for string secrets (the client secret, the webhook secret):
 * importing costs more than the HMAC of a webhook body, so each is imported
 * once per isolate. The handful of secrets a deployment has bounds the map.
 */
const importedKeys = new Map<string, Promise<CryptoKey>>();

function importHmacKey(secret: string | Uint8Array, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  const load = () =>
    crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
  if (typeof secret !== 'string') return load();
  const cacheKey = `${usage}:${secret}`;
  let key = importedKeys.get(cacheKey);
  if (!key) {
    if (importedKeys.size >= 32) importedKeys.clear();
    key = load();
    importedKeys.set(cacheKey, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` keyed with `secret`. */
export async function hmacSha256(secret: string | Uint8Array, message: string | Uint8Array): Promise<Bytes> {
  const key = await importHmacKey(secret, 'sign');
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, toBytes(message)));
}

/** Checks an HMAC-SHA256 tag with WebCrypto's verify, which compares in constant time. */
export async function verifyHmacSha256(
  secret: string | Uint8Array,
  message: string | Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  const key = await importHmacKey(secret, 'verify');
  return crypto.subtle.verify('HMAC', key, new Uint8Array(tag), toBytes(message));
}

/** Lowercase hex SHA-256 of a string (request fingerprints for idempotency). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', toBytes(text))));
}

/** `bytes` cryptographically random bytes. */
export function randomBytes(bytes: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(bytes));
}
