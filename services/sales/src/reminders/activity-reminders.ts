// Durable reminders of sales activities, framework-free: the projection that keeps the jobs table in step with
// the activity events, and the scheduler that fires due jobs into FireReminder. One instance per process.
import type { EventStore } from '@crm/event-store';
import { ProjectionRunner, type BatchingOptions, type ProjectionLogger } from '@crm/projections';
import { Scheduler, type JobHandler, type SchedulerLogger, type SchedulerOptions } from '@crm/scheduler';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { fireReminderHandler } from './fire-reminder';
import { activityRemindersProjection } from './reminder-jobs.projection';
import { SALES_JOBS_SCHEMA } from './reminder-jobs';

type Logger = ProjectionLogger & SchedulerLogger;

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ActivityRemindersOptions {
  /** The sales database: jobs table, projection table and checkpoint. */
  pool: Pool;
  /** The decrypting sales event store: the projection's feed and the FireReminder appends. */
  store: EventStore;
  /** Schema of the jobs table. Default `sales`. */
  schema?: string;
  scheduler?: Pick<SchedulerOptions, 'pollIntervalMs' | 'batchSize' | 'maxAttempts' | 'handlerTimeoutMs' | 'backoff'>;
  projectionBatching?: Omit<BatchingOptions, 'beforeCheckpoint'>;
  metricsRegistry?: Registry;
  /** One per part, so that log lines say which one spoke. */
  loggers?: { projection?: Logger; scheduler?: Logger };
  /** The time FireReminder is accepted at. Default: the process clock. */
  now?: () => Date;
}

export class ActivityReminders {
  readonly scheduler: Scheduler;
  readonly projection: ProjectionRunner;
  private readonly fire: JobHandler;
  private started = false;

  constructor(options: ActivityRemindersOptions) {
    const { pool, store, metricsRegistry } = options;
    const schedulerLog = options.loggers?.scheduler ?? silent;
    this.scheduler = new Scheduler({ pool, schema: options.schema ?? SALES_JOBS_SCHEMA, metricsRegistry, logger: schedulerLog, ...options.scheduler });
    this.projection = new ProjectionRunner({
      pool,
      store,
      projection: activityRemindersProjection(this.scheduler.jobs),
      metricsRegistry,
      logger: options.loggers?.projection ?? silent,
      ...options.projectionBatching,
    });
    this.fire = fireReminderHandler({ store, logger: schedulerLog, now: options.now });
  }

  /** Creates the jobs table, then follows the activity events and fires due reminders (the overdue ones first). */
  async start(): Promise<void> {
    if (this.started) return;
    // The projection writes into the jobs table from its first batch.
    await this.scheduler.migrate();
    await this.projection.start();
    this.scheduler.start(this.fire);
    this.started = true;
  }

  /** Lets the in-flight fire finish and commit, then the projection's batch; both resume where they were. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.scheduler.stop();
    await this.projection.stop();
  }
}
