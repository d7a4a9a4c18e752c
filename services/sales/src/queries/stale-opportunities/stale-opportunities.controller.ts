// GET /opportunities/stale?days=14&pipelineId=&ownerId=&limit=&cursor= — open opportunities idle for more than N days.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { TrimLowerCase } from '@crm/platform';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { cursorParam, DEFAULT_LIMIT } from '../keyset';
import { IsUserId, PageParams } from '../query-params';
import { DEFAULT_STALE_DAYS, staleOpportunities, type StalePage } from './stale-opportunities.query';

export class StaleOpportunitiesParams extends PageParams {
  @ApiPropertyOptional({ minimum: 1, maximum: 3650, default: DEFAULT_STALE_DAYS, description: 'Idle for more than this many days' })
  @IsOptional()
  @Type(() => Number)
  @Max(3650)
  @Min(1)
  @IsInt()
  days?: number;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @TrimLowerCase() @IsUUID() pipelineId?: string;
  @ApiPropertyOptional({ description: 'Only opportunities owned by this user' }) @IsOptional() @IsUserId() ownerId?: string;
}

@ApiTags('sales queries')
@Controller('opportunities')
export class StaleOpportunitiesController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get('stale')
  get(@Query() params: StaleOpportunitiesParams): Promise<StalePage> {
    return staleOpportunities(this.pool, {
      days: params.days ?? DEFAULT_STALE_DAYS,
      now: new Date(),
      pipelineId: params.pipelineId,
      ownerId: params.ownerId,
      limit: params.limit ?? DEFAULT_LIMIT,
      after: cursorParam(params.cursor),
    });
  }
}
