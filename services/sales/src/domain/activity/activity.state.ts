// The state an activity stream folds into, and the guards that refuse commands by status.
import { SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { ActivityKind, ActivityLinks } from './activity.commands';

export type NewActivity = { status: 'new' };

/** `fired` is whether the reminder for this `at` was already recorded as due. */
export type Reminder = { at: string; fired: boolean };

export type ScheduledActivity = ActivityLinks & {
  status: 'open' | 'completed' | 'cancelled';
  activityId: string;
  kind: ActivityKind;
  subject: string;
  dueAt: string;
  reminder?: Reminder;
  ownerId?: string;
  scheduledAt: string;
  /** Set once completed or cancelled. */
  closedAt?: string;
  outcome?: string;
  cancelReason?: string;
};

export type ActivityState = NewActivity | ScheduledActivity;

export function scheduledActivity(state: ActivityState, activityId: string): ScheduledActivity {
  if (state.status === 'new') throw new SalesNotFoundError('activity', activityId);
  return state;
}

/** The activity, if it is still open: a completed or cancelled one changes no more. */
export function openActivity(state: ActivityState, activityId: string): ScheduledActivity & { status: 'open' } {
  const activity = scheduledActivity(state, activityId);
  if (activity.status === 'completed') {
    throw new SalesRuleViolation('activity', activityId, 'ACTIVITY_COMPLETED', `Activity ${activityId} is completed`);
  }
  if (activity.status === 'cancelled') {
    throw new SalesRuleViolation('activity', activityId, 'ACTIVITY_CANCELLED', `Activity ${activityId} is cancelled`);
  }
  return activity as ScheduledActivity & { status: 'open' };
}
