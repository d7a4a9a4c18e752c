// POST /customers: a new customer's profile. Without `customerId` the service picks one (derived from the
// Idempotency-Key, so that a retry addresses the same customer).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate, Nested, NestedList, Trim, TrimLowerCase } from '@crm/platform';
import { AddressDto, CustomAttributeDto, EmailDto, PersonNameDto, PhoneDto } from '../infrastructure/http/profile.dto';
import { LIMITS, TAG_PATTERN } from '../infrastructure/http/validation';

export class RegisterCustomerDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @TrimLowerCase() @IsUUID() customerId?: string;
  @ApiProperty({ type: PersonNameDto }) @Nested(() => PersonNameDto, { required: true }) name!: PersonNameDto;
  @ApiPropertyOptional({ type: [EmailDto] }) @IsOptional() @NestedList(() => EmailDto, LIMITS.contacts) emails?: EmailDto[];
  @ApiPropertyOptional({ type: [PhoneDto] }) @IsOptional() @NestedList(() => PhoneDto, LIMITS.contacts) phones?: PhoneDto[];
  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @Nested(() => AddressDto) address?: AddressDto;
  @ApiPropertyOptional({ example: '1990-04-01' }) @IsOptional() @IsCalendarDate() birthday?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.gender }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.gender) @IsString() gender?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.company }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.company) @IsString() company?: string;
  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.tags })
  @IsOptional()
  @Trim()
  @Matches(TAG_PATTERN, { each: true, message: 'each value in $property must be letters, digits and _.:-, starting with a letter or digit' })
  @MaxLength(LIMITS.tag, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(LIMITS.tags)
  @IsArray()
  tags?: string[];
  @ApiPropertyOptional({ maxLength: LIMITS.source }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.source) @IsString() acquisitionSource?: string;
  @ApiPropertyOptional({ type: [CustomAttributeDto] }) @IsOptional() @NestedList(() => CustomAttributeDto, LIMITS.attributes) customAttributes?: CustomAttributeDto[];
  @ApiPropertyOptional({ description: 'Register even when a customer with one of these emails or phones exists' })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}
