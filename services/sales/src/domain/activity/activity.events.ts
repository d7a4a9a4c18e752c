// The internal events of a sales activity stream (`activity-<uuid>`). The scheduler's jobs are a read model of
// them: Scheduled and Rescheduled (re)schedule the reminder, Completed and Cancelled cancel it.
import type { Event } from '@crm/event-store';
import type { ActivityKind, ActivityLinks } from './activity.commands';

type Id = { activityId: string };

export type ActivityScheduled = Event<
  'ActivityScheduled',
  Id & ActivityLinks & { kind: ActivityKind; subject: string; dueAt: string; remindAt?: string; ownerId?: string; scheduledAt: string }
>;
/** Without `remindAt` the activity has no reminder any more. */
export type ActivityRescheduled = Event<'ActivityRescheduled', Id & { dueAt: string; remindAt?: string; at: string }>;
export type ActivityCompleted = Event<'ActivityCompleted', Id & { outcome?: string; at: string }>;
export type ActivityCancelled = Event<'ActivityCancelled', Id & { reason?: string; at: string }>;
/** The reminder for `remindAt` is due: the owner is to be reminded of the activity due at `dueAt`. */
export type ActivityReminderDue = Event<
  'ActivityReminderDue',
  Id & { kind: ActivityKind; dueAt: string; remindAt: string; ownerId?: string; at: string }
>;

export type ActivityEvent = ActivityScheduled | ActivityRescheduled | ActivityCompleted | ActivityCancelled | ActivityReminderDue;

export type ActivityEventType = ActivityEvent['type'];
