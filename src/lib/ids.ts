/** Unguessable identifiers. */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `prefix` + `bytes` random bytes in lowercase base32 (5 bits per character).
 *
 * @example randomId('pay_') // 'pay_' + 32 characters = 160 random bits
 */
export function randomId(prefix: string, bytes = 20): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let bits = 0;
  let value = 0;
  let out = prefix;
  for (const byte of random) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
