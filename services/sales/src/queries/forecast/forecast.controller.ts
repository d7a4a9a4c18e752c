// GET /forecast?pipelineId=&from=YYYY-MM&to=YYYY-MM — weighted forecast by month of expected close, per currency.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { fieldsInvalid, TrimLowerCase } from '@crm/platform';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { IsMonth } from '../query-params';
import { forecast, monthAt, monthIndex, type Forecast } from './forecast.query';

/** Longest range one request may ask for. */
export const MAX_FORECAST_MONTHS = 36;

export class ForecastParams {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this pipeline; default all' }) @IsOptional() @TrimLowerCase() @IsUUID() pipelineId?: string;
  @ApiPropertyOptional({ example: '2026-07', description: 'First month (inclusive); default the current month' }) @IsOptional() @IsMonth() from?: string;
  @ApiPropertyOptional({ example: '2026-12', description: `Last month (inclusive); default 11 months after from; at most ${MAX_FORECAST_MONTHS} months` })
  @IsOptional()
  @IsMonth()
  to?: string;
}

@ApiTags('sales queries')
@Controller('forecast')
export class ForecastController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get()
  get(@Query() params: ForecastParams): Promise<Forecast> {
    const from = params.from ?? new Date().toISOString().slice(0, 7);
    const to = params.to ?? monthAt(monthIndex(from) + 11);
    if (to < from) throw fieldsInvalid([{ field: 'to', problems: ['to must not be before from'] }]);
    if (monthIndex(to) - monthIndex(from) + 1 > MAX_FORECAST_MONTHS) throw fieldsInvalid([{ field: 'to', problems: [`the range must span at most ${MAX_FORECAST_MONTHS} months`] }]);
    return forecast(this.pool, { from, to, pipelineId: params.pipelineId });
  }
}
