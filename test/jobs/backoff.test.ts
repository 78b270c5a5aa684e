import { expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/jobs/backoff.ts';

it('queue retry delays grow exponentially, with jitter, up to the cap', () => {
  for (let attempts = 1; attempts <= 12; attempts++) {
    const ceiling = Math.min(300, 2 * 2 ** (attempts - 1));
    for (let i = 0; i < 50; i++) {
      const delay = retryDelaySeconds(attempts);
      expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.floor(ceiling / 2)));
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  }
  const spread = new Set(Array.from({ length: 100 }, () => retryDelaySeconds(8)));
  expect(spread.size).toBeGreaterThan(10);
});
