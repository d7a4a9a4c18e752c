// Reminders of sales activities against real PostgreSQL: the jobs projection follows the activity events, the
// scheduler fires at the reminder time, and FireReminder records ActivityReminderDue once — moved, removed,
// completed and cancelled reminders included.
import { waitFor } from '@crm/testing';
import { inMs, schedulerPasses, startRemindersKit, type RemindersKit } from './__fixtures__/reminders-kit';

let kit: RemindersKit;
beforeAll(async () => {
  kit = await startRemindersKit('reminders');
});
afterEach(() => kit.cleanUp());
afterAll(() => kit?.close());

const dues = (activityId: string) => kit.reminderDues(activityId);
const firstDue = (activityId: string, description: string) =>
  waitFor(async () => (await dues(activityId))[0], { description, timeoutMs: 15_000 });

describe('activity reminders', () => {
  it('fires a reminder at its time, once, recording ActivityReminderDue in the activity stream', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const remindAt = inMs(2_000);
    const activityId = await kit.activities.schedule({ remindAt });

    await waitFor(async () => (await kit.jobRow(activityId))?.due_at.getTime() === remindAt.getTime(), { description: 'the job from the projection' });

    const due = await firstDue(activityId, 'the reminder');
    expect(due).toMatchObject({ activityId, kind: 'call', remindAt: remindAt.toISOString() });
    // Not before its time: the fire was accepted, and the job marked, at or after remindAt.
    expect(Date.parse(due.at)).toBeGreaterThanOrEqual(remindAt.getTime());
    const job = await waitFor(async () => {
      const row = await kit.jobRow(activityId);
      return row?.status === 'fired' && row;
    }, { description: 'the job marked fired' });
    expect(job.fired_at!.getTime()).toBeGreaterThanOrEqual(remindAt.getTime());

    await schedulerPasses(reminders, 3);
    expect(await dues(activityId)).toHaveLength(1);
  });

  it('fires a reminder moved before its time at the new time only, and one moved later not at the old time', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const sooner = await kit.activities.schedule({ remindAt: inMs(3_600_000) });
    const oldLaterTime = inMs(1_500);
    const later = await kit.activities.schedule({ remindAt: oldLaterTime });
    const newLaterTime = inMs(3_600_000);
    await kit.activities.reschedule(later, { remindAt: newLaterTime });
    await waitFor(async () => (await kit.jobRow(later))?.due_at.getTime() === newLaterTime.getTime(), { description: 'the moved job' });
    const newSoonerTime = inMs(1_000);
    await kit.activities.reschedule(sooner, { remindAt: newSoonerTime });

    const due = await firstDue(sooner, 'the reminder moved sooner');
    expect(due.remindAt).toBe(newSoonerTime.toISOString());
    // The old time of the one moved later has passed, and the scheduler has looked since.
    await waitFor(() => Date.now() > oldLaterTime.getTime(), { description: 'the old reminder time' });
    await schedulerPasses(reminders, 2);
    expect(await dues(later)).toEqual([]);
    expect(await kit.jobStatus(later)).toBe('pending');
    expect(await dues(sooner)).toHaveLength(1);
  });

  it('never fires the reminder of a completed or cancelled activity, nor one that was removed', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const completed = await kit.activities.schedule({ remindAt: inMs(1_000) });
    const cancelled = await kit.activities.schedule({ remindAt: inMs(1_000) });
    const removed = await kit.activities.schedule({ remindAt: inMs(1_000) });
    const withoutReminder = await kit.activities.schedule({ dueAt: inMs(1_000) });
    // Their jobs exist first: otherwise one batch may fold schedule and completion into no job at all.
    await waitFor(async () => (await Promise.all([completed, cancelled, removed].map((id) => kit.jobStatus(id)))).every((s) => s === 'pending'), {
      description: 'the jobs to cancel',
    });
    await kit.activities.complete(completed);
    await kit.activities.cancel(cancelled);
    await kit.activities.reschedule(removed, { dueAt: inMs(3_600_000) });
    const sentinel = await kit.activities.schedule({ remindAt: inMs(1_500) });

    await firstDue(sentinel, 'the sentinel due after the others');
    for (const activityId of [completed, cancelled, removed, withoutReminder]) expect(await dues(activityId)).toEqual([]);
    expect(await Promise.all([completed, cancelled, removed].map((id) => kit.jobStatus(id)))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // The due time alone sets no reminder: no job at all.
    expect(await kit.jobRow(withoutReminder)).toBeUndefined();
  });

  it('fires an overdue reminder at once, and again when it is removed and set anew for the same time', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const remindAt = inMs(-60_000);
    const activityId = await kit.activities.schedule({ remindAt });
    await firstDue(activityId, 'the overdue reminder');

    // The same time again unchanged is the same reminder: nothing new.
    await kit.activities.reschedule(activityId, { remindAt, dueAt: inMs(7_200_000) });
    await kit.activities.reschedule(activityId, { dueAt: inMs(7_200_000) });
    await kit.activities.reschedule(activityId, { remindAt, dueAt: inMs(7_200_000) });
    await waitFor(async () => (await dues(activityId)).length === 2, { description: 'the reminder set anew' });
    expect((await dues(activityId)).map((due) => due.remindAt)).toEqual([remindAt.toISOString(), remindAt.toISOString()]);
    await schedulerPasses(reminders, 3);
    expect(await dues(activityId)).toHaveLength(2);
  });
});
