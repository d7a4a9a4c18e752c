// Rebuilds on the real PostgreSQL event store: a new version of the tables built beside the live one,
// switched in atomically, with readers querying the whole time; and a new definition version taking over.
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { comparePositions, PostgresEventStore, type Position } from '@crm/event-store';
import { createTestDatabase, testInfra, waitFor, type TestDatabase } from '@crm/testing';
import { appendCustomerEvents, customerSummary, expectedSummary, summaryRows, viewOf, type CustomerEvent } from './__fixtures__/customer-summary';
import { CATALOG_SCHEMA, listVersions } from './catalog';
import { defineProjection } from './definition';
import { RebuildInProgressError } from './errors';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { rebuildProjection } from './rebuild';

let db: TestDatabase;
const stores: PostgresEventStore[] = [];
const runners: ProjectionRunner[] = [];
const role = `crm_test_reader_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase('projections_rebuild');
  // drop() ends the pool without waiting for its connections to close, then terminates them: ignore that.
  db.pool.on('error', () => undefined);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await db.drop();
  const admin = new Client({ connectionString: testInfra().postgresAdminUrl });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

async function newStore(): Promise<PostgresEventStore> {
  const store = await PostgresEventStore.create({
    connectionString: db.url,
    schema: `es_${randomBytes(4).toString('hex')}`,
    poolConfig: { max: 4 },
    polling: { minDelayMs: 5, maxDelayMs: 25 },
  });
  stores.push(store);
  return store;
}

function runner(options: Omit<ProjectionRunnerOptions, 'pool'>): ProjectionRunner {
  const r = new ProjectionRunner({ pool: db.pool, batchWindowMs: 5, verifyIntervalMs: 100, retry: { minDelayMs: 20, maxDelayMs: 200 }, ...options });
  runners.push(r);
  return r;
}

async function liveCheckpoint(name: string): Promise<Position> {
  const { rows } = await db.pool.query<{ commit: string; prepare: string }>(
    `SELECT commit::text, prepare::text FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND status = 'live'`,
    [name],
  );
  return { commit: BigInt(rows[0]!.commit), prepare: BigInt(rows[0]!.prepare) };
}

function reached(name: string, position: Position) {
  return waitFor(async () => comparePositions(await liveCheckpoint(name), position) >= 0, { description: `${name} to reach the last append` });
}

function expected(store: PostgresEventStore, through: Position) {
  return waitFor(() => expectedSummary(store, { through }), { description: 'the store to show the appended events' });
}

async function viewTarget(pool: Pool, view: string): Promise<string> {
  const { rows } = await pool.query<{ definition: string }>(`SELECT pg_get_viewdef($1::regclass) AS definition`, [view]);
  return rows[0]!.definition;
}

describe('rebuildProjection', () => {
  it('builds a new version beside the live one that is identical to it, catching the last events in the switch', async () => {
    const store = await newStore();
    const first = await appendCustomerEvents(store, 80, 800);
    const projection = customerSummary('identical');
    const live = runner({ store, projection, batchSize: 100 });
    await live.start();
    await reached(projection.name, first);

    let lastDuringSwitch: Position | undefined;
    const result = await live.rebuild({
      batchSize: 64,
      keepReplacedVersion: true,
      // The build has stopped at the head; the live version moves on before the switch, which must catch up.
      beforeSwitch: async () => {
        lastDuringSwitch = await appendCustomerEvents(store, 10, 30);
        await reached(projection.name, lastDuringSwitch);
      },
    });

    expect(result).toMatchObject({ projection: projection.name, version: 2, replaced: 1, appliedInSwitch: 30 });
    expect(result.position).toEqual(lastDuringSwitch);
    const oldRows = await summaryRows(db.pool, `${projection.name}_v1.customer_summary`);
    expect(await summaryRows(db.pool, `${projection.name}_v2.customer_summary`)).toEqual(oldRows);
    expect(oldRows).toEqual(await expected(store, lastDuringSwitch!));
    expect(await viewTarget(db.pool, viewOf(projection))).toContain(`${projection.name}_v2.customer_summary`);
    expect((await listVersions(db.pool, projection.name)).map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'live'],
    ]);

    // The live runner lost its version in the switch and follows the new one by itself.
    const after = await appendCustomerEvents(store, 5, 20);
    await reached(projection.name, after);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, after));
    expect(live.status()).toMatchObject({ state: 'live', version: 2 });
  });

  it('readers querying the view during a rebuild under load never see an error, an empty result or a step back', async () => {
    const store = await newStore();
    await appendCustomerEvents(store, 100, 1000);
    const projection = customerSummary('readers');
    const live = runner({ store, projection, batchSize: 100 });
    await live.start();
    await live.caughtUp();
    await waitFor(async () => (await summaryRows(db.pool, viewOf(projection))).length > 0, { description: 'rows to read' });

    let running = true;
    const errors: unknown[] = [];
    const reads: Array<{ count: number; min: number; last: number; steppedBack: boolean }> = [];
    const reader = async (index: number) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const seen = { count: 0, min: Number.POSITIVE_INFINITY, last: 0, steppedBack: false };
      reads[index] = seen;
      try {
        while (running) {
          try {
            const { rows } = await client.query<{ events: number }>(`SELECT coalesce(sum(events), 0)::int AS events FROM ${viewOf(projection)}`);
            const events = rows[0]!.events;
            seen.steppedBack ||= events < seen.last;
            seen.min = Math.min(seen.min, events);
            seen.last = events;
            seen.count += 1;
          } catch (error) {
            errors.push(error);
          }
        }
      } finally {
        await client.end();
      }
    };
    let last: Position | undefined;
    // Appends while the rebuild runs (a bounded amount: on two busy cores an unbounded writer can outpace the build).
    const writer = async () => {
      for (let round = 0; running && round < 60; round++) last = await appendCustomerEvents(store, 3, 9);
    };
    const load = [reader(0), reader(1), writer()];

    const result = await rebuildProjection({ pool: db.pool, store, projection, batchSize: 50, batchWindowMs: 5 });
    const afterSwitch = reads.map((r) => r.count);
    await waitFor(() => reads.every((r, i) => r.count > afterSwitch[i]!) && live.status().version === 2, { description: 'reads after the switch' });
    running = false;
    await Promise.all(load);

    expect(errors).toEqual([]);
    expect(result).toMatchObject({ version: 2, replaced: 1 });
    for (const seen of reads) {
      expect(seen.count).toBeGreaterThan(10);
      expect(seen.min).toBeGreaterThan(0);
      // Never back in time: the new version was at least as far as the old one when readers moved to it.
      expect(seen.steppedBack).toBe(false);
    }
    const { rows } = await db.pool.query(`SELECT to_regnamespace($1) AS old`, [`${projection.name}_v1`]);
    expect(rows[0].old).toBeNull(); // the replaced version was dropped
    await reached(projection.name, last!);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, last!));
  });

  it('refuses a second rebuild of the same projection while one runs', async () => {
    const store = await newStore();
    await appendCustomerEvents(store, 5, 20);
    const projection = customerSummary('one_at_a_time');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let building = false;
    const first = rebuildProjection({
      pool: db.pool,
      store,
      projection,
      beforeSwitch: async () => {
        building = true;
        await held;
      },
    });
    await waitFor(() => building, { description: 'the first rebuild to finish building' });
    await expect(rebuildProjection({ pool: db.pool, store, projection })).rejects.toBeInstanceOf(RebuildInProgressError);
    release();
    await expect(first).resolves.toMatchObject({ version: 1, replaced: null });
  });

  it('an interrupted rebuild leaves its version building, and the next rebuild resumes it from its checkpoint', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 30, 300);
    const projection = customerSummary('resumed');
    const live = runner({ store, projection });
    await live.start();
    await reached(projection.name, last);

    const abort = new AbortController();
    let batches = 0;
    await expect(
      rebuildProjection({
        pool: db.pool,
        store,
        projection,
        batchSize: 50,
        signal: abort.signal,
        beforeCheckpoint: (_tx, batch) => {
          if (batch.version === 2 && ++batches === 2) abort.abort(new Error('shutting down'));
        },
      }),
    ).rejects.toThrow('shutting down');
    const interrupted = (await listVersions(db.pool, projection.name)).find((v) => v.status === 'building');
    expect(interrupted?.version).toBe(2);
    expect(comparePositions(interrupted!.position, last)).toBeLessThan(0);

    const result = await rebuildProjection({ pool: db.pool, store, projection, batchSize: 50 });
    expect(result).toMatchObject({ version: 2, replaced: 1 });
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, last));
  });

  it('a new definition version rebuilds into new tables before going live; the older process stands aside', async () => {
    const store = await newStore();
    const first = await appendCustomerEvents(store, 20, 200);
    const v1 = customerSummary('versions');
    const old = runner({ store, projection: v1 });
    await old.start();
    await reached(v1.name, first);
    await db.pool.query(`CREATE ROLE ${role} NOLOGIN`);
    await db.pool.query(`GRANT USAGE ON SCHEMA ${v1.name}_read TO ${role}`);
    await db.pool.query(`GRANT SELECT ON ${viewOf(v1)} TO ${role}`);

    // Version 2 drops a column and adds one: the view cannot be replaced in place and is recreated.
    const v2 = defineProjection<'customer_summary', CustomerEvent>({
      ...v1,
      version: 2,
      createTables: (t) => `CREATE TABLE ${t.customer_summary} (stream_id text PRIMARY KEY, name text, notes integer NOT NULL DEFAULT 0)`,
      handlers: {
        CustomerRegistered: (tx, e, t) => upsertName(tx, t.customer_summary, e.streamId, e.data.name),
        CustomerRenamed: (tx, e, t) => upsertName(tx, t.customer_summary, e.streamId, e.data.name),
        NoteAdded: async (tx, e, t) => {
          await tx.query(`UPDATE ${t.customer_summary} SET notes = notes + 1 WHERE stream_id = $1`, [e.streamId]);
        },
      },
    });
    const next = runner({ store, projection: v2, batchSize: 50 });
    await next.start();
    await next.caughtUp();

    // The old runner's next batch finds its version retired, and a newer definition live.
    const more = await appendCustomerEvents(store, 5, 25);
    await reached(v2.name, more);
    await waitFor(() => old.status().state === 'superseded', { description: 'the old runner to stand aside' });
    const expectedRows = (await expected(store, more)).map((r) => r.stream_id);
    const { rows } = await db.pool.query<{ stream_id: string; notes: number }>(`SELECT stream_id, notes FROM ${viewOf(v2)} ORDER BY stream_id COLLATE "C"`);
    expect(rows.map((r) => r.stream_id)).toEqual(expectedRows);
    expect(rows.reduce((sum, r) => sum + r.notes, 0)).toBeGreaterThan(0);
    const grant = await db.pool.query(`SELECT has_table_privilege($1, $2, 'SELECT') AS granted`, [role, viewOf(v2)]);
    expect(grant.rows[0].granted).toBe(true);
    expect((await listVersions(db.pool, v2.name)).map((v) => [v.definitionVersion, v.status])).toEqual([[2, 'live']]);
    expect(next.status()).toMatchObject({ state: 'live', version: 2 });
    expect(old.status().state).toBe('superseded');
  });
});

async function upsertName(tx: Pick<Pool, 'query'>, table: string, streamId: string, name: string): Promise<void> {
  await tx.query(`INSERT INTO ${table} (stream_id, name) VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET name = $2`, [streamId, name]);
}
