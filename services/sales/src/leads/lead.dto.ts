// The bodies of the lead commands. The contact is personal data: it is encrypted with the lead's key when stored.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EMAIL_MAX_LENGTH, EmailAddressText, IsCalendarDate, Nested, PhoneNumberText } from '@crm/platform';
import { LIMITS, type LeadErasureReason } from '../domain';
import { MoneyDto, StageId, Text, UserId, Uuid } from '../infrastructure/http/sales-dto';

export class PersonNameDto {
  @ApiProperty({ maxLength: LIMITS.fullName, example: 'Grace Hopper' }) @Text(LIMITS.fullName) fullName!: string;
  @ApiPropertyOptional({ maxLength: LIMITS.namePart }) @IsOptional() @Text(LIMITS.namePart) givenName?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.namePart }) @IsOptional() @Text(LIMITS.namePart) familyName?: string;
}

export class ContactDto {
  @ApiProperty({ type: PersonNameDto }) @Nested(() => PersonNameDto, { required: true }) name!: PersonNameDto;
  @ApiPropertyOptional({ example: 'grace@example.com', maxLength: EMAIL_MAX_LENGTH }) @IsOptional() @EmailAddressText() email?: string;
  @ApiPropertyOptional({ example: '+49 30 123456', description: 'International, or national in DEFAULT_PHONE_REGION; stored as E.164' })
  @IsOptional()
  @PhoneNumberText()
  phone?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.company }) @IsOptional() @Text(LIMITS.company) company?: string;
}

export class CaptureLeadDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: derived from the Idempotency-Key' }) @IsOptional() @Uuid() leadId?: string;
  @ApiProperty({ maxLength: LIMITS.source, example: 'trade-fair' }) @Text(LIMITS.source) source!: string;
  @ApiProperty({ type: ContactDto }) @Nested(() => ContactDto, { required: true }) contact!: ContactDto;
  @ApiPropertyOptional({ maxLength: LIMITS.interest }) @IsOptional() @Text(LIMITS.interest) interest?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.userId }) @IsOptional() @UserId() ownerId?: string;
}

export class DisqualifyLeadDto {
  @ApiProperty({ maxLength: LIMITS.reason, example: 'No budget this year' }) @Text(LIMITS.reason) reason!: string;
}

/** The opportunity a conversion opens; it waits for its customer (the saga links it). */
export class OpportunityDraftDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: derived from the Idempotency-Key' }) @IsOptional() @Uuid() opportunityId?: string;
  @ApiProperty({ format: 'uuid' }) @Uuid() pipelineId!: string;
  @ApiPropertyOptional({ description: "Default: the pipeline's first stage" }) @IsOptional() @StageId() stageId?: string;
  @ApiProperty({ maxLength: LIMITS.title }) @Text(LIMITS.title) title!: string;
  @ApiProperty({ type: MoneyDto }) @Nested(() => MoneyDto, { required: true }) amount!: MoneyDto;
  @ApiPropertyOptional({ example: '2030-09-30' }) @IsOptional() @IsCalendarDate() expectedCloseDate?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.userId }) @IsOptional() @UserId() ownerId?: string;
}

export class ConvertLeadDto {
  @ApiPropertyOptional({ format: 'uuid', description: "An existing customer; without it, the customers service registers one from the lead's contact" })
  @IsOptional()
  @Uuid()
  customerId?: string;
  @ApiPropertyOptional({ type: OpportunityDraftDto }) @IsOptional() @Nested(() => OpportunityDraftDto) opportunity?: OpportunityDraftDto;
}

export const ERASURE_REASONS = ['data_subject_request', 'retention_policy'] as const satisfies readonly LeadErasureReason[];

export class EraseLeadDto {
  @ApiProperty({ enum: ERASURE_REASONS }) @IsIn(ERASURE_REASONS) reason!: (typeof ERASURE_REASONS)[number];
}
