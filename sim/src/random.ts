/**
 * Two kinds of randomness. Faults draw from a seeded generator so that a run
 * can be replayed with the same `seed`; identifiers, OTPs and tokens come
 * from the platform CSPRNG because nothing should be able to predict them
 * (Djomy has no magic test OTP, and neither has the simulator).
 */
import { randomBytes, toBase64 } from '../../src/lib/crypto.ts';

/** mulberry32: small, fast, and good enough to decide faults. Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomSeed(): number {
  return new Uint32Array(randomBytes(4).buffer)[0] ?? 1;
}

function randomDigits(count: number): string {
  return Array.from(randomBytes(count), (byte) => String(byte % 10)).join('');
}

/** A 4–6 digit one-time pin. */
export function randomOtp(): string {
  return randomDigits(4 + ((randomBytes(1)[0] ?? 0) % 3));
}

/** An opaque link reference; Djomy's real format is unknown. */
export function randomLinkReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `LNK-${Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** The operator's reference shown once a payment succeeds. */
export function randomProviderReference(method: string): string {
  return `${method}-${randomDigits(12)}`;
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Looks like Djomy's JWT; the sim only ever looks it up, it never decodes it. */
export function randomAccessToken(clientId: string, ttlSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const json = (value: object) => base64Url(new TextEncoder().encode(JSON.stringify(value)));
  const header = json({ alg: 'HS256', typ: 'JWT' });
  const claims = json({ sub: clientId, iat: now, exp: now + ttlSeconds, jti: crypto.randomUUID() });
  return `${header}.${claims}.${base64Url(randomBytes(32))}`;
}
