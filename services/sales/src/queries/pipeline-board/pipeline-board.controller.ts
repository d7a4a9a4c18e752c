// GET /pipelines/:id/board?asOf= — the board now, or as it stood at a past time (e.g. quarter close).
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IdParams, IsIsoDateTime, NotFoundError } from '@crm/platform';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { pipelineBoard, type PipelineBoard } from './pipeline-board.query';

export class PipelineBoardParams {
  @ApiPropertyOptional({ description: 'Show the board as it stood at this time (ISO-8601 with a zone); default now', example: '2026-09-30T23:59:59Z' })
  @IsOptional()
  @IsIsoDateTime()
  asOf?: string;
}

@ApiTags('sales queries')
@Controller('pipelines')
export class PipelineBoardController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get(':id/board')
  async board(@Param() { id }: IdParams, @Query() { asOf }: PipelineBoardParams): Promise<PipelineBoard> {
    const board = await pipelineBoard(this.pool, id, asOf);
    if (board === null) throw new NotFoundError('PIPELINE_NOT_FOUND', `The pipeline ${id} does not exist`, { pipelineId: id });
    return board;
  }
}
