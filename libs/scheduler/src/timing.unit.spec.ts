// The back-off grows, caps and spreads as documented; the runner sleeps until the next due job within bounds.
import { MIN_WAKE_DELAY_MS, retryDelayMs, wakeDelayMs } from './timing';

describe('retryDelayMs', () => {
  const noJitter = { baseMs: 100, factor: 2, maxMs: 1_000, jitter: 0 };

  it('doubles from the base with each failure', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, noJitter))).toEqual([100, 200, 400, 800]);
  });

  it('stops at the ceiling, even after very many failures', () => {
    expect(retryDelayMs(5, noJitter)).toBe(1_000);
    expect(retryDelayMs(10_000, noJitter)).toBe(1_000);
  });

  it('takes off at most the jitter fraction, drawn at random', () => {
    const options = { ...noJitter, jitter: 0.5 };
    expect(retryDelayMs(2, options, () => 0)).toBe(200);
    expect(retryDelayMs(2, options, () => 0.5)).toBe(150);
    expect(retryDelayMs(2, options, () => 0.999)).toBeGreaterThanOrEqual(100);
  });

  it('uses a default of 1 s doubling, with up to 20 % jitter', () => {
    expect(retryDelayMs(1, {}, () => 0)).toBe(1_000);
    expect(retryDelayMs(3, {}, () => 1)).toBe(3_200);
  });

  it.each([0, -1, 1.5])('rejects %p failures', (failures) => {
    expect(() => retryDelayMs(failures, noJitter)).toThrow(RangeError);
  });
});

describe('wakeDelayMs', () => {
  it('polls at the interval when nothing is pending', () => {
    expect(wakeDelayMs(null, 1_000)).toBe(1_000);
  });

  it('sleeps only until the next job is due when that is sooner', () => {
    expect(wakeDelayMs(300.2, 1_000)).toBe(302);
  });

  it('caps the sleep at the poll interval', () => {
    expect(wakeDelayMs(60_000, 1_000)).toBe(1_000);
  });

  it('waits a little when the earliest job is already due (locked by another replica)', () => {
    expect(wakeDelayMs(-5_000, 1_000)).toBe(MIN_WAKE_DELAY_MS);
    expect(wakeDelayMs(0, 20)).toBe(20);
  });
});
