// POST /customers/:id/merge-into/:survivorId { fieldChoices? }: per profile field, whose value the survivor keeps.
// Without a choice, lists are united and the survivor's value wins where it has one.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Nested, TrimLowerCase } from '@crm/platform';
import type { MergeChoice } from '../domain';
import { CustomerIdParams } from '../infrastructure/http/params';

const SINGLE = ['survivor', 'merged'] as const;
const LIST = ['survivor', 'merged', 'union'] as const;

export class MergeParams extends CustomerIdParams {
  @ApiProperty({ format: 'uuid' }) @TrimLowerCase() @IsUUID() survivorId!: string;
}

export class MergeChoicesDto {
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) name?: MergeChoice;
  @ApiPropertyOptional({ enum: LIST }) @IsOptional() @IsIn(LIST) emails?: MergeChoice;
  @ApiPropertyOptional({ enum: LIST }) @IsOptional() @IsIn(LIST) phones?: MergeChoice;
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) address?: MergeChoice;
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) birthday?: MergeChoice;
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) gender?: MergeChoice;
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) company?: MergeChoice;
  @ApiPropertyOptional({ enum: LIST }) @IsOptional() @IsIn(LIST) tags?: MergeChoice;
  @ApiPropertyOptional({ enum: SINGLE }) @IsOptional() @IsIn(SINGLE) acquisitionSource?: MergeChoice;
  @ApiPropertyOptional({ enum: LIST }) @IsOptional() @IsIn(LIST) customAttributes?: MergeChoice;
}

export class MergeCustomersDto {
  @ApiPropertyOptional({ type: MergeChoicesDto }) @IsOptional() @Nested(() => MergeChoicesDto) fieldChoices?: MergeChoicesDto;
}
