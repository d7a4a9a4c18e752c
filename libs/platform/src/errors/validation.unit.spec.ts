import { Type } from 'class-transformer';
import { IsInt, IsString, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { flattenValidationErrors } from '../index';

class Line {
  @IsString() sku!: string;
  @IsInt() quantity!: number;
}
class Address {
  @IsString() @MaxLength(5) city!: string;
}
class Order {
  @ValidateNested() @Type(() => Address) address!: Address;
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
}

describe('flattenValidationErrors', () => {
  it('names nested and array fields by dotted path', () => {
    const order = plainToInstance(Order, { address: { city: 'Manchester' }, lines: [{ sku: 'a', quantity: 1 }, { sku: 2, quantity: 'x' }] });
    expect(flattenValidationErrors(validateSync(order))).toEqual([
      { field: 'address.city', problems: ['city must be shorter than or equal to 5 characters'] },
      { field: 'lines.1.sku', problems: ['sku must be a string'] },
      { field: 'lines.1.quantity', problems: ['quantity must be an integer number'] },
    ]);
  });
});
