// The sales service: the command side (one folder per aggregate's use cases), history, and the modules of the
// read side, the conversion saga and the reminders.
import { Module } from '@nestjs/common';
import { ActivitiesModule } from './activities/activities.module';
import { HistoryController } from './history/history.controller';
import { SalesInfrastructureModule } from './infrastructure/sales-infrastructure.module';
import { SalesIntegrationModule } from './integration/sales-integration.module';
import { LeadsModule } from './leads/leads.module';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { PipelinesModule } from './pipelines/pipelines.module';
import { ReadSideModules } from './read-side.modules';
import { ReminderModules } from './reminders.modules';
import { SagaModules } from './saga.modules';

@Module({
  imports: [
    SalesInfrastructureModule,
    // First: Nest matches routes in registration order, and /opportunities/stale, /activities/due must come
    // before the command side's /opportunities/:id, /activities/:id.
    ...ReadSideModules,
    PipelinesModule,
    LeadsModule,
    OpportunitiesModule,
    ActivitiesModule,
    SalesIntegrationModule,
    ...SagaModules,
    ...ReminderModules,
  ],
  controllers: [HistoryController],
})
export class AppModule {}
