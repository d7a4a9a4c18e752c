// GET /funnel?from=&to=&pipelineId= — the conversion funnel of the leads captured in the period, with rates.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { SALES_POOL } from '../../infrastructure/tokens';
import { PeriodParams, periodOf } from '../query-params';
import { funnel, type Funnel } from './funnel.query';

@ApiTags('sales queries')
@Controller('funnel')
export class FunnelController {
  constructor(@Inject(SALES_POOL) private readonly pool: Pool) {}

  @Get()
  get(@Query() params: PeriodParams): Promise<Funnel> {
    return funnel(this.pool, { ...periodOf(params), pipelineId: params.pipelineId });
  }
}
