// The sales activity decider: appointments, calls and follow-ups with a due time and an optional reminder.
// The durable scheduler fires reminders at least once and possibly late; FireReminder makes the effect exactly
// once: a reminder is due only while the activity is open, for its current reminder time, and once per time.
import { assertNever, type Decider } from '@crm/event-store';
import { SalesAlreadyExistsError } from '../errors';
import { checkInstant, checkOptionalText, checkText, defined, instantOf, violation, type Subject } from '../rules';
import { LIMITS } from '../values';
import { ACTIVITY_KINDS, type ActivityCommand } from './activity.commands';
import type { ActivityEvent } from './activity.events';
import { evolve, initialState } from './activity.evolve';
import { openActivity, scheduledActivity, type ActivityState } from './activity.state';

export function decide(command: ActivityCommand, state: ActivityState): ActivityEvent[] {
  const { activityId, at } = command.data;
  const subject: Subject = { aggregate: 'activity', id: activityId };
  switch (command.type) {
    case 'ScheduleActivity': {
      if (state.status !== 'new') throw new SalesAlreadyExistsError('activity', activityId);
      const { kind, subject: about, dueAt, remindAt, opportunityId, leadId, customerId, ownerId } = command.data;
      if (!ACTIVITY_KINDS.includes(kind)) {
        throw violation(subject, 'INVALID_VALUE', `kind must be one of ${ACTIVITY_KINDS.join(', ')}`, { field: 'kind', expected: [...ACTIVITY_KINDS] });
      }
      checkText(subject, 'subject', about, LIMITS.subject);
      checkTimes(subject, dueAt, remindAt);
      for (const [field, value] of Object.entries({ opportunityId, leadId, customerId, ownerId })) checkOptionalText(subject, field, value, LIMITS.userId);
      return [
        {
          type: 'ActivityScheduled',
          data: defined({ activityId, kind, subject: about, dueAt, remindAt, opportunityId, leadId, customerId, ownerId, scheduledAt: at }),
        },
      ];
    }

    case 'RescheduleActivity': {
      const activity = openActivity(state, activityId);
      const { dueAt, remindAt } = command.data;
      checkTimes(subject, dueAt, remindAt);
      if (sameInstant(activity.dueAt, dueAt) && sameInstant(activity.reminder?.at, remindAt)) return [];
      return [{ type: 'ActivityRescheduled', data: defined({ activityId, dueAt, remindAt, at }) }];
    }

    case 'CompleteActivity': {
      const activity = scheduledActivity(state, activityId);
      if (activity.status === 'completed') return [];
      openActivity(activity, activityId);
      const { outcome } = command.data;
      checkOptionalText(subject, 'outcome', outcome, LIMITS.outcome);
      return [{ type: 'ActivityCompleted', data: defined({ activityId, outcome, at }) }];
    }

    case 'CancelActivity': {
      const activity = scheduledActivity(state, activityId);
      if (activity.status === 'cancelled') return [];
      openActivity(activity, activityId);
      const { reason } = command.data;
      checkOptionalText(subject, 'reason', reason, LIMITS.reason);
      return [{ type: 'ActivityCancelled', data: defined({ activityId, reason, at }) }];
    }

    // Never refused for a known activity: a fire that no longer applies is answered with nothing, so the
    // scheduler's job completes instead of being retried.
    case 'FireReminder': {
      const activity = scheduledActivity(state, activityId);
      const { reminder } = activity;
      if (activity.status !== 'open' || reminder === undefined || reminder.fired || !sameInstant(reminder.at, command.data.remindAt)) return [];
      const { kind, dueAt, ownerId } = activity;
      return [{ type: 'ActivityReminderDue', data: defined({ activityId, kind, dueAt, remindAt: reminder.at, ownerId, at }) }];
    }

    default:
      return assertNever(command, 'Unknown activity command');
  }
}

function checkTimes(subject: Subject, dueAt: string, remindAt: string | undefined): void {
  checkInstant(subject, 'dueAt', dueAt);
  if (remindAt === undefined) return;
  checkInstant(subject, 'remindAt', remindAt);
  if (instantOf(remindAt) > instantOf(dueAt)) {
    throw violation(subject, 'REMINDER_AFTER_DUE', 'remindAt must not be after dueAt', { field: 'remindAt' });
  }
}

/** Both absent, or the same instant however written. */
export function sameInstant(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined ? a === b : instantOf(a) === instantOf(b);
}

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = { decide, evolve, initialState };
