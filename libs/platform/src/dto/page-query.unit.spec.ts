// The shared list parameters through class-transformer and class-validator, as the validation pipe runs them.
import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { flattenValidationErrors } from '../errors/validation';
import { isInstant, IsInstant, PageCursor, PageLimit } from './page-query';

class ListQuery {
  @IsOptional() @IsInstant() from?: string;
  @PageLimit({ max: 50, default: 10 }) limit?: number;
  @PageCursor({ maxLength: 8 }) cursor?: string;
}

const problemsOf = (plain: object) => flattenValidationErrors(validateSync(plainToInstance(ListQuery, plain)));

describe('list query parameters', () => {
  it('takes a limit from its text, an opaque cursor and an instant; both page parameters are optional', () => {
    const dto = plainToInstance(ListQuery, { from: '2025-01-31', limit: '50', cursor: 'aB_-9' });
    expect(flattenValidationErrors(validateSync(dto))).toEqual([]);
    expect(dto.limit).toBe(50);
    expect(problemsOf({ from: '2025-01-31T09:30:00+01:00' })).toEqual([]);
  });

  it('names each parameter at fault', () => {
    const fields = (plain: object) => problemsOf(plain).map((p) => p.field);
    expect(fields({ from: '2025-02-30', limit: '51', cursor: 'a/b' })).toEqual(['from', 'limit', 'cursor']);
    expect(fields({ from: '2025-01-31T09:30:00', limit: '0', cursor: 'abcdefghi' })).toEqual(['from', 'limit', 'cursor']);
    expect(fields({ limit: '2.5' })).toEqual(['limit']);
    expect(problemsOf({ cursor: 'a b' })[0]?.problems).toContain('cursor must be a nextCursor returned by this API');
  });

  it('accepts a calendar date or a zoned date-time as an instant', () => {
    expect([isInstant('2024-02-29'), isInstant('2025-01-31T09:30Z'), isInstant('2023-02-29'), isInstant('2025-01-31T09:30'), isInstant(20250131)]).toEqual([true, true, false, false, false]);
  });
});
