// Reminders of sales activities: the jobs projection and the durable scheduler that fires them. Owned by reminders.
// The module injects SALES_POOL and SALES_EVENT_STORE (from the global SalesInfrastructureModule) and the
// platform's SERVICE_CONFIG, METRICS_REGISTRY and PlatformLogger.
import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { ActivityRemindersService } from './reminders/activity-reminders.service';

@Module({ providers: [ActivityRemindersService], exports: [ActivityRemindersService] })
export class ActivityRemindersModule {}

export const ReminderModules: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference> = [ActivityRemindersModule];
