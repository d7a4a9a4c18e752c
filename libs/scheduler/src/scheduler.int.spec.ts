// The scheduler against real PostgreSQL: due times, reschedule and cancel, the caller's transaction,
// a clean stop and the metrics.
import { Registry } from 'prom-client';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { Scheduler, type ScheduledJob, type SchedulerOptions } from './index';

let db: TestDatabase;
const running: Scheduler[] = [];
let schemaCount = 0;

beforeAll(async () => {
  db = await createTestDatabase('scheduler');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await db?.drop();
});

/** A scheduler on its own schema, migrated, stopped after the test. */
async function newScheduler(options: Partial<SchedulerOptions> = {}): Promise<Scheduler> {
  const scheduler = new Scheduler({ pool: db.pool, schema: `jobs_${++schemaCount}`, pollIntervalMs: 100, ...options });
  await scheduler.migrate();
  running.push(scheduler);
  return scheduler;
}

function recorder() {
  const calls: Array<{ job: ScheduledJob; at: number }> = [];
  const handler = async (job: ScheduledJob) => void calls.push({ job, at: Date.now() });
  const ids = () => calls.map((c) => c.job.jobId);
  return { calls, handler, ids };
}

const inMs = (ms: number) => new Date(Date.now() + ms);

describe('Scheduler', () => {
  it('fires a job at its due time and not on the passes before it', async () => {
    const scheduler = await newScheduler();
    const { calls, handler } = recorder();
    const dueAt = inMs(2_500);
    await scheduler.schedule(db.pool, { jobId: 'reminder-1', kind: 'sales.reminder', dueAt, payload: { activityId: 'a-1' } });
    scheduler.start(handler);

    await waitFor(() => scheduler.status().passes >= 3, { description: 'three early passes' });
    expect(calls).toHaveLength(0);
    expect((await scheduler.jobs.find(db.pool, 'reminder-1'))?.status).toBe('pending');

    await waitFor(() => calls.length === 1, { description: 'the reminder to fire' });
    expect(calls[0]!.at).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(calls[0]!.job).toMatchObject({ jobId: 'reminder-1', kind: 'sales.reminder', payload: { activityId: 'a-1' }, attempts: 0 });
    const stored = await scheduler.jobs.find(db.pool, 'reminder-1');
    expect(stored).toMatchObject({ status: 'fired', attempts: 0 });
    expect(stored!.firedAt!.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
  });

  it('sleeps only until the earliest due job when that is sooner than the poll interval, and stops at once', async () => {
    const scheduler = await newScheduler({ pollIntervalMs: 60_000 });
    const { calls, handler } = recorder();
    const dueAt = inMs(700);
    await scheduler.schedule(db.pool, { jobId: 'soon', kind: 'k', dueAt });
    scheduler.start(handler);

    await waitFor(() => calls.length === 1, { timeoutMs: 10_000, description: 'the job due before the next poll' });
    expect(calls[0]!.at - dueAt.getTime()).toBeLessThan(5_000);
    const stopping = Date.now();
    await scheduler.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(scheduler.status().running).toBe(false);
  });

  it('fires a rescheduled job at its new time with its new payload, and never a cancelled one', async () => {
    const scheduler = await newScheduler();
    const { calls, handler, ids } = recorder();
    await scheduler.schedule(db.pool, { jobId: 'moved', kind: 'k', dueAt: inMs(3_600_000), payload: { v: 1 } });
    await scheduler.schedule(db.pool, { jobId: 'moved', kind: 'k', dueAt: inMs(-1_000), payload: { v: 2 } });
    await scheduler.schedule(db.pool, { jobId: 'cancelled', kind: 'k', dueAt: inMs(300) });
    expect(await scheduler.cancel(db.pool, 'cancelled')).toBe(true);
    await scheduler.schedule(db.pool, { jobId: 'sentinel', kind: 'k', dueAt: inMs(600) });
    scheduler.start(handler);

    await waitFor(() => ids().includes('sentinel'), { description: 'the sentinel due after the cancelled job' });
    expect(ids()).toEqual(['moved', 'sentinel']);
    expect(calls[0]!.job.payload).toEqual({ v: 2 });
    expect((await scheduler.jobs.find(db.pool, 'cancelled'))?.status).toBe('cancelled');
    expect(await scheduler.cancel(db.pool, 'moved')).toBe(false);
    expect(await scheduler.cancel(db.pool, 'unknown')).toBe(false);
  });

  it('ignores a replayed schedule of a fired job but fires it again when rescheduled', async () => {
    const scheduler = await newScheduler();
    const { handler, ids } = recorder();
    const first = { jobId: 'call-back', kind: 'k', dueAt: inMs(-60_000), payload: { n: 1 } };
    await scheduler.schedule(db.pool, first);
    scheduler.start(handler);
    await waitFor(() => ids().length === 1, { description: 'the first firing' });

    await scheduler.schedule(db.pool, first);
    await scheduler.schedule(db.pool, { jobId: 'sentinel', kind: 'k', dueAt: inMs(-30_000) });
    await waitFor(() => ids().includes('sentinel'), { description: 'the sentinel due after the replayed job' });
    expect(ids()).toEqual(['call-back', 'sentinel']);

    await scheduler.schedule(db.pool, { ...first, dueAt: inMs(-1_000) });
    await waitFor(() => ids().length === 3, { description: 'the rescheduled job' });
    expect(ids()).toEqual(['call-back', 'sentinel', 'call-back']);
  });

  it("schedules inside the caller's transaction: a rollback leaves no job, a commit does", async () => {
    const scheduler = await newScheduler();
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await scheduler.schedule(client, { jobId: 'rolled-back', kind: 'k', dueAt: inMs(-1_000) });
      expect(await scheduler.jobs.find(client, 'rolled-back')).toBeDefined();
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await scheduler.schedule(client, { jobId: 'committed', kind: 'k', dueAt: inMs(-1_000) });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await scheduler.jobs.find(db.pool, 'rolled-back')).toBeUndefined();

    const { ids, handler } = recorder();
    scheduler.start(handler);
    await waitFor(() => ids().includes('committed'), { description: 'the committed job' });
    expect(ids()).toEqual(['committed']);
  });

  it('stops after the in-flight handler: its job commits as fired, the rest of the batch stays pending', async () => {
    const scheduler = await newScheduler({ batchSize: 10 });
    await scheduler.schedule(db.pool, { jobId: 'first', kind: 'k', dueAt: inMs(-2_000) });
    await scheduler.schedule(db.pool, { jobId: 'second', kind: 'k', dueAt: inMs(-1_000) });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    scheduler.start(async (job) => {
      handled.push(job.jobId);
      await released;
    });
    await waitFor(() => handled.length === 1, { description: 'the first handler to start' });

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(handled).toEqual(['first']);
    expect((await scheduler.jobs.find(db.pool, 'first'))?.status).toBe('fired');
    expect((await scheduler.jobs.find(db.pool, 'second'))?.status).toBe('pending');
  });

  it('reports fired jobs and the lag of the oldest overdue job', async () => {
    const registry = new Registry();
    const scheduler = await newScheduler({ metricsRegistry: registry });
    await scheduler.schedule(db.pool, { jobId: 'late', kind: 'sales.reminder', dueAt: inMs(-600_000) });
    const lag = async () => (await registry.getSingleMetric('crm_scheduler_overdue_lag_seconds')!.get()).values.find((v) => v.labels['scheduler'] === scheduler.jobs.schema)?.value;
    expect(await lag()).toBeGreaterThanOrEqual(590);

    const { handler, ids } = recorder();
    scheduler.start(handler);
    await waitFor(() => ids().length === 1, { description: 'the overdue job' });
    await scheduler.stop();
    expect(await lag()).toBe(0);
    const fired = (await registry.getSingleMetric('crm_scheduler_jobs_fired_total')!.get()).values;
    expect(fired).toEqual([expect.objectContaining({ labels: { scheduler: scheduler.jobs.schema, kind: 'sales.reminder' }, value: 1 })]);
  });

  it('refuses a schema that is not an identifier and a job without a valid due time', async () => {
    expect(() => new Scheduler({ pool: db.pool, schema: 'Sales; DROP' })).toThrow(/identifier/);
    const scheduler = await newScheduler();
    await expect(scheduler.schedule(db.pool, { jobId: 'x', kind: 'k', dueAt: new Date(Number.NaN) })).rejects.toThrow(/dueAt/);
  });
});
