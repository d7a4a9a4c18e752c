// The fold behind the jobs projection: which job an activity's events ask for, when that job changes, and the
// command id a fire carries — checked against the domain's own idea of "still due".
import { fold } from '@crm/event-store';
import { activityDecider, type ActivityEvent, type ActivityState } from '../domain';
import {
  evolveReminder,
  fireReminderCommandId,
  parseReminderPayload,
  reminderJobOf,
  sameReminderJob,
  type ReminderRow,
} from './reminder-jobs';

const activityId = '5f0c1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6';
const dueAt = '2025-05-02T15:00:00Z';
const at = '2025-05-01T09:00:00Z';

const scheduled = (remindAt?: string): ActivityEvent => ({
  type: 'ActivityScheduled',
  data: { activityId, kind: 'call', subject: 'Call back', dueAt, ...(remindAt ? { remindAt } : {}), scheduledAt: at },
});
const rescheduled = (remindAt?: string, due = dueAt): ActivityEvent => ({
  type: 'ActivityRescheduled',
  data: { activityId, dueAt: due, ...(remindAt ? { remindAt } : {}), at },
});
const completed: ActivityEvent = { type: 'ActivityCompleted', data: { activityId, at } };
const cancelled: ActivityEvent = { type: 'ActivityCancelled', data: { activityId, at } };
const reminderDue = (remindAt: string): ActivityEvent => ({ type: 'ActivityReminderDue', data: { activityId, kind: 'call', dueAt, remindAt, at } });

/** The row after the events, each at its index as stream revision. */
function rowOf(events: readonly ActivityEvent[]): ReminderRow | undefined {
  return events.reduce<ReminderRow | undefined>((row, event, revision) => evolveReminder(row, event, BigInt(revision)), undefined);
}

const jobOf = (events: readonly ActivityEvent[]) => reminderJobOf(rowOf(events));

/** What the domain says about firing this job now: true when it would record ReminderDue. */
function domainFires(events: readonly ActivityEvent[], remindAt: string): boolean {
  const state: ActivityState = fold(activityDecider, events);
  return activityDecider.decide({ type: 'FireReminder', data: { activityId, remindAt, at } }, state).length === 1;
}

describe('reminder jobs', () => {
  it('given an activity scheduled with a reminder, asks for a job at remindAt named by the activity', () => {
    expect(jobOf([scheduled('2025-05-02T14:45:00+02:00')])).toEqual({
      jobId: activityId,
      kind: 'sales.activity.reminder',
      dueAt: new Date('2025-05-02T12:45:00Z'),
      payload: { activityId, remindAt: '2025-05-02T12:45:00.000Z', reminderRevision: '0' },
    });
  });

  it('given no remindAt, asks for no job: the due time alone reminds no one (the domain has no reminder to fire)', () => {
    expect(jobOf([scheduled()])).toBeUndefined();
    expect(jobOf([scheduled('2025-05-02T14:00:00Z'), rescheduled(undefined)])).toBeUndefined();
    expect(domainFires([scheduled()], dueAt)).toBe(false);
  });

  it('given a completed or cancelled activity, asks for no job', () => {
    expect(jobOf([scheduled('2025-05-02T14:00:00Z'), completed])).toBeUndefined();
    expect(jobOf([scheduled('2025-05-02T14:00:00Z'), cancelled])).toBeUndefined();
  });

  it('keeps the same job when only the due time moves, and a new one when the reminder time moves', () => {
    const first = [scheduled('2025-05-02T14:00:00Z')];
    const dueMoved = [...first, rescheduled('2025-05-02T16:00:00+02:00', '2025-05-03T15:00:00Z')];
    const reminderMoved = [...first, rescheduled('2025-05-02T14:30:00Z')];
    expect(sameReminderJob(rowOf(first), rowOf(dueMoved))).toBe(true);
    expect(sameReminderJob(rowOf(first), rowOf(reminderMoved))).toBe(false);
    expect(jobOf(reminderMoved)?.payload).toEqual({ activityId, remindAt: '2025-05-02T14:30:00.000Z', reminderRevision: '1' });
  });

  it('given a fired reminder removed and set again for the same time, asks for a new job, which the domain fires again', () => {
    const remindAt = '2025-05-02T14:00:00.000Z';
    const events = [scheduled(remindAt), reminderDue(remindAt), rescheduled(undefined), rescheduled(remindAt)];
    const job = jobOf(events)!;
    expect(job.payload.reminderRevision).toBe('3');
    expect(fireReminderCommandId(job.payload)).not.toBe(fireReminderCommandId(jobOf(events.slice(0, 1))!.payload));
    expect(domainFires(events, remindAt)).toBe(true);
    expect(domainFires(events.slice(0, 2), remindAt)).toBe(false);
  });

  it('ignores an event at or below the revision already folded, and events of an unknown activity', () => {
    const row = rowOf([scheduled('2025-05-02T14:00:00Z'), rescheduled('2025-05-02T14:30:00Z')])!;
    expect(evolveReminder(row, completed, 1n)).toBe(row);
    expect(evolveReminder(undefined, rescheduled('2025-05-02T14:30:00Z'), 0n)).toBeUndefined();
    expect(evolveReminder(undefined, completed, 0n)).toBeUndefined();
  });

  it('derives the same command id for the same reminder, whatever the run', () => {
    const payload = { activityId, remindAt: '2025-05-02T14:00:00.000Z', reminderRevision: '0' };
    expect(fireReminderCommandId(payload)).toBe(fireReminderCommandId({ ...payload }));
    expect(fireReminderCommandId(payload)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fireReminderCommandId({ ...payload, remindAt: '2025-05-02T14:00:01.000Z' })).not.toBe(fireReminderCommandId(payload));
  });

  it('reads back the payload it wrote and refuses anything else', () => {
    const payload = jobOf([scheduled('2025-05-02T14:00:00Z')])!.payload;
    expect(parseReminderPayload(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
    for (const bad of [null, {}, { ...payload, remindAt: 'soon' }, { ...payload, reminderRevision: 1 }, { ...payload, activityId: '' }]) {
      expect(() => parseReminderPayload(bad)).toThrow(TypeError);
    }
  });
});
