/**
 * The console's pure helpers (public/admin/lib/): amounts in French words,
 * as the counter says them aloud, and the amount and day formats.
 */
import { describe, expect, it } from 'vitest';
import { dayBefore, money, totalsSince } from '../../public/admin/lib/format.js';
import { amountInWords, frenchWords, MAX_SPOKEN, paymentAnnouncement } from '../../public/admin/lib/words.js';

describe('frenchWords', () => {
  it.each([
    [0, 'zéro'],
    [1, 'un'],
    [7, 'sept'],
    [10, 'dix'],
    [11, 'onze'],
    [16, 'seize'],
    [17, 'dix-sept'],
    [19, 'dix-neuf'],
    [20, 'vingt'],
    [21, 'vingt et un'],
    [22, 'vingt-deux'],
    [30, 'trente'],
    [31, 'trente et un'],
    [45, 'quarante-cinq'],
    [51, 'cinquante et un'],
    [61, 'soixante et un'],
    [69, 'soixante-neuf'],
    [70, 'soixante-dix'],
    [71, 'soixante et onze'],
    [72, 'soixante-douze'],
    [77, 'soixante-dix-sept'],
    [79, 'soixante-dix-neuf'],
    [80, 'quatre-vingts'],
    [81, 'quatre-vingt-un'],
    [88, 'quatre-vingt-huit'],
    [90, 'quatre-vingt-dix'],
    [91, 'quatre-vingt-onze'],
    [99, 'quatre-vingt-dix-neuf'],
  ])('%i → %s', (n, words) => {
    expect(frenchWords(n)).toBe(words);
  });

  it.each([
    [100, 'cent'],
    [101, 'cent un'],
    [180, 'cent quatre-vingts'],
    [200, 'deux cents'],
    [201, 'deux cent un'],
    [280, 'deux cent quatre-vingts'],
    [999, 'neuf cent quatre-vingt-dix-neuf'],
    [1000, 'mille'],
    [1001, 'mille un'],
    [1100, 'mille cent'],
    [2000, 'deux mille'],
    [12_000, 'douze mille'],
    [21_000, 'vingt et un mille'],
    [25_000, 'vingt-cinq mille'],
    [60_000, 'soixante mille'],
    [71_000, 'soixante et onze mille'],
    [80_000, 'quatre-vingt mille'],
    [125_000, 'cent vingt-cinq mille'],
    [200_000, 'deux cent mille'],
    [280_000, 'deux cent quatre-vingt mille'],
    [999_999, 'neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf'],
  ])('%i → %s', (n, words) => {
    expect(frenchWords(n)).toBe(words);
  });

  it.each([
    [1_000_000, 'un million'],
    [1_000_001, 'un million un'],
    [1_500_000, 'un million cinq cent mille'],
    [2_000_000, 'deux millions'],
    [2_500_000, 'deux millions cinq cent mille'],
    [80_000_000, 'quatre-vingts millions'],
    [200_000_000, 'deux cents millions'],
    [201_000_000, 'deux cent un millions'],
    [1_000_000_000, 'un milliard'],
    [3_000_000_000, 'trois milliards'],
    [
      1_234_567_890,
      'un milliard deux cent trente-quatre millions cinq cent soixante-sept mille huit cent quatre-vingt-dix',
    ],
    [80_000_000_000, 'quatre-vingts milliards'],
    [1_000_000_000_000, 'un billion'],
  ])('%i → %s', (n, words) => {
    expect(frenchWords(n)).toBe(words);
  });

  it('refuses what it cannot say', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_SPOKEN + 1]) {
      expect(() => frenchWords(n), String(n)).toThrow(RangeError);
    }
    expect(frenchWords(MAX_SPOKEN)).toMatch(/^neuf cent quatre-vingt-dix-neuf billions /);
  });

  it('below a million: no stray space, no "un mille", no plural before another word', () => {
    for (let n = 0; n < 1_000_000; n += 97) {
      expect(frenchWords(n), String(n)).not.toMatch(/ {2}|^ | $|^un mille|cents [a-z]|vingts [a-z]/);
    }
  });
});

describe('amountInWords and the announcement', () => {
  it.each([
    [25_000, 'GNF', 'vingt-cinq mille francs guinéens'],
    [60_000, 'GNF', 'soixante mille francs guinéens'],
    [1, 'GNF', 'un franc guinéen'],
    [1_000_000, 'GNF', 'un million de francs guinéens'],
    [2_000_000, 'GNF', 'deux millions de francs guinéens'],
    [1_500_000, 'GNF', 'un million cinq cent mille francs guinéens'],
    [3_000_000_000, 'GNF', 'trois milliards de francs guinéens'],
    [20, 'USD', 'vingt dollars'],
    [5, 'SLE', 'cinq leones'],
    [7, 'XOF', 'sept XOF'],
  ])('%i %s → %s', (amount, currency, words) => {
    expect(amountInWords(amount, currency)).toBe(words);
  });

  it('says a payment the way the counter announces it', () => {
    expect(paymentAnnouncement(25_000, 'GNF')).toBe('Paiement reçu : vingt-cinq mille francs guinéens');
    expect(paymentAnnouncement(60_000, 'GNF')).toBe('Paiement reçu : soixante mille francs guinéens');
  });
});

describe('formats', () => {
  it('writes amounts the Guinean way, with the currency code', () => {
    expect(money(60_000, 'GNF').replace(/\s/g, ' ')).toBe('60 000 GNF');
    expect(money(1_250_000).replace(/\s/g, ' ')).toBe('1 250 000 GNF');
  });

  it('counts days back across months and years', () => {
    expect(dayBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(dayBefore('2027-01-03', 6)).toBe('2026-12-28');
  });

  it('totals the days since a date, per currency, largest first', () => {
    const days = [
      { day: '2026-11-01', currency: 'GNF', paidCount: 2, paidAmount: 50_000 },
      { day: '2026-11-29', currency: 'GNF', paidCount: 1, paidAmount: 25_000 },
      { day: '2026-11-30', currency: 'GNF', paidCount: 3, paidAmount: 90_000 },
      { day: '2026-11-30', currency: 'USD', paidCount: 1, paidAmount: 20 },
    ];
    expect(totalsSince(days, '2026-11-30')).toEqual([
      { currency: 'GNF', count: 3, amount: 90_000 },
      { currency: 'USD', count: 1, amount: 20 },
    ]);
    expect(totalsSince(days, '2026-11-24')).toEqual([
      { currency: 'GNF', count: 4, amount: 115_000 },
      { currency: 'USD', count: 1, amount: 20 },
    ]);
  });
});
