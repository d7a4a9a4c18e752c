import { backoffDelay } from './retry';

describe('backoffDelay', () => {
  it('doubles from the base, capped, with jitter between half and all of it', () => {
    const opts = { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 60 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts, () => 1))).toEqual([10, 20, 40, 60]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts, () => 0))).toEqual([5, 10, 20, 30]);
  });

  it('has small defaults', () => {
    expect(backoffDelay(0, undefined, () => 1)).toBe(10);
    expect(backoffDelay(10, undefined, () => 1)).toBe(200);
  });
});
