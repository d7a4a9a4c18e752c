// What can be asked of a sales activity. `at` is the time the command was accepted (ISO-8601 UTC), given from outside.
import type { Command } from '@crm/event-store';

type Id = { activityId: string; at: string };

export const ACTIVITY_KINDS = ['appointment', 'call', 'follow-up'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** What an activity is about; all optional (a to-do of the owner's own is an activity too). */
export type ActivityLinks = { opportunityId?: string; leadId?: string; customerId?: string };

/** `remindAt`, if given, is not after `dueAt`. */
export type ScheduleActivity = Command<
  'ScheduleActivity',
  Id & ActivityLinks & { kind: ActivityKind; subject: string; dueAt: string; remindAt?: string; ownerId?: string }
>;
/** Replaces the due time and the reminder: without `remindAt` the activity has no reminder any more. */
export type RescheduleActivity = Command<'RescheduleActivity', Id & { dueAt: string; remindAt?: string }>;
export type CompleteActivity = Command<'CompleteActivity', Id & { outcome?: string }>;
export type CancelActivity = Command<'CancelActivity', Id & { reason?: string }>;
/**
 * From the durable scheduler: `remindAt` is the time the job was scheduled for. A late or repeated fire (after a
 * reschedule, a completion, a cancellation, or a fire already recorded) decides nothing.
 */
export type FireReminder = Command<'FireReminder', Id & { remindAt: string }>;

export type ActivityCommand = ScheduleActivity | RescheduleActivity | CompleteActivity | CancelActivity | FireReminder;

export type ActivityCommandType = ActivityCommand['type'];
