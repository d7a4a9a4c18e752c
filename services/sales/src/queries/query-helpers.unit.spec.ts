// The pure parts of the sales queries: cursors, month arithmetic, rates, periods.
import { BadRequestException } from '@nestjs/common';
import { instantOf, rate } from './figures';
import { monthAt, monthIndex, monthsBetween } from './forecast/forecast.query';
import { cursorParam, decodeCursor, encodeCursor, pageOf } from './keyset';
import { isMonth, periodOf } from './query-params';

describe('keyset cursor', () => {
  it('decodes what it encoded; anything else is no cursor, and as a parameter a 400 naming cursor', () => {
    const keyset = { time: '2026-07-02T09:00:00.123456+00:00', id: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b' };
    expect(decodeCursor(encodeCursor(keyset))).toEqual(keyset);
    for (const text of ['', 'abc', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('["2026-01-01",""]').toString('base64url')]) {
      expect(decodeCursor(text)).toBeNull();
    }
    expect(cursorParam(undefined)).toBeUndefined();
    try {
      cursorParam('bm90LWEtY3Vyc29y');
      throw new Error('no 400');
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      expect((error as BadRequestException).getResponse()).toEqual(expect.objectContaining({ errors: [expect.objectContaining({ field: 'cursor' })] }));
    }
  });

  it('cuts limit + 1 rows to a page and points the cursor at its last row, or at nothing on the last page', () => {
    const rows = [1, 2, 3].map((n) => ({ cursor_time: `2026-01-0${n}T00:00:00+00:00`, id: `id-${n}` }));
    const full = pageOf(rows, 2, (r) => r.id, (r) => r.id);
    expect(full.items).toEqual(['id-1', 'id-2']);
    expect(decodeCursor(full.nextCursor ?? '')).toEqual({ time: '2026-01-02T00:00:00+00:00', id: 'id-2' });
    expect(pageOf(rows, 3, (r) => r.id, (r) => r.id).nextCursor).toBeNull();
  });
});

describe('months, rates and periods', () => {
  it('lists the months of a range across a year end, and validates YYYY-MM', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-05', '2026-04')).toEqual([]);
    expect(monthAt(monthIndex('2026-12') + 1)).toBe('2027-01');
    expect([isMonth('2026-07'), isMonth('2026-13'), isMonth('2026-7'), isMonth(202607)]).toEqual([true, false, false, false]);
  });

  it('rounds rates to four decimals and has none without a denominator', () => {
    expect([rate(2, 3), rate(1, 1), rate(0, 5), rate(3, 0)]).toEqual([0.6667, 1, 0, null]);
  });

  it('takes a date as midnight UTC, and refuses a period that does not end after it starts, naming `to`', () => {
    expect(instantOf('2026-07-01')).toBe('2026-07-01T00:00:00Z');
    expect(periodOf({ from: '2026-07-01', to: '2026-07-01T03:00:00+02:00' })).toEqual({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-01T01:00:00.000Z' });
    for (const to of ['2026-07-01', '2026-07-01T02:00:00+02:00', '2026-06-30']) {
      expect(() => periodOf({ from: '2026-07-01', to })).toThrow(BadRequestException);
    }
  });
});
