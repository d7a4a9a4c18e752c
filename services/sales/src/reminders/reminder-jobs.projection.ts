// Projection `sales_activity_reminders`: the scheduler's reminder jobs as a read model of the activity events.
// Per batch it folds each activity's events into its row (sales.activity_reminders) and, where the reminder the
// row asks for changed, schedules or cancels the activity's job — in the transaction that moves the checkpoint.
import type { ClientBase } from 'pg';
import { defineProjection, type ProjectionDefinition, type ProjectionEvent, type TableNames } from '@crm/projections';
import type { ScheduledJobs } from '@crm/scheduler';
import { idOfStream, SALES_STREAM_PREFIXES, type ActivityEvent } from '../domain';
import { evolveReminder, reminderJobOf, REMINDER_EVENT_TYPES, sameReminderJob, SALES_JOBS_SCHEMA, type ReminderRow } from './reminder-jobs';

export const ACTIVITY_REMINDERS = 'sales_activity_reminders';
/** Bump when the fold or the table change: the next start rebuilds (see README.md for what that does to jobs). */
export const ACTIVITY_REMINDERS_VERSION = 1;
const TABLE = 'activity_reminders';

type Tables = TableNames<typeof TABLE>;

export function activityRemindersDdl(table: string): string {
  return `CREATE TABLE ${table} (
    activity_id       text        PRIMARY KEY,
    status            text        NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
    due_at            timestamptz NOT NULL,
    remind_at         timestamptz,
    reminder_revision bigint,
    revision          bigint      NOT NULL,
    updated_at        timestamptz NOT NULL
  )`;
}

/** `jobs` is the scheduler's table: the projection writes it in its own transaction, never through the runner. */
export function activityRemindersProjection(jobs: Pick<ScheduledJobs, 'schedule' | 'cancel'>): ProjectionDefinition<typeof TABLE, ActivityEvent> {
  async function applyBatch(tx: ClientBase, events: readonly ProjectionEvent[], tables: Tables): Promise<void> {
    const ids = [...new Set(events.map((event) => idOfStream('activity', event.streamId)))];
    const before = await loadRows(tx, tables.activity_reminders, ids);
    const after = new Map(before);
    const changed = new Map<string, { row: ReminderRow; updatedAt: Date }>();
    for (const event of events) {
      if (event.revision === null) throw new TypeError(`Event ${event.id} has no stream revision`);
      const activityId = idOfStream('activity', event.streamId);
      const next = evolveReminder(after.get(activityId), { type: event.type, data: event.data } as ActivityEvent, event.revision);
      if (next === undefined || next === after.get(activityId)) continue;
      after.set(activityId, next);
      changed.set(activityId, { row: next, updatedAt: event.created });
    }
    await upsertRows(tx, tables.activity_reminders, [...changed.values()]);
    // Only each activity's net change in the batch reaches the jobs table. In id order: a rebuild's batches write
    // jobs beside the live version's, and the same lock order keeps the two from deadlocking.
    for (const [activityId, { row: now }] of [...changed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const was = before.get(activityId);
      if (sameReminderJob(was, now)) continue;
      const job = reminderJobOf(now);
      if (job) await jobs.schedule(tx, job);
      else await jobs.cancel(tx, activityId);
    }
  }

  const handle = (tx: ClientBase, event: ProjectionEvent, tables: Tables) => applyBatch(tx, [event], tables);
  return defineProjection<typeof TABLE, ActivityEvent>({
    name: ACTIVITY_REMINDERS,
    version: ACTIVITY_REMINDERS_VERSION,
    readSchema: SALES_JOBS_SCHEMA,
    tables: [TABLE],
    createTables: (tables) => activityRemindersDdl(tables.activity_reminders),
    handlers: Object.fromEntries(REMINDER_EVENT_TYPES.map((type) => [type, handle])),
    applyBatch,
    filter: { streamNamePrefixes: [SALES_STREAM_PREFIXES.activity], eventTypes: [...REMINDER_EVENT_TYPES] },
  });
}

interface StoredRow {
  activity_id: string;
  status: ReminderRow['status'];
  due_at: Date;
  remind_at: Date | null;
  reminder_revision: string | null;
  revision: string;
}

async function loadRows(tx: ClientBase, table: string, ids: readonly string[]): Promise<Map<string, ReminderRow>> {
  const { rows } = await tx.query<StoredRow>(
    `SELECT activity_id, status, due_at, remind_at, reminder_revision::text, revision::text FROM ${table} WHERE activity_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.activity_id,
      {
        activityId: r.activity_id,
        status: r.status,
        dueAt: r.due_at,
        remindAt: r.remind_at,
        reminderRevision: r.reminder_revision === null ? null : BigInt(r.reminder_revision),
        revision: BigInt(r.revision),
      },
    ]),
  );
}

async function upsertRows(tx: ClientBase, table: string, rows: ReadonlyArray<{ row: ReminderRow; updatedAt: Date }>): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map(({ row, updatedAt }) => ({
    activity_id: row.activityId,
    status: row.status,
    due_at: row.dueAt.toISOString(),
    remind_at: row.remindAt?.toISOString() ?? null,
    reminder_revision: row.reminderRevision?.toString() ?? null,
    revision: row.revision.toString(),
    updated_at: updatedAt.toISOString(),
  }));
  await tx.query(
    `INSERT INTO ${table} (activity_id, status, due_at, remind_at, reminder_revision, revision, updated_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS r(activity_id text, status text, due_at timestamptz, remind_at timestamptz, reminder_revision bigint, revision bigint, updated_at timestamptz)
     ON CONFLICT (activity_id) DO UPDATE
        SET status = EXCLUDED.status, due_at = EXCLUDED.due_at, remind_at = EXCLUDED.remind_at,
            reminder_revision = EXCLUDED.reminder_revision, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(records)],
  );
}
