import { describe, expect, it } from 'vitest';
import {
  djomyApiKey,
  parseApiKey,
  signWebhookBody,
  verifyWebhookSignature,
} from '../../src/djomy/signature.ts';
import { hmacSha256, toHex } from '../../src/lib/crypto.ts';

describe('X-API-KEY', () => {
  it('is clientId, a colon, and the lowercase hex HMAC-SHA256 of the client id keyed with the secret', async () => {
    const expected = toHex(await hmacSha256('secret', 'djomy-client-1'));
    expect(await djomyApiKey('djomy-client-1', 'secret')).toBe(`djomy-client-1:${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches an independently computed value (RFC 4231 case 2 inputs)', async () => {
    // key "Jefe", message "what do ya want for nothing?" → RFC 4231, test case 2
    const key = await djomyApiKey('what do ya want for nothing?', 'Jefe');
    expect(key.split(':').at(-1)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('parses back into client id and signature, and refuses malformed values', () => {
    expect(parseApiKey(`a:b:${'f'.repeat(64)}`)).toEqual({ clientId: 'a:b', signature: 'f'.repeat(64) });
    expect(parseApiKey('no-colon')).toBeNull();
    expect(parseApiKey(`:${'f'.repeat(64)}`)).toBeNull();
    expect(parseApiKey('id:short')).toBeNull();
    expect(parseApiKey(null)).toBeNull();
  });
});

describe('webhook signature', () => {
  const secret = 'client-secret';
  const body = '{"eventType":"payment.success","eventId":"e1","data":{"transactionId":"t1"}}';

  it('signs v1:<lowercase hex> over the raw body', async () => {
    const header = await signWebhookBody(secret, body);
    expect(header).toBe(`v1:${toHex(await hmacSha256(secret, body))}`);
  });

  it.each([
    ['v1:<hex>', (hex: string) => `v1:${hex}`],
    ['bare hex', (hex: string) => hex],
    ['uppercase hex', (hex: string) => hex.toUpperCase()],
    ['V1: prefix and spaces', (hex: string) => `  V1:${hex} `],
  ])('accepts %s', async (_name, format) => {
    const hex = toHex(await hmacSha256(secret, body));
    expect(await verifyWebhookSignature(secret, body, format(hex))).toBe(true);
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['wrong secret', 'v1:'],
    ['truncated', 'v1:abcd'],
    ['not hex', `v1:${'z'.repeat(64)}`],
  ])('refuses a %s signature', async (name, header) => {
    const value = name === 'wrong secret' ? `v1:${toHex(await hmacSha256('other', body))}` : header;
    expect(await verifyWebhookSignature(secret, body, value)).toBe(false);
  });

  it('refuses a signature of a re-serialised body', async () => {
    const header = await signWebhookBody(secret, body);
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    expect(await verifyWebhookSignature(secret, reserialised, header)).toBe(false);
  });
});
