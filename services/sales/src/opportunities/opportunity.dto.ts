// The bodies of the opportunity commands.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import { IsCalendarDate, Nested } from '@crm/platform';
import { LIMITS } from '../domain';
import { MoneyDto, StageId, Text, UserId, Uuid } from '../infrastructure/http/sales-dto';

export class OpenOpportunityDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: derived from the Idempotency-Key' }) @IsOptional() @Uuid() opportunityId?: string;
  @ApiProperty({ format: 'uuid', description: 'An active customer the sales service knows (from crm.customers.v1)' }) @Uuid() customerId!: string;
  @ApiProperty({ format: 'uuid' }) @Uuid() pipelineId!: string;
  @ApiPropertyOptional({ description: "Default: the pipeline's first stage" }) @IsOptional() @StageId() stageId?: string;
  @ApiProperty({ maxLength: LIMITS.title }) @Text(LIMITS.title) title!: string;
  @ApiProperty({ type: MoneyDto }) @Nested(() => MoneyDto, { required: true }) amount!: MoneyDto;
  @ApiPropertyOptional({ example: '2030-09-30' }) @IsOptional() @IsCalendarDate() expectedCloseDate?: string;
  @ApiPropertyOptional({ maxLength: LIMITS.userId }) @IsOptional() @UserId() ownerId?: string;
}

export class MoveToStageDto {
  @ApiProperty({ example: 'proposal' }) @StageId() stageId!: string;
}

export class ChangeAmountDto {
  @ApiProperty({ type: MoneyDto }) @Nested(() => MoneyDto, { required: true }) amount!: MoneyDto;
}

export class ChangeCloseDateDto {
  @ApiProperty({ example: '2030-09-30', nullable: true, description: 'null clears it' })
  @ValidateIf((dto: ChangeCloseDateDto) => dto.expectedCloseDate !== null)
  @IsCalendarDate()
  expectedCloseDate!: string | null;
}

export class ReassignDto {
  @ApiProperty({ maxLength: LIMITS.userId }) @UserId() ownerId!: string;
}

export class MarkLostDto {
  @ApiProperty({ maxLength: LIMITS.reason, example: 'Chose a competitor' }) @Text(LIMITS.reason) reason!: string;
}

export class ReopenDto {
  @ApiPropertyOptional({ description: 'Default: the stage it was closed at' }) @IsOptional() @StageId() stageId?: string;
}
