// Sales activities over HTTP on the real stack: schedule, reschedule, complete, cancel, and the domain's refusals.
import request from 'supertest';
import { activityBody, scheduleActivity, startSalesApp, type SalesTestApp } from '../infrastructure/__fixtures__/sales-test-app';

let t: SalesTestApp;
beforeAll(async () => {
  t = await startSalesApp('activities');
});
afterAll(async () => {
  await t?.close();
});

describe('sales activities over HTTP', () => {
  it('schedules an activity about an opportunity with a reminder, and reads it back', async () => {
    const opportunityId = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
    const res = await request(t.http)
      .post('/activities')
      .send(activityBody({ kind: 'appointment', dueAt: '2030-01-31T10:00:00+01:00', remindAt: '2030-01-31T08:30:00Z', opportunityId }))
      .expect(201);
    const { activityId } = res.body as { activityId: string };
    expect(res.headers['location']).toBe(`/activities/${activityId}`);
    const activity = await request(t.http).get(`/activities/${activityId}`).expect(200);
    expect(activity.body).toMatchObject({
      activityId,
      status: 'open',
      kind: 'appointment',
      subject: 'Discuss the proposal',
      dueAt: '2030-01-31T10:00:00+01:00',
      reminder: { at: '2030-01-31T08:30:00Z', fired: false },
      opportunityId,
      revision: 0,
    });
  });

  it('reschedules (dropping the reminder), completes with an outcome, and refuses to cancel a completed one', async () => {
    const { id } = await scheduleActivity(t);
    await request(t.http).post(`/activities/${id}/reschedule`).send({ dueAt: '2030-03-01T09:00:00Z' }).expect(200, { activityId: id, revision: 1 });
    await request(t.http).post(`/activities/${id}/complete`).send({ outcome: 'They will sign next week' }).expect(200, { activityId: id, revision: 2 });
    const activity = await request(t.http).get(`/activities/${id}`).expect(200);
    expect(activity.body).toMatchObject({ status: 'completed', dueAt: '2030-03-01T09:00:00Z', outcome: 'They will sign next week' });
    expect(activity.body).not.toHaveProperty('reminder');
    const refused = await request(t.http).post(`/activities/${id}/cancel`).send({}).expect(422);
    expect(refused.body).toMatchObject({ code: 'ACTIVITY_COMPLETED', details: { activityId: id } });
  });

  it('cancels with an optional reason; a second cancel changes nothing', async () => {
    const { id } = await scheduleActivity(t);
    await request(t.http).post(`/activities/${id}/cancel`).send({ reason: 'Customer on holiday' }).expect(200, { activityId: id, revision: 1 });
    await request(t.http).post(`/activities/${id}/cancel`).send({}).expect(200, { activityId: id, revision: 1 });
    expect((await request(t.http).get(`/activities/${id}`).expect(200)).body).toMatchObject({ status: 'cancelled', cancelReason: 'Customer on holiday' });
  });

  it('refuses a reminder after the due time (422) and an unknown kind (400)', async () => {
    const late = await request(t.http).post('/activities').send(activityBody({ dueAt: '2030-01-31T09:00:00Z', remindAt: '2030-01-31T09:30:00Z' })).expect(422);
    expect(late.body).toMatchObject({ code: 'REMINDER_AFTER_DUE', details: { field: 'remindAt' } });
    const kind = await request(t.http).post('/activities').send(activityBody({ kind: 'lunch' })).expect(400);
    expect((kind.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['kind']);
  });
});
