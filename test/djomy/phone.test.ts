import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../src/djomy/phone.ts';

describe('normalizePhone', () => {
  it.each([
    '+224 622 12 34 56',
    '622123456',
    '622 12 34 56',
    '00224622123456',
    '224622123456',
    '0622123456',
    '+224-622-12-34-56',
    '(+224) 622.12.34.56',
  ])('writes %s as 00224622123456 for Guinea', (input) => {
    expect(normalizePhone(input, 'GN')).toEqual({ ok: true, phone: '00224622123456' });
  });

  it('normalises Sierra Leone and Liberia numbers', () => {
    expect(normalizePhone('+232 76 123456', 'SL')).toEqual({ ok: true, phone: '0023276123456' });
    expect(normalizePhone('076123456', 'SL')).toEqual({ ok: true, phone: '0023276123456' });
    expect(normalizePhone('0775 123 456', 'LR')).toEqual({ ok: true, phone: '00231775123456' });
  });

  it.each([
    ['a Guinean number not starting with 6', '722123456', 'GN'],
    ['too short', '62212', 'GN'],
    ['too long', '6221234567', 'GN'],
    ['letters', '62212345a', 'GN'],
    ['another country', '+232 76 123456', 'GN'],
    ['empty', '', 'GN'],
  ] as const)('refuses %s', (_name, input, country) => {
    expect(normalizePhone(input, country).ok).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the calling code and the last three digits', () => {
    expect(maskPhone('00224622123456')).toBe('00224******456');
    expect(maskPhone('1234')).toBe('****');
  });
});
