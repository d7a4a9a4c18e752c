// Folding activity events into state. Every event ever written folds without throwing.
import { ignoreUnknownEvent } from '@crm/event-store';
import { defined, instantOf } from '../rules';
import type { ActivityEvent } from './activity.events';
import type { ActivityState, Reminder, ScheduledActivity } from './activity.state';

export const initialState = (): ActivityState => ({ status: 'new' });

export function evolve(state: ActivityState, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ActivityScheduled': {
      if (state.status !== 'new') return state;
      const { activityId, kind, subject, dueAt, remindAt, opportunityId, leadId, customerId, ownerId, scheduledAt } = event.data;
      const reminder = remindAt === undefined ? undefined : { at: remindAt, fired: false };
      return defined({ status: 'open', activityId, kind, subject, dueAt, reminder, opportunityId, leadId, customerId, ownerId, scheduledAt });
    }
    case 'ActivityRescheduled': {
      const { dueAt, remindAt } = event.data;
      return whenScheduled(state, ({ reminder, ...activity }) => {
        // A reminder kept at its time keeps whether it fired; a new time may fire again.
        const next: Reminder | undefined =
          remindAt === undefined ? undefined : reminder && instantOf(reminder.at) === instantOf(remindAt) ? reminder : { at: remindAt, fired: false };
        return defined({ ...activity, dueAt, reminder: next });
      });
    }
    case 'ActivityCompleted':
      return whenScheduled(state, (a) => defined({ ...a, status: 'completed', closedAt: event.data.at, outcome: event.data.outcome }));
    case 'ActivityCancelled':
      return whenScheduled(state, (a) => defined({ ...a, status: 'cancelled', closedAt: event.data.at, cancelReason: event.data.reason }));
    case 'ActivityReminderDue':
      return whenScheduled(state, (a) =>
        a.reminder && instantOf(a.reminder.at) === instantOf(event.data.remindAt) ? { ...a, reminder: { ...a.reminder, fired: true } } : a,
      );
    default:
      return ignoreUnknownEvent(event, state);
  }
}

function whenScheduled(state: ActivityState, update: (activity: ScheduledActivity) => ActivityState): ActivityState {
  return state.status === 'new' ? state : update(state);
}
