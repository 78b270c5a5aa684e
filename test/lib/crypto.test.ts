import { describe, expect, it } from 'vitest';
import { fromHex, hmacSha256, timingSafeEqual, toBytes, toHex } from '../../src/lib/crypto.ts';

// RFC 4231 test vectors (section 4) for HMAC-SHA-256.
const RFC4231 = [
  {
    key: '0b'.repeat(20),
    data: toHex(toBytes('Hi There')),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    key: toHex(toBytes('Jefe')),
    data: toHex(toBytes('what do ya want for nothing?')),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: 'cd'.repeat(50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    key: 'aa'.repeat(131),
    data: toHex(toBytes('Test Using Larger Than Block-Size Key - Hash Key First')),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    key: 'aa'.repeat(131),
    data: toHex(
      toBytes(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('hmacSha256', () => {
  it.each(RFC4231)('matches RFC 4231 vector $mac', async ({ key, data, mac }) => {
    const tag = await hmacSha256(fromHex(key) as Uint8Array, fromHex(data) as Uint8Array);
    expect(toHex(tag)).toBe(mac);
  });
});

describe('timingSafeEqual', () => {
  it('is true only for identical bytes of the same length', () => {
    expect(timingSafeEqual(toBytes('abc'), toBytes('abc'))).toBe(true);
    expect(timingSafeEqual(toBytes('abc'), toBytes('abd'))).toBe(false);
    expect(timingSafeEqual(toBytes('abc'), toBytes('abcd'))).toBe(false);
    expect(timingSafeEqual(toBytes(''), toBytes('a'))).toBe(false);
  });
});
