// For the reminders' integration tests: a fresh database with the event store, activity commands through the
// decider, reminder runners that are stopped afterwards, and readers of what ended up in streams and jobs.
import { commandHandler, PostgresEventStore, type EventStore, type RecordedEvent } from '@crm/event-store';
import type { JobStatus } from '@crm/scheduler';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { activityDecider, activityStream, type ActivityCommand, type ActivityReminderDue } from '../../domain';
import { ActivityReminders, type ActivityRemindersOptions } from '../activity-reminders';

const handle = commandHandler(activityDecider);

export interface RemindersKit {
  db: TestDatabase;
  store: PostgresEventStore;
  /** A runner on the kit's pool and store unless given others; stopped by `cleanUp`. */
  reminders(options?: Partial<ActivityRemindersOptions>): ActivityReminders;
  /** Another pool and store on the same database, as a second replica has; closed by `close`. */
  replica(): Promise<{ pool: Pool; store: PostgresEventStore }>;
  activities: ActivityCommands;
  reminderDues(activityId: string): Promise<ActivityReminderDue['data'][]>;
  jobStatus(activityId: string): Promise<JobStatus | undefined>;
  jobRow(activityId: string): Promise<{ status: JobStatus; due_at: Date; fired_at: Date | null } | undefined>;
  /** Stops every runner started in the test. */
  cleanUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ActivityCommands {
  schedule(times: { remindAt?: Date; dueAt?: Date }, activityId?: string): Promise<string>;
  reschedule(activityId: string, times: { remindAt?: Date; dueAt?: Date }): Promise<void>;
  complete(activityId: string): Promise<void>;
  cancel(activityId: string): Promise<void>;
}

export const inMs = (ms: number): Date => new Date(Date.now() + ms);

export async function startRemindersKit(label: string): Promise<RemindersKit> {
  const db = await createTestDatabase(label);
  const fast = { polling: { minDelayMs: 5, maxDelayMs: 25 } };
  const store = await PostgresEventStore.create({ pool: db.pool, ...fast });
  const runners: ActivityReminders[] = [];
  const extra: Array<{ pool: Pool; store: PostgresEventStore }> = [];

  const run = (command: ActivityCommand, activityId: string) =>
    handle(store, activityStream(activityId), command, { metadata: { commandId: randomUUID(), actor: 'test', time: new Date().toISOString() } });
  const times = ({ remindAt, dueAt }: { remindAt?: Date; dueAt?: Date }) => ({
    dueAt: (dueAt ?? inMs(24 * 3_600_000)).toISOString(),
    ...(remindAt ? { remindAt: remindAt.toISOString() } : {}),
  });
  const at = () => new Date().toISOString();
  const activities: ActivityCommands = {
    async schedule(when, activityId = randomUUID()) {
      await run({ type: 'ScheduleActivity', data: { activityId, kind: 'call', subject: 'Call back', ...times(when), at: at() } }, activityId);
      return activityId;
    },
    async reschedule(activityId, when) {
      await run({ type: 'RescheduleActivity', data: { activityId, ...times(when), at: at() } }, activityId);
    },
    async complete(activityId) {
      await run({ type: 'CompleteActivity', data: { activityId, at: at() } }, activityId);
    },
    async cancel(activityId) {
      await run({ type: 'CancelActivity', data: { activityId, at: at() } }, activityId);
    },
  };

  const jobRow = async (activityId: string) =>
    (await db.pool.query<{ status: JobStatus; due_at: Date; fired_at: Date | null }>('SELECT status, due_at, fired_at FROM sales.scheduled_jobs WHERE job_id = $1', [activityId]))
      .rows[0];

  return {
    db,
    store,
    activities,
    reminders(options = {}) {
      const reminders = new ActivityReminders({
        pool: db.pool,
        store,
        scheduler: { pollIntervalMs: 100 },
        projectionBatching: { batchWindowMs: 5, verifyIntervalMs: 500 },
        ...options,
      });
      runners.push(reminders);
      return reminders;
    },
    async replica() {
      const pool = new Pool({ connectionString: db.url, max: 5 });
      pool.on('error', () => undefined);
      const replicaStore = await PostgresEventStore.create({ pool, ...fast });
      extra.push({ pool, store: replicaStore });
      return { pool, store: replicaStore };
    },
    async reminderDues(activityId) {
      return (await readStream(store, activityStream(activityId)))
        .filter((event) => event.type === 'ActivityReminderDue')
        .map((event) => event.data as ActivityReminderDue['data']);
    },
    async jobStatus(activityId) {
      return (await jobRow(activityId))?.status;
    },
    jobRow,
    async cleanUp() {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    },
    async close() {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
      for (const replica of extra.splice(0)) {
        await replica.store.close();
        await replica.pool.end();
      }
      await store.close();
      await db.drop();
    },
  };
}

export async function readStream(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

/** Until the runner's projection has seen every activity event written so far. */
export async function projectionCaughtUp(reminders: ActivityReminders): Promise<void> {
  await waitFor(async () => (await reminders.projection.lag()).live?.lagEvents === 0, { description: 'the reminders projection to catch up' });
}

/** Until the scheduler has completed `count` more passes: whatever was due at the call has been fired by then. */
export async function schedulerPasses(reminders: ActivityReminders, count = 2): Promise<void> {
  const target = reminders.scheduler.status().passes + count;
  await waitFor(() => reminders.scheduler.status().passes >= target, { description: `${count} scheduler passes` });
}
