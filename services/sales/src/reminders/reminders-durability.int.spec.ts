// What makes the reminders durable, against real PostgreSQL: a restart catches up on reminders that came due
// while nothing ran, two replicas record each reminder once, and a rebuilt jobs projection fires nothing twice.
import { waitFor } from '@crm/testing';
import { Registry } from 'prom-client';
import { activityStream } from '../domain';
import { inMs, projectionCaughtUp, readStream, schedulerPasses, startRemindersKit, type RemindersKit } from './__fixtures__/reminders-kit';

let kit: RemindersKit;
beforeAll(async () => {
  kit = await startRemindersKit('reminders_durability');
});
afterEach(() => kit.cleanUp());
afterAll(() => kit?.close());

async function dueCounts(activityIds: readonly string[]): Promise<number[]> {
  return Promise.all(activityIds.map(async (id) => (await kit.reminderDues(id)).length));
}

async function allFired(activityIds: readonly string[]): Promise<boolean> {
  const { rows } = await kit.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales.scheduled_jobs WHERE job_id = ANY($1) AND status = 'fired'`, [activityIds]);
  return rows[0]!.n === activityIds.length;
}

const firedTotal = async (registry: Registry) =>
  ((await registry.getSingleMetric('crm_scheduler_jobs_fired_total')?.get())?.values ?? []).reduce((sum, v) => sum + v.value, 0);

describe('activity reminders, durably', () => {
  it('after a restart, fires each reminder that came due while it was down once, at the time the events say', async () => {
    const before = kit.reminders();
    await before.start();
    const firedBefore = await kit.activities.schedule({ remindAt: inMs(-1_000) });
    const pendingAtStop = await Promise.all([1, 2, 3].map(() => kit.activities.schedule({ remindAt: inMs(2_500) })));
    await waitFor(async () => (await kit.reminderDues(firedBefore)).length === 1, { description: 'the reminder before the stop' });
    await waitFor(async () => (await Promise.all(pendingAtStop.map((id) => kit.jobStatus(id)))).every((s) => s === 'pending'), {
      description: 'the jobs scheduled before the stop',
    });
    await before.stop();

    // While nothing runs: new activities (the projection has not seen them), one of them moved and one completed.
    const whileDown = await Promise.all([1, 2, 3, 4].map((i) => kit.activities.schedule({ remindAt: inMs(-i * 60_000) })));
    const unseen = await kit.activities.schedule({ remindAt: inMs(-30_000) });
    await kit.activities.complete(unseen);
    const movedWhileDown = inMs(1_200);
    await kit.activities.reschedule(pendingAtStop[0]!, { remindAt: movedWhileDown });
    await waitFor(async () => (await kit.db.pool.query(`SELECT now() > max(due_at) AS due FROM sales.scheduled_jobs`)).rows[0].due, {
      description: 'every scheduled job to come due while down',
    });
    expect(await dueCounts([...pendingAtStop, ...whileDown])).toEqual([0, 0, 0, 0, 0, 0, 0]);

    const after = kit.reminders();
    await after.start();
    await waitFor(() => allFired([firedBefore, ...pendingAtStop, ...whileDown]), { description: 'the catch-up', timeoutMs: 15_000 });
    await projectionCaughtUp(after);
    await schedulerPasses(after, 3);
    expect(await dueCounts([firedBefore, ...pendingAtStop, ...whileDown])).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // Its old job may have fired before the projection moved it: the activity refused that fire.
    expect((await kit.reminderDues(pendingAtStop[0]!)).map((due) => due.remindAt)).toEqual([movedWhileDown.toISOString()]);
    expect(await kit.reminderDues(unseen)).toEqual([]);
    // Scheduled and completed unseen: no job at all when one catch-up batch held both, else a cancelled one.
    expect([undefined, 'cancelled']).toContain(await kit.jobStatus(unseen));
  });

  it('with two replicas on separate pools, records every reminder exactly once, both sharing the firing', async () => {
    const replica = await kit.replica();
    const [registryA, registryB] = [new Registry(), new Registry()];
    const replicaA = kit.reminders({ scheduler: { pollIntervalMs: 100, batchSize: 5 }, metricsRegistry: registryA });
    const replicaB = kit.reminders({ pool: replica.pool, store: replica.store, scheduler: { pollIntervalMs: 100, batchSize: 5 }, metricsRegistry: registryB });
    await Promise.all([replicaA.start(), replicaB.start()]);

    const total = 80;
    const activityIds: string[] = [];
    for (let i = 0; i < total; i++) activityIds.push(await kit.activities.schedule({ remindAt: inMs(500 + (i % 10) * 50) }));

    await waitFor(() => allFired(activityIds), { description: 'every reminder to fire', timeoutMs: 30_000 });
    await Promise.all([schedulerPasses(replicaA), schedulerPasses(replicaB)]);
    expect((await dueCounts(activityIds)).every((n) => n === 1)).toBe(true);
    const [firedA, firedB] = await Promise.all([firedTotal(registryA), firedTotal(registryB)]);
    expect(firedA + firedB).toBe(total);
    expect(firedA).toBeGreaterThan(0);
    expect(firedB).toBeGreaterThan(0);
  });

  it('fires a job again whose claim was lost after the append (at least once), and the stream gets nothing new', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const activityId = await kit.activities.schedule({ remindAt: inMs(-1_000) });
    await waitFor(() => allFired([activityId]), { description: 'the first fire' });
    const streamLength = async () => (await readStream(kit.store, activityStream(activityId))).length;
    const length = await streamLength();
    const firedAt = (await kit.jobRow(activityId))!.fired_at!.getTime();

    // As if the claim had rolled back after the handler appended: the job is pending again at its time.
    await kit.db.pool.query(`UPDATE sales.scheduled_jobs SET status = 'pending', fired_at = NULL WHERE job_id = $1`, [activityId]);
    await waitFor(async () => ((await kit.jobRow(activityId))?.fired_at?.getTime() ?? 0) > firedAt, { description: 'the second fire' });
    expect(await streamLength()).toBe(length);
    expect(await kit.reminderDues(activityId)).toHaveLength(1);
  });

  it('rebuilding the jobs projection records no reminder twice: stale jobs may fire again, the activity refuses them', async () => {
    const reminders = kit.reminders();
    await reminders.start();
    const firedOnce = await kit.activities.schedule({ remindAt: inMs(-120_000) });
    const movedAfterFiring = await kit.activities.schedule({ remindAt: inMs(-120_000) });
    const completed = await kit.activities.schedule({ remindAt: inMs(3_600_000) });
    await kit.activities.complete(completed);
    await waitFor(async () => (await kit.reminderDues(movedAfterFiring)).length === 1, { description: 'the first reminder' });
    await kit.activities.reschedule(movedAfterFiring, { remindAt: inMs(-60_000) });
    await waitFor(async () => (await kit.reminderDues(movedAfterFiring)).length === 2, { description: 'the moved reminder' });
    await waitFor(() => allFired([firedOnce, movedAfterFiring]), { description: 'both jobs fired' });
    const firedAt = async (id: string) => (await kit.jobRow(id))!.fired_at!.getTime();
    const [onceAt, movedAt] = [await firedAt(firedOnce), await firedAt(movedAfterFiring)];

    // One event per batch: the rebuild passes through every intermediate state of the jobs.
    const result = await reminders.projection.rebuild({ batchSize: 1 });
    expect(result.replaced).toBe(1);
    await waitFor(async () => (await firedAt(movedAfterFiring)) > movedAt, { description: 'the moved reminder to fire again from the rebuilt job' });
    await schedulerPasses(reminders, 3);

    expect(await dueCounts([firedOnce, movedAfterFiring, completed])).toEqual([1, 2, 0]);
    expect(await firedAt(firedOnce)).toBe(onceAt); // its job was already what the events ask for: untouched
    expect(await kit.jobStatus(completed)).toBe('cancelled');
    const { rows } = await kit.db.pool.query('SELECT activity_id, status FROM sales.activity_reminders WHERE activity_id = ANY($1) ORDER BY status', [
      [firedOnce, movedAfterFiring, completed],
    ]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['completed', 'open', 'open']);
  });
});
