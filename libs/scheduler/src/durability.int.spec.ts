// What makes the scheduler durable, against real PostgreSQL: catch-up after downtime, one firing across
// replicas, retries with back-off until a job is marked failed.
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { Scheduler, type ScheduledJob, type SchedulerOptions } from './index';

let db: TestDatabase;
const running: Scheduler[] = [];
const extraPools: Pool[] = [];
let schemaCount = 0;

beforeAll(async () => {
  db = await createTestDatabase('scheduler_durability');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(extraPools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  await db?.drop();
});

function newScheduler(schema: string, options: Partial<SchedulerOptions> = {}): Scheduler {
  const scheduler = new Scheduler({ pool: db.pool, schema, pollIntervalMs: 100, ...options });
  running.push(scheduler);
  return scheduler;
}

const inMs = (ms: number) => new Date(Date.now() + ms);

async function statuses(scheduler: Scheduler): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM ${scheduler.jobs.table} GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function countBy(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('Scheduler durability', () => {
  it('catches up after a restart on the jobs that came due while it was down, oldest first, each once', async () => {
    const schema = `jobs_${++schemaCount}`;
    const before = newScheduler(schema);
    await before.migrate();
    const handledBefore: string[] = [];
    before.start(async (job) => void handledBefore.push(job.jobId));
    await before.schedule(db.pool, { jobId: 'before-stop', kind: 'k', dueAt: inMs(-1_000) });
    await waitFor(() => handledBefore.length === 1, { description: 'the job due before the stop' });
    await before.stop();

    // While it is down: jobs overdue by minutes (scheduled out of order) and jobs coming due a moment later.
    const expected: Array<{ jobId: string; dueAt: Date }> = [];
    for (let i = 0; i < 25; i++) expected.push({ jobId: `overdue-${i}`, dueAt: inMs(-((i * 7) % 25 + 1) * 60_000) });
    for (let i = 0; i < 5; i++) expected.push({ jobId: `soon-${i}`, dueAt: inMs(300 + i * 50) });
    for (const job of expected) await before.schedule(db.pool, { ...job, kind: 'k', payload: { jobId: job.jobId } });
    await waitFor(async () => (await db.pool.query(`SELECT now() > max(due_at) AS due FROM ${before.jobs.table}`)).rows[0].due, {
      description: 'every job to come due while the runner is down',
    });
    expect(await statuses(before)).toEqual({ fired: 1, pending: 30 });

    const after = newScheduler(schema, { batchSize: 7 });
    const handled: ScheduledJob[] = [];
    after.start(async (job) => void handled.push(job));
    await waitFor(async () => (await statuses(after))['fired'] === 31, { description: 'the catch-up' });

    const byDue = [...expected].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).map((j) => j.jobId);
    expect(handled.map((j) => j.jobId)).toEqual(byDue);
    expect(handledBefore).toEqual(['before-stop']);
  });

  it('fires every job exactly once across two replicas on separate pools, sharing the work', async () => {
    const schema = `jobs_${++schemaCount}`;
    const pool2 = new Pool({ connectionString: db.url, max: 5 });
    extraPools.push(pool2);
    const replicaA = newScheduler(schema, { batchSize: 10 });
    const replicaB = new Scheduler({ pool: pool2, schema, pollIntervalMs: 100, batchSize: 10 });
    running.push(replicaB);
    await Promise.all([replicaA.migrate(), replicaB.migrate()]);

    const total = 300;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < total; i++) await replicaA.schedule(client, { jobId: `job-${i}`, kind: 'k', dueAt: inMs(-total + i) });
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    const byReplica: Record<'a' | 'b', string[]> = { a: [], b: [] };
    // A little work per job, as a real handler's append would take, so that the replicas overlap.
    const handlerOf = (replica: 'a' | 'b') => async (job: ScheduledJob) => {
      byReplica[replica].push(job.jobId);
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    replicaA.start(handlerOf('a'));
    replicaB.start(handlerOf('b'));
    await waitFor(async () => (await statuses(replicaA))['fired'] === total, { description: 'every job to fire' });

    const counts = countBy([...byReplica.a, ...byReplica.b]);
    expect(counts.size).toBe(total);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(byReplica.a.length).toBeGreaterThan(0);
    expect(byReplica.b.length).toBeGreaterThan(0);
  });

  it('retries a failing handler with growing back-off, then marks the job failed with the error', async () => {
    const registry = new Registry();
    const scheduler = newScheduler(`jobs_${++schemaCount}`, {
      maxAttempts: 3,
      backoff: { baseMs: 200, factor: 2, jitter: 0 },
      metricsRegistry: registry,
    });
    await scheduler.migrate();
    const tries: Record<string, Array<{ at: number; attempts: number }>> = {};
    scheduler.start(async (job) => {
      (tries[job.jobId] ??= []).push({ at: Date.now(), attempts: job.attempts });
      if (job.kind === 'always-fails' || tries[job.jobId]!.length === 1) throw new Error('downstream unavailable');
    });
    await scheduler.schedule(db.pool, { jobId: 'doomed', kind: 'always-fails', dueAt: inMs(-1_000) });
    await scheduler.schedule(db.pool, { jobId: 'flaky', kind: 'fails-once', dueAt: inMs(-1_000) });

    await waitFor(async () => (await scheduler.jobs.find(db.pool, 'doomed'))?.status === 'failed', { description: 'the job to be given up' });
    expect(await scheduler.jobs.find(db.pool, 'doomed')).toMatchObject({ attempts: 3, lastError: 'downstream unavailable', firedAt: null });
    const doomed = tries['doomed']!;
    expect(doomed.map((t) => t.attempts)).toEqual([0, 1, 2]);
    // Back-off counted from each failure: 200 ms, then 400 ms (a few ms of slack for clock rounding).
    expect(doomed[1]!.at - doomed[0]!.at).toBeGreaterThanOrEqual(195);
    expect(doomed[2]!.at - doomed[1]!.at).toBeGreaterThanOrEqual(395);

    await waitFor(async () => (await scheduler.jobs.find(db.pool, 'flaky'))?.status === 'fired', { description: 'the retried job to fire' });
    expect(tries['flaky']).toHaveLength(2);
    expect(await scheduler.jobs.find(db.pool, 'flaky')).toMatchObject({ attempts: 1, lastError: 'downstream unavailable' });

    // A pass after the last failure, so that its commit (and the counters) are in.
    const passes = scheduler.status().passes;
    await waitFor(() => scheduler.status().passes > passes);
    const failures = (await registry.getSingleMetric('crm_scheduler_job_failures_total')!.get()).values;
    const failureCount = (kind: string, outcome: string) => failures.find((v) => v.labels['kind'] === kind && v.labels['outcome'] === outcome)?.value;
    expect([failureCount('always-fails', 'retry'), failureCount('always-fails', 'failed'), failureCount('fails-once', 'retry')]).toEqual([2, 1, 1]);
  });

  it('counts a handler that outlives its timeout as failed', async () => {
    const scheduler = newScheduler(`jobs_${++schemaCount}`, { maxAttempts: 1, handlerTimeoutMs: 200 });
    await scheduler.migrate();
    await scheduler.schedule(db.pool, { jobId: 'stuck', kind: 'k', dueAt: inMs(-1_000) });
    scheduler.start(() => new Promise<void>(() => undefined));
    await waitFor(async () => (await scheduler.jobs.find(db.pool, 'stuck'))?.status === 'failed', { description: 'the timed-out job' });
    expect((await scheduler.jobs.find(db.pool, 'stuck'))?.lastError).toMatch(/did not finish within 200 ms/);
  });

  it('fires a job again when its claim is lost before the commit (at least once), and survives the lost connection', async () => {
    const scheduler = newScheduler(`jobs_${++schemaCount}`);
    await scheduler.migrate();
    await scheduler.schedule(db.pool, { jobId: 'interrupted', kind: 'k', dueAt: inMs(-1_000) });
    const calls: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    scheduler.start(async () => {
      calls.push(Date.now());
      if (calls.length === 1) await released;
    });
    await waitFor(() => calls.length === 1, { description: 'the first call' });
    // The claim transaction is idle while its handler runs: end its session, as a crash or failover would.
    const { rowCount } = await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
    );
    expect(rowCount).toBe(1);
    release();

    await waitFor(async () => (await scheduler.jobs.find(db.pool, 'interrupted'))?.status === 'fired', { description: 'the second firing' });
    expect(calls).toHaveLength(2);
    expect(scheduler.status().running).toBe(true);
  });

  it('keeps running through a database error and reports it', async () => {
    const scheduler = newScheduler(`jobs_${++schemaCount}`);
    const handled: string[] = [];
    scheduler.start(async (job) => void handled.push(job.jobId));
    await waitFor(() => scheduler.status().lastError, { description: 'the missing table to be reported' });
    expect(scheduler.status().lastError).toMatch(/does not exist/);

    await scheduler.migrate();
    await scheduler.schedule(db.pool, { jobId: 'after-migrate', kind: 'k', dueAt: inMs(-1_000) });
    await waitFor(() => handled.length === 1, { description: 'the job once the table exists' });
    await waitFor(() => scheduler.status().lastError === null, { description: 'a clean pass' });
    expect(handled).toEqual(['after-migrate']);
  });
});
