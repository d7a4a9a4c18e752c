// ISO-8601 durations of fixed length, as GET /conversions/stuck?olderThan= and CONVERSION_STUCK_AFTER take them.
import { parseIsoDuration } from './iso-duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT5M', 300_000],
    ['pt30s', 30_000],
    ['PT0S', 0],
    ['PT0.5S', 500],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '5M', 'PT-5M', 'P1M', 'P1Y', 'PT5M30', 'PT1.2345S', '300'])('refuses %j', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });
});
