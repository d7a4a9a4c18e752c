// The bodies of the pipeline commands. Stages are validated element by element (`stages.1.winProbability`).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { NestedList, TrimLowerCase } from '@crm/platform';
import { LIMITS } from '../domain';
import { StageDto, StageId, Text, WinProbability } from '../infrastructure/http/sales-dto';

export class DefinePipelineDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: derived from the Idempotency-Key' }) @IsOptional() @TrimLowerCase() @IsUUID() pipelineId?: string;
  @ApiProperty({ maxLength: LIMITS.pipelineName, example: 'Fleet licences' }) @Text(LIMITS.pipelineName) name!: string;
  @ApiProperty({ type: [StageDto], minItems: 1, maxItems: LIMITS.stages, description: 'In pipeline order' })
  @ArrayMinSize(1)
  @NestedList(() => StageDto, LIMITS.stages)
  stages!: StageDto[];
}

export class RenamePipelineDto {
  @ApiProperty({ maxLength: LIMITS.pipelineName }) @Text(LIMITS.pipelineName) name!: string;
}

export class AddStageDto extends StageDto {
  @ApiPropertyOptional({ minimum: 0, description: 'The index the stage gets (0 = first); default: last' }) @IsOptional() @Min(0) @IsInt() position?: number;
}

export class ReorderStagesDto {
  @ApiProperty({ type: [String], description: 'Every stage id of the pipeline, once, in the new order' })
  @ArrayUnique({ message: '$property must name each stage once' })
  @StageId({ each: true })
  @ArrayMaxSize(LIMITS.stages)
  @ArrayMinSize(1)
  @IsArray()
  stageIds!: string[];
}

/** At least one of the two; both change the stage in one request. */
export class ChangeStageDto {
  @ApiPropertyOptional({ maxLength: LIMITS.stageName }) @IsOptional() @Text(LIMITS.stageName) name?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) @IsOptional() @WinProbability() winProbability?: number;
}
