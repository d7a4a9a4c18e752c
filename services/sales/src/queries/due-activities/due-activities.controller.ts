// GET /activities/due?ownerId=&until=&limit=&cursor= — open activities due by `until` (default: the next 24 hours),
// overdue ones first since they sort by due time.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { instantOf } from '../figures';
import { cursorParam, DEFAULT_LIMIT } from '../keyset';
import { IsInstant, IsUserId, PageParams } from '../query-params';
import { dueActivities, type DuePage } from './due-activities.query';

/** Without `until`: what is due within this long from now. */
export const DEFAULT_DUE_WINDOW_MS = 24 * 60 * 60 * 1000;

export class DueActivitiesParams extends PageParams {
  @ApiPropertyOptional({ description: 'Only activities of this user' }) @IsOptional() @IsUserId() ownerId?: string;
  @ApiPropertyOptional({ description: 'Due at or before this time; default 24 hours from now' }) @IsOptional() @IsInstant() until?: string;
}

@ApiTags('sales queries')
@Controller('activities')
export class DueActivitiesController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get('due')
  get(@Query() params: DueActivitiesParams): Promise<DuePage> {
    const now = new Date();
    const until = params.until === undefined ? new Date(now.getTime() + DEFAULT_DUE_WINDOW_MS) : new Date(instantOf(params.until));
    return dueActivities(this.pool, { until, now, ownerId: params.ownerId, limit: params.limit ?? DEFAULT_LIMIT, after: cursorParam(params.cursor) });
  }
}
