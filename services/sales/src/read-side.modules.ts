// The sales read side plugs in here: the projections into schema `sales` (pipelines, opportunities with their
// history and activities, leads), the analysts' views, and the queries over them. Owned by the read side; its
// modules inject what SalesInfrastructureModule exports (SALES_POOL, SALES_EVENT_STORE).
import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { DueActivitiesController } from './queries/due-activities/due-activities.controller';
import { ForecastController } from './queries/forecast/forecast.controller';
import { FunnelController } from './queries/funnel/funnel.controller';
import { PipelineBoardController } from './queries/pipeline-board/pipeline-board.controller';
import { StaleOpportunitiesController } from './queries/stale-opportunities/stale-opportunities.controller';
import { WinRatesController } from './queries/win-rates/win-rates.controller';
import { SalesReadModelRunner } from './read-model/sales-read-model.runner';

/** The projections and the analysts' views over them. */
@Module({ providers: [SalesReadModelRunner], exports: [SalesReadModelRunner] })
export class SalesReadModelModule {}

/** GET queries over the read models (board, forecast, funnel, win rates, stale opportunities, due activities). */
@Module({
  controllers: [PipelineBoardController, ForecastController, FunnelController, WinRatesController, StaleOpportunitiesController, DueActivitiesController],
})
export class SalesQueriesModule {}

export const ReadSideModules: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference> = [SalesReadModelModule, SalesQueriesModule];
