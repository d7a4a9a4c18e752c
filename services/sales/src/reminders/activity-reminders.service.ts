// Runs the activity reminders in the service: started once the application has bootstrapped, stopped in
// beforeApplicationShutdown — before any module's onApplicationShutdown, where the infrastructure closes the
// pool — so that the in-flight fire and the projection's last batch commit.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@crm/event-store';
import { METRICS_REGISTRY, PlatformLogger, SERVICE_CONFIG, type BaseServiceConfig } from '@crm/platform';
import { registerProjectionStatusGauges, type ProjectionStatus } from '@crm/projections';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { SALES_EVENT_STORE, SALES_POOL } from '../infrastructure/tokens';
import { ActivityReminders } from './activity-reminders';
import { reminderSettingsOf, type ReminderSettings } from './reminder-settings';

/** Commit "accepted → job scheduled" quickly; catch-up still gets full batches. */
const PROJECTION_BATCHING = { batchSize: 200, batchWindowMs: 5 } as const;

@Injectable()
export class ActivityRemindersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly settings: ReminderSettings;
  readonly reminders: ActivityReminders;

  constructor(
    @Inject(SALES_POOL) pool: Pool,
    @Inject(SALES_EVENT_STORE) store: EventStore,
    @Inject(SERVICE_CONFIG) config: BaseServiceConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    this.settings = reminderSettingsOf(config);
    const { pollIntervalMs, batchSize, maxAttempts } = this.settings;
    this.reminders = new ActivityReminders({
      pool,
      store,
      scheduler: { pollIntervalMs, batchSize, maxAttempts },
      projectionBatching: PROJECTION_BATCHING,
      metricsRegistry: registry,
      loggers: { projection: loggers.forContext('ActivityRemindersProjection'), scheduler: loggers.forContext('ActivityReminderScheduler') },
    });
    registerProjectionStatusGauges(registry, () => this.projectionLag());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.enabled) await this.reminders.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reminders.stop();
  }

  /** The projection's position and lag (also in the projection status gauges). */
  async projectionLag(): Promise<ProjectionStatus[]> {
    return this.settings.enabled ? [await this.reminders.projection.lag()] : [];
  }
}
