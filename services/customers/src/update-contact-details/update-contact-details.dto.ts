// PATCH /customers/:id/contact-details: only the fields given change. `null` clears birthday, gender or company;
// the lists replace the customer's whole list (an empty list clears it).
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate, Nested, NestedList, Trim } from '@crm/platform';
import { CustomAttributeDto, EmailDto, PersonNameDto, PhoneDto } from '../infrastructure/http/profile.dto';
import { LIMITS } from '../infrastructure/http/validation';

/** Given (not undefined): then null is refused as well. */
const IfGiven = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export class UpdateContactDetailsDto {
  @ApiPropertyOptional({ type: PersonNameDto }) @IfGiven() @Nested(() => PersonNameDto, { required: true }) name?: PersonNameDto;
  @ApiPropertyOptional({ type: [EmailDto] }) @IfGiven() @NestedList(() => EmailDto, LIMITS.contacts) emails?: EmailDto[];
  @ApiPropertyOptional({ type: [PhoneDto] }) @IfGiven() @NestedList(() => PhoneDto, LIMITS.contacts) phones?: PhoneDto[];
  @ApiPropertyOptional({ nullable: true, example: '1990-04-01' }) @IsOptional() @IsCalendarDate() birthday?: string | null;
  @ApiPropertyOptional({ nullable: true, maxLength: LIMITS.gender }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.gender) @IsString() gender?: string | null;
  @ApiPropertyOptional({ nullable: true, maxLength: LIMITS.company }) @IsOptional() @Trim() @IsNotEmpty() @MaxLength(LIMITS.company) @IsString() company?: string | null;
  @ApiPropertyOptional({ type: [CustomAttributeDto] }) @IfGiven() @NestedList(() => CustomAttributeDto, LIMITS.attributes) customAttributes?: CustomAttributeDto[];
}
