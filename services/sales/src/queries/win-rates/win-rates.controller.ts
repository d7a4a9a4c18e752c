// GET /win-rates?groupBy=owner|pipeline&from=&to=&pipelineId= — win rate and average cycle length per group.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { PeriodParams, periodOf } from '../query-params';
import { WIN_RATE_GROUPS, winRates, type WinRateGroup, type WinRates } from './win-rates.query';

export class WinRatesParams extends PeriodParams {
  @ApiProperty({ enum: WIN_RATE_GROUPS }) @IsIn(WIN_RATE_GROUPS) groupBy!: WinRateGroup;
}

@ApiTags('sales queries')
@Controller('win-rates')
export class WinRatesController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get()
  get(@Query() params: WinRatesParams): Promise<WinRates> {
    return winRates(this.pool, { groupBy: params.groupBy, ...periodOf(params), pipelineId: params.pipelineId });
  }
}
