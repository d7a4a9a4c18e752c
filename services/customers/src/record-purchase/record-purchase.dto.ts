// POST /customers/:id/purchases: an order the shop reports. Amounts are decimal strings in the currency's
// minor-unit precision (EUR "12.34", JPY "1200", KWD "1.234"); items are priced in the purchase's currency.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO4217CurrencyCode, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsIsoDateTime, Nested, NestedList, Trim, TrimUpperCase } from '@crm/platform';
import { LIMITS } from '../infrastructure/http/validation';

export const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,3})?$/;
const decimalMessage = { message: '$property must be a non-negative decimal string such as "12.34"' };

export class MoneyDto {
  @ApiProperty({ example: '12.34' }) @Matches(DECIMAL, decimalMessage) @IsString() value!: string;
  @ApiProperty({ example: 'EUR' }) @TrimUpperCase() @IsISO4217CurrencyCode({ message: '$property must be an ISO 4217 currency code' }) @IsString() currency!: string;
}

export class PurchaseItemDto {
  @ApiProperty({ maxLength: LIMITS.sku }) @Trim() @IsNotEmpty() @MaxLength(LIMITS.sku) @IsString() sku!: string;
  @ApiProperty({ maxLength: LIMITS.itemName }) @Trim() @IsNotEmpty() @MaxLength(LIMITS.itemName) @IsString() name!: string;
  @ApiProperty({ minimum: 1 }) @Max(LIMITS.quantity) @Min(1) @IsInt() quantity!: number;
  @ApiProperty({ example: '6.17', description: 'In the purchase currency' }) @Matches(DECIMAL, decimalMessage) @IsString() unitPrice!: string;
}

export class RecordPurchaseDto {
  @ApiProperty({ maxLength: LIMITS.orderId, description: 'Recording the same order again changes nothing' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/, { message: '$property must be letters, digits and _.:/-' })
  @MaxLength(LIMITS.orderId)
  @IsString()
  orderId!: string;
  @ApiProperty({ type: MoneyDto }) @Nested(() => MoneyDto, { required: true }) amount!: MoneyDto;
  @ApiProperty({ type: [PurchaseItemDto], maxItems: LIMITS.items }) @NestedList(() => PurchaseItemDto, LIMITS.items) items!: PurchaseItemDto[];
  @ApiPropertyOptional({ description: 'ISO-8601 time with zone; default: now' })
  @IsOptional()
  @IsIsoDateTime()
  purchasedAt?: string;
}
