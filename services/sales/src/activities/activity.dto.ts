// The bodies of the sales activity commands. Times are ISO-8601 with a zone; the domain compares them as instants.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDateTime } from '@crm/platform';
import { ACTIVITY_KINDS, LIMITS, type ActivityKind } from '../domain';
import { Text, UserId, Uuid } from '../infrastructure/http/sales-dto';

export class ScheduleActivityDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: derived from the Idempotency-Key' }) @IsOptional() @Uuid() activityId?: string;
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind!: ActivityKind;
  @ApiProperty({ maxLength: LIMITS.subject, example: 'Discuss the proposal' }) @Text(LIMITS.subject) subject!: string;
  @ApiProperty({ example: '2030-01-31T09:30:00Z' }) @IsIsoDateTime() dueAt!: string;
  @ApiPropertyOptional({ example: '2030-01-31T08:30:00Z', description: 'Not after dueAt' }) @IsOptional() @IsIsoDateTime() remindAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @Uuid() opportunityId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @Uuid() leadId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @Uuid() customerId?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.userId }) @IsOptional() @UserId() ownerId?: string;
}

/** Replaces the due time and the reminder: without remindAt the activity has no reminder any more. */
export class RescheduleActivityDto {
  @ApiProperty({ example: '2030-02-01T09:30:00Z' }) @IsIsoDateTime() dueAt!: string;
  @ApiPropertyOptional({ example: '2030-02-01T08:30:00Z' }) @IsOptional() @IsIsoDateTime() remindAt?: string;
}

export class CompleteActivityDto {
  @ApiPropertyOptional({ maxLength: LIMITS.outcome }) @IsOptional() @Text(LIMITS.outcome) outcome?: string;
}

export class CancelActivityDto {
  @ApiPropertyOptional({ maxLength: LIMITS.reason }) @IsOptional() @Text(LIMITS.reason) reason?: string;
}
