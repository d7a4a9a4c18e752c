// The search statement and its cursor, without PostgreSQL.
import { decodeCursor, encodeCursor, searchPattern, searchStatement } from './customer-search';

describe('customer search', () => {
  it('given a cursor it issued, decodes it; anything else is no cursor', () => {
    const cursor = { createdAt: '2025-01-31T09:30:00.123456+00:00', customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const text of ['', 'abc', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) expect(decodeCursor(text)).toBeNull();
  });

  it('looks text up literally in lower case, and a phone in any format by its digits', () => {
    expect(searchPattern('  Ada_Love%  ')).toBe('%ada\\_love\\%%');
    expect(searchPattern('030 123-4567')).toBe('%301234567%');
    expect(searchPattern('+44 (20) 7123')).toBe('%44207123%');
    expect(searchPattern('12')).toBe('%12%');
  });

  it('binds every filter as a parameter, with the keyset condition and one row more than the page', () => {
    const { text, values } = searchStatement({
      q: "o'brien",
      tags: ['vip'],
      consents: ['email', 'sms'],
      createdFrom: '2025-01-01',
      limit: 10,
      after: { createdAt: '2025-01-02T00:00:00+00:00', customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
    });
    expect(text).not.toContain("o'brien");
    expect(text).toContain('(created_at, customer_id) > ($6::timestamptz, $7::uuid)');
    expect(text).toMatch(/ORDER BY created_at, customer_id\s+LIMIT \$8$/);
    expect(values).toEqual([
      ['active', 'inactive'],
      "%o'brien%",
      ['vip'],
      '{"email":{"granted":true},"sms":{"granted":true}}',
      '2025-01-01T00:00:00Z',
      '2025-01-02T00:00:00+00:00',
      '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
      11,
    ]);
  });
});
