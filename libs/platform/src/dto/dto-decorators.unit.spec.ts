// The DTO helpers through class-transformer and class-validator, as the validation pipe runs them.
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validateSync } from 'class-validator';
import { IsCalendarDate, isCalendarDate, IsIsoDateTime, isIsoDateTime, Nested, NestedList, Trim, TrimLowerCase, TrimUpperCase } from './dto-decorators';
import { IdParams } from './id-params';
import { flattenValidationErrors } from '../errors/validation';

class ItemDto {
  @TrimUpperCase() @IsString() sku!: string;
}

class OrderDto {
  @Trim() @IsString({ each: true }) @IsOptional() lines?: string[];
  @TrimLowerCase() @IsString() email!: string;
  @IsCalendarDate() @IsOptional() due?: string;
  @IsIsoDateTime() @IsOptional() at?: string;
  @Nested(() => ItemDto, { required: true }) main!: ItemDto;
  @NestedList(() => ItemDto, 2) @IsOptional() items?: ItemDto[];
}

const check = <T extends object>(type: new () => T, plain: object) => {
  const dto = plainToInstance(type, plain);
  return { dto, problems: flattenValidationErrors(validateSync(dto)) };
};

describe('DTO decorators', () => {
  it('trims and normalises case, also inside lists and nested objects', () => {
    const { dto, problems } = check(OrderDto, { lines: [' a ', 'b '], email: ' Ada@Example.COM ', main: { sku: ' tea-1 ' }, items: [{ sku: 'x' }] });
    expect(problems).toEqual([]);
    expect(dto).toMatchObject({ lines: ['a', 'b'], email: 'ada@example.com', main: { sku: 'TEA-1' }, items: [{ sku: 'X' }] });
  });

  it('names every field at fault: dates, times, a missing nested object, a list too long or with a bad element', () => {
    const { problems } = check(OrderDto, { email: 'a', due: '2025-02-30', at: '2025-01-31T09:30:00', items: [{ sku: 1 }, {}, {}] });
    expect(problems.map((p) => p.field).sort()).toEqual(['at', 'due', 'items', 'items.0.sku', 'items.1.sku', 'items.2.sku', 'main']);
  });

  it('accepts calendar dates and zoned times only', () => {
    expect([isCalendarDate('2024-02-29'), isCalendarDate('2023-02-29'), isCalendarDate('2024-2-1')]).toEqual([true, false, false]);
    expect([isIsoDateTime('2025-01-31T09:30:00Z'), isIsoDateTime('2025-01-31T09:30+01:00'), isIsoDateTime('2025-01-31T09:30:00'), isIsoDateTime('2025-13-01T00:00Z')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('takes an :id that is a uuid, in lower case', () => {
    const id = 'C3A1E4B2-6D5F-4E7A-8B9C-0D1E2F3A4B5C';
    expect(check(IdParams, { id: ` ${id} ` })).toEqual({ dto: { id: id.toLowerCase() }, problems: [] });
    expect(check(IdParams, { id: 'customer-1' }).problems.map((p) => p.field)).toEqual(['id']);
  });
});
