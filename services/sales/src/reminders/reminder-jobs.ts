// What the reminders projection keeps per activity and the scheduler job that follows from it: pure folds over
// the activity events, the job's payload, and the deterministic command id the runner fires with.
import { CRM_ID_NAMESPACE, ignoreUnknownEvent, uuidv5 } from '@crm/event-store';
import type { JobRequest } from '@crm/scheduler';
import { instantOf, type ActivityEvent } from '../domain';

/** The `kind` of the scheduler jobs this folder owns; the job id is the activity id. */
export const ACTIVITY_REMINDER_JOB = 'sales.activity.reminder';

/** The schema of the service's jobs table (`sales.scheduled_jobs`). */
export const SALES_JOBS_SCHEMA = 'sales';

/** The activity event types that change a reminder. ActivityReminderDue does not: the job's status records the fire. */
export const REMINDER_EVENT_TYPES = ['ActivityScheduled', 'ActivityRescheduled', 'ActivityCompleted', 'ActivityCancelled'] as const;

/** One activity as the projection sees it: enough to know which reminder, if any, the scheduler should hold. */
export interface ReminderRow {
  activityId: string;
  status: 'open' | 'completed' | 'cancelled';
  dueAt: Date;
  remindAt: Date | null;
  /**
   * The stream revision of the event that set this reminder time. The domain treats a reminder removed and set
   * again, even for the same time, as a new one that fires again: the revision tells the two apart.
   */
  reminderRevision: bigint | null;
  /** The last stream revision folded in: an event at or below it was applied already. */
  revision: bigint;
}

/** The job's payload. `remindAt` is kept here because a failed fire moves the job's `due_at` (back-off). */
export interface ReminderJobPayload {
  activityId: string;
  /** ISO-8601 UTC, milliseconds. */
  remindAt: string;
  /** ReminderRow.reminderRevision as a decimal string. */
  reminderRevision: string;
}

/** Folds one activity event (at its stream revision) into the row; undefined while the activity is unknown. */
export function evolveReminder(row: ReminderRow | undefined, event: ActivityEvent, revision: bigint): ReminderRow | undefined {
  if (row !== undefined && revision <= row.revision) return row;
  switch (event.type) {
    case 'ActivityScheduled': {
      if (row !== undefined) return { ...row, revision };
      const { activityId, dueAt, remindAt } = event.data;
      const reminder = remindAt === undefined ? { remindAt: null, reminderRevision: null } : { remindAt: new Date(remindAt), reminderRevision: revision };
      return { activityId, status: 'open', dueAt: new Date(dueAt), ...reminder, revision };
    }
    case 'ActivityRescheduled': {
      if (row === undefined) return undefined;
      const { dueAt, remindAt } = event.data;
      // As the domain's evolve: a reminder kept at its time is the same reminder; any other time is a new one.
      const kept = remindAt !== undefined && row.remindAt !== null && row.remindAt.getTime() === instantOf(remindAt);
      const reminder = kept
        ? { remindAt: row.remindAt, reminderRevision: row.reminderRevision }
        : remindAt === undefined
          ? { remindAt: null, reminderRevision: null }
          : { remindAt: new Date(remindAt), reminderRevision: revision };
      return { ...row, dueAt: new Date(dueAt), ...reminder, revision };
    }
    case 'ActivityCompleted':
      return row && { ...row, status: 'completed', revision };
    case 'ActivityCancelled':
      return row && { ...row, status: 'cancelled', revision };
    case 'ActivityReminderDue':
      return row && { ...row, revision };
    default:
      return ignoreUnknownEvent(event, row);
  }
}

/** The job the scheduler should hold for the row: one while the activity is open and has a reminder. */
export function reminderJobOf(row: ReminderRow | undefined): (JobRequest & { payload: ReminderJobPayload }) | undefined {
  if (row === undefined || row.status !== 'open' || row.remindAt === null || row.reminderRevision === null) return undefined;
  const payload: ReminderJobPayload = { activityId: row.activityId, remindAt: row.remindAt.toISOString(), reminderRevision: row.reminderRevision.toString() };
  return { jobId: row.activityId, kind: ACTIVITY_REMINDER_JOB, dueAt: row.remindAt, payload };
}

/** Whether two rows ask for the same job (or both for none): then the jobs table needs no write. */
export function sameReminderJob(a: ReminderRow | undefined, b: ReminderRow | undefined): boolean {
  const [x, y] = [reminderJobOf(a), reminderJobOf(b)];
  if (x === undefined || y === undefined) return x === y;
  return x.payload.remindAt === y.payload.remindAt && x.payload.reminderRevision === y.payload.reminderRevision;
}

/**
 * The FireReminder command's id: the same reminder always fires with the same id, so a fire repeated after a
 * crash, or by a rebuilt job, is answered from the stream (handleCommand's idempotency) and appends nothing.
 */
export function fireReminderCommandId(payload: ReminderJobPayload): string {
  return uuidv5(`${ACTIVITY_REMINDER_JOB}:${payload.activityId}:${payload.remindAt}:${payload.reminderRevision}`, CRM_ID_NAMESPACE);
}

/** Reads a job's payload back; throws on anything this version did not write. */
export function parseReminderPayload(value: unknown): ReminderJobPayload {
  const p = value as Partial<Record<keyof ReminderJobPayload, unknown>> | null;
  const valid =
    typeof p === 'object' &&
    p !== null &&
    typeof p.activityId === 'string' &&
    p.activityId.length > 0 &&
    typeof p.remindAt === 'string' &&
    !Number.isNaN(Date.parse(p.remindAt)) &&
    typeof p.reminderRevision === 'string' &&
    /^\d+$/.test(p.reminderRevision);
  if (!valid) throw new TypeError(`Not a reminder job payload: ${JSON.stringify(value)}`);
  return { activityId: p.activityId as string, remindAt: p.remindAt as string, reminderRevision: p.reminderRevision as string };
}
