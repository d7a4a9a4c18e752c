// Sales activities: scheduling, rescheduling, closing, and reminders that are due exactly once per reminder time.
import { DeciderSpecification } from '@crm/testing';
import { ACTIVITY, CUSTOMER, OPPORTUNITY, OWNER, t } from '../__fixtures__/sales.fixtures';
import { SalesAlreadyExistsError, SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { ActivityCommand, ScheduleActivity } from './activity.commands';
import { activityDecider } from './activity.decider';
import type { ActivityEvent } from './activity.events';
import type { ScheduledActivity } from './activity.state';

const spec = DeciderSpecification.for(activityDecider);
const rule = (code: string) => (e: SalesRuleViolation) => e.code === code && e.kind === 'rejected' && e.aggregate === 'activity';

const schedule = (overrides: Partial<ScheduleActivity['data']> = {}): ActivityCommand => ({
  type: 'ScheduleActivity',
  data: {
    activityId: ACTIVITY,
    kind: 'call',
    subject: 'Walk through the licence offer',
    dueAt: t(60),
    remindAt: t(45),
    opportunityId: OPPORTUNITY,
    customerId: CUSTOMER,
    ownerId: OWNER,
    at: t(0),
    ...overrides,
  },
});
const scheduled: ActivityEvent = {
  type: 'ActivityScheduled',
  data: {
    activityId: ACTIVITY,
    kind: 'call',
    subject: 'Walk through the licence offer',
    dueAt: t(60),
    remindAt: t(45),
    opportunityId: OPPORTUNITY,
    customerId: CUSTOMER,
    ownerId: OWNER,
    scheduledAt: t(0),
  },
};
const openState: ScheduledActivity = {
  status: 'open',
  activityId: ACTIVITY,
  kind: 'call',
  subject: 'Walk through the licence offer',
  dueAt: t(60),
  reminder: { at: t(45), fired: false },
  opportunityId: OPPORTUNITY,
  customerId: CUSTOMER,
  ownerId: OWNER,
  scheduledAt: t(0),
};
const reschedule = (dueAt: string, remindAt?: string): ActivityCommand => ({
  type: 'RescheduleActivity',
  data: { activityId: ACTIVITY, dueAt, ...(remindAt !== undefined && { remindAt }), at: t(10) },
});
const rescheduled = (dueAt: string, remindAt?: string): ActivityEvent => ({
  type: 'ActivityRescheduled',
  data: { activityId: ACTIVITY, dueAt, ...(remindAt !== undefined && { remindAt }), at: t(10) },
});
const complete = (outcome?: string): ActivityCommand => ({ type: 'CompleteActivity', data: { activityId: ACTIVITY, ...(outcome && { outcome }), at: t(70) } });
const completed: ActivityEvent = { type: 'ActivityCompleted', data: { activityId: ACTIVITY, outcome: 'Offer accepted', at: t(70) } };
const cancel = (reason?: string): ActivityCommand => ({ type: 'CancelActivity', data: { activityId: ACTIVITY, ...(reason && { reason }), at: t(20) } });
const cancelled: ActivityEvent = { type: 'ActivityCancelled', data: { activityId: ACTIVITY, reason: 'Customer on holiday', at: t(20) } };
const fire = (remindAt: string, minute = 46): ActivityCommand => ({ type: 'FireReminder', data: { activityId: ACTIVITY, remindAt, at: t(minute) } });
const due = (remindAt: string, dueAt = t(60), minute = 46): ActivityEvent => ({
  type: 'ActivityReminderDue',
  data: { activityId: ACTIVITY, kind: 'call', dueAt, remindAt, ownerId: OWNER, at: t(minute) },
});

describe('ScheduleActivity', () => {
  it('schedules the activity with its due time, reminder and links', () => {
    spec.when(schedule()).then(scheduled);
    spec.when(schedule()).thenState(openState);
  });

  it('schedules an activity without reminder or links, and one reminding at its due time', () => {
    const bare = schedule({ kind: 'follow-up', remindAt: undefined, opportunityId: undefined, customerId: undefined, ownerId: undefined });
    spec.when(bare).then({
      type: 'ActivityScheduled',
      data: { activityId: ACTIVITY, kind: 'follow-up', subject: 'Walk through the licence offer', dueAt: t(60), scheduledAt: t(0) },
    });
    spec.when(schedule({ remindAt: t(60) })).then({ ...scheduled, data: { ...scheduled.data, remindAt: t(60) } });
  });

  it('compares times as instants, not as strings', () => {
    spec.when(schedule({ dueAt: '2025-01-01T10:30:00+01:00', remindAt: '2025-01-01T09:29:00Z' })).then({
      ...scheduled,
      data: { ...scheduled.data, dueAt: '2025-01-01T10:30:00+01:00', remindAt: '2025-01-01T09:29:00Z' },
    });
    spec.when(schedule({ dueAt: '2025-01-01T10:30:00+01:00', remindAt: '2025-01-01T09:31:00Z' })).thenThrows(SalesRuleViolation, rule('REMINDER_AFTER_DUE'));
  });

  it('refuses an activity that is already scheduled', () => {
    spec.given(scheduled).when(schedule()).thenThrows(SalesAlreadyExistsError, (e) => e.code === 'ACTIVITY_ALREADY_SCHEDULED' && e.kind === 'conflict');
  });

  it.each<[string, Partial<ScheduleActivity['data']>, string]>([
    ['a reminder after the due time', { remindAt: t(61) }, 'REMINDER_AFTER_DUE'],
    ['an unknown kind', { kind: 'email' as never }, 'INVALID_VALUE'],
    ['a blank subject', { subject: '' }, 'INVALID_VALUE'],
    ['a due time without a time zone', { dueAt: '2025-01-01T10:00:00' }, 'INVALID_VALUE'],
    ['a due time that is no time', { dueAt: 'tomorrow' }, 'INVALID_VALUE'],
    ['a malformed reminder time', { remindAt: '2025-01-01' }, 'INVALID_VALUE'],
    ['a blank opportunity id', { opportunityId: '' }, 'INVALID_VALUE'],
  ])('refuses %s', (_, overrides, code) => {
    spec.when(schedule(overrides)).thenThrows(SalesRuleViolation, rule(code));
  });
});

describe('RescheduleActivity', () => {
  it('moves the due time and the reminder', () => {
    spec.given(scheduled).when(reschedule(t(120), t(100))).then(rescheduled(t(120), t(100)));
    spec.given(scheduled).when(reschedule(t(120), t(100))).thenState({ ...openState, dueAt: t(120), reminder: { at: t(100), fired: false } });
  });

  it('drops the reminder when none is given', () => {
    spec.given(scheduled).when(reschedule(t(120))).then(rescheduled(t(120)));
    const { reminder: _dropped, ...withoutReminder } = openState;
    spec.given(scheduled).when(reschedule(t(120))).thenState({ ...withoutReminder, dueAt: t(120) });
  });

  it('decides nothing for the same times, however they are written', () => {
    spec.given(scheduled).when(reschedule(t(60), t(45))).thenNothingHappened();
    spec.given(scheduled).when(reschedule('2025-01-01T11:00:00+01:00', '2025-01-01T09:45:00Z')).thenNothingHappened();
  });

  it('refuses a reminder after the due time, and a closed activity', () => {
    spec.given(scheduled).when(reschedule(t(30), t(45))).thenThrows(SalesRuleViolation, rule('REMINDER_AFTER_DUE'));
    spec.given([scheduled, completed]).when(reschedule(t(120))).thenThrows(SalesRuleViolation, rule('ACTIVITY_COMPLETED'));
    spec.given([scheduled, cancelled]).when(reschedule(t(120))).thenThrows(SalesRuleViolation, rule('ACTIVITY_CANCELLED'));
  });
});

describe('CompleteActivity and CancelActivity', () => {
  it('completes with an outcome, or without', () => {
    spec.given(scheduled).when(complete('Offer accepted')).then(completed);
    spec.given(scheduled).when(complete('Offer accepted')).thenState({ ...openState, status: 'completed', closedAt: t(70), outcome: 'Offer accepted' });
    spec.given(scheduled).when(complete()).then({ type: 'ActivityCompleted', data: { activityId: ACTIVITY, at: t(70) } });
  });

  it('cancels with a reason, or without', () => {
    spec.given(scheduled).when(cancel('Customer on holiday')).then(cancelled);
    spec.given(scheduled).when(cancel('Customer on holiday')).thenState({ ...openState, status: 'cancelled', closedAt: t(20), cancelReason: 'Customer on holiday' });
    spec.given(scheduled).when(cancel()).then({ type: 'ActivityCancelled', data: { activityId: ACTIVITY, at: t(20) } });
  });

  it('decides nothing when completed or cancelled again', () => {
    spec.given([scheduled, completed]).when(complete('Again')).thenNothingHappened();
    spec.given([scheduled, cancelled]).when(cancel()).thenNothingHappened();
  });

  it('refuses to complete a cancelled activity or cancel a completed one', () => {
    spec.given([scheduled, cancelled]).when(complete()).thenThrows(SalesRuleViolation, rule('ACTIVITY_CANCELLED'));
    spec.given([scheduled, completed]).when(cancel()).thenThrows(SalesRuleViolation, rule('ACTIVITY_COMPLETED'));
  });

  it('refuses an outcome or reason too long', () => {
    spec.given(scheduled).when(complete('x'.repeat(1001))).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
    spec.given(scheduled).when(cancel('x'.repeat(501))).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
  });
});

describe('FireReminder', () => {
  it('makes the reminder due at the time the scheduler fired for', () => {
    spec.given(scheduled).when(fire(t(45))).then(due(t(45)));
    spec.given(scheduled).when(fire(t(45))).thenState({ ...openState, reminder: { at: t(45), fired: true } });
    spec.given(scheduled).when(fire(t(45), 50)).then(due(t(45), t(60), 50));
  });

  it('decides nothing for a repeated fire', () => {
    spec.given([scheduled, due(t(45))]).when(fire(t(45), 47)).thenNothingHappened();
  });

  it('decides nothing for a fire of a reminder time that is no longer the activity', () => {
    spec.given([scheduled, rescheduled(t(120), t(100))]).when(fire(t(45))).thenNothingHappened();
    spec.given([scheduled, rescheduled(t(120))]).when(fire(t(45))).thenNothingHappened();
    spec.given([scheduled, rescheduled(t(120), t(100))]).when(fire(t(100), 101)).then(due(t(100), t(120), 101));
  });

  it('decides nothing after the activity was completed or cancelled', () => {
    spec.given([scheduled, completed]).when(fire(t(45))).thenNothingHappened();
    spec.given([scheduled, cancelled]).when(fire(t(45))).thenNothingHappened();
  });

  it('decides nothing for an activity without reminder', () => {
    const withoutReminder: ActivityEvent = { ...scheduled, data: { ...scheduled.data, remindAt: undefined } };
    spec.given(withoutReminder).when(fire(t(45))).thenNothingHappened();
  });

  it('keeps a fired reminder fired when only the due time moves, and fires again at a new reminder time', () => {
    spec.given([scheduled, due(t(45)), rescheduled(t(90), t(45))]).when(fire(t(45), 48)).thenNothingHappened();
    spec.given([scheduled, due(t(45)), rescheduled(t(90), t(80))]).when(fire(t(80), 81)).then(due(t(80), t(90), 81));
  });
});

describe('an activity that was never scheduled', () => {
  const commands = [reschedule(t(120)), complete(), cancel(), fire(t(45))];
  it.each(commands.map((command) => [command.type, command] as const))('refuses %s', (_, command) => {
    spec.when(command).thenThrows(SalesNotFoundError, (e) => e.code === 'ACTIVITY_NOT_FOUND' && e.kind === 'not_found');
  });
});
