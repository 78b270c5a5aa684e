import { expect, it } from 'vitest';
import { isoCurrency } from '../../src/djomy/currency.ts';

it("maps Djomy's currency labels to ISO 4217 and never guesses the rest", () => {
  expect(isoCurrency('GNF')).toBe('GNF');
  expect(isoCurrency('FCFA')).toBe('XOF');
  expect(isoCurrency('Dollar')).toBe('USD');
  expect(isoCurrency('Leones')).toBe('SLE');
  expect(isoCurrency('Naira')).toBeNull();
  expect(isoCurrency('gnf')).toBeNull();
});
