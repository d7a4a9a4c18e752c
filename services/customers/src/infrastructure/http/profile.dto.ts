// The parts of a customer profile as clients send them. Emails are trimmed and lower-cased, strings trimmed;
// phones are parsed to E.164 after validation (PhoneNormaliser), because the default region comes from config.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { EmailAddressText, PhoneNumberText, Trim, TrimUpperCase } from '@crm/platform';
import { IsAttributeValue, LIMITS } from './validation';

export class PersonNameDto {
  @ApiProperty({ maxLength: LIMITS.namePart }) @Trim() @IsNotEmpty() @MaxLength(LIMITS.namePart) @IsString() given!: string;
  @ApiPropertyOptional({ maxLength: LIMITS.namePart }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.namePart) @IsString() family?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.displayName }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.displayName) @IsString() display?: string;
}

export class EmailDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: LIMITS.email }) @EmailAddressText() address!: string;
  @ApiPropertyOptional({ description: 'Exactly one is primary; when none is marked, the first is.' }) @IsOptional() @IsBoolean() primary?: boolean;
  @ApiPropertyOptional({ maxLength: LIMITS.label }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.label) @IsString() label?: string;
}

export class PhoneDto {
  @ApiProperty({ example: '+49 30 1234567', description: 'International, or national in DEFAULT_PHONE_REGION; stored as E.164' })
  @PhoneNumberText()
  number!: string;
  @ApiPropertyOptional({ description: 'Exactly one is primary; when none is marked, the first is.' }) @IsOptional() @IsBoolean() primary?: boolean;
  @ApiPropertyOptional({ maxLength: LIMITS.label }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.label) @IsString() label?: string;
}

export class AddressDto {
  @ApiProperty({ type: [String], maxItems: LIMITS.addressLines })
  @Trim()
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.addressLine, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(LIMITS.addressLines)
  @ArrayMinSize(1)
  @IsArray()
  lines!: string[];
  @ApiProperty({ maxLength: LIMITS.city }) @Trim() @IsNotEmpty() @MaxLength(LIMITS.city) @IsString() city!: string;
  @ApiPropertyOptional({ maxLength: LIMITS.postalCode }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.postalCode) @IsString() postalCode?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.region }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.region) @IsString() region?: string;
  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @TrimUpperCase()
  @IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code' })
  @IsString()
  country!: string;
}

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date'] as const;

export class CustomAttributeDto {
  @ApiProperty({ maxLength: LIMITS.attributeKey, example: 'loyaltyTier' })
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]*$/, { message: '$property must start with a letter and hold letters, digits and _.-' })
  @MaxLength(LIMITS.attributeKey)
  @IsString()
  key!: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) @IsIn(ATTRIBUTE_TYPES) type!: (typeof ATTRIBUTE_TYPES)[number];
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }) @IsAttributeValue() value!: string | number | boolean;
}
