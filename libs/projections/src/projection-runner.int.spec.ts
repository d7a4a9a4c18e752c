// The projection runner on the real PostgreSQL event store: batches with the checkpoint in the same
// transaction, crashes between rows and checkpoint, two runners on one checkpoint, filtered events, lag.
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { NestFactory } from '@nestjs/core';
import { comparePositions, PostgresEventStore, START, type Position } from '@crm/event-store';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import {
  appendCustomerEvents,
  appendInvoiceEvents,
  customerSummary,
  customerSummaryBatched,
  customerSummaryPlanned,
  expectedSummary,
  summaryRows,
  viewOf,
} from './__fixtures__/customer-summary';
import { CATALOG_SCHEMA, installProjection } from './catalog';
import { createProjectionHandler } from './consumer-feed';
import { registerProjectionStatusGauges } from './metrics';
import { ProjectionsModule, ProjectionsService } from './nest/projections.module';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { projectionStatus } from './status';

let db: TestDatabase;
const stores: PostgresEventStore[] = [];
const runners: ProjectionRunner[] = [];

beforeAll(async () => {
  db = await createTestDatabase('projections');
  // drop() ends the pool without waiting for its connections to close, then terminates them: ignore that.
  db.pool.on('error', () => undefined);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await db.drop();
});

/** Each test gets its own store schema, so `$all` holds only its events. */
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
  const r = new ProjectionRunner({ pool: db.pool, batchWindowMs: 5, retry: { minDelayMs: 20, maxDelayMs: 200 }, ...options });
  runners.push(r);
  return r;
}

async function checkpointOf(name: string): Promise<Position> {
  const { rows } = await db.pool.query<{ commit: string; prepare: string }>(
    `SELECT commit::text, prepare::text FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND status = 'live'`,
    [name],
  );
  return { commit: BigInt(rows[0]!.commit), prepare: BigInt(rows[0]!.prepare) };
}

/** One clean pass over the store, once a read shows `through` (an open transaction anywhere holds `$all` back). */
function expected(store: PostgresEventStore, range: Parameters<typeof expectedSummary>[1]) {
  return waitFor(() => expectedSummary(store, range), { description: 'the store to show the appended events' });
}

function reached(name: string, position: Position) {
  return waitFor(async () => comparePositions(await checkpointOf(name), position) >= 0, { description: `${name} to reach ${position.commit}/${position.prepare}` });
}

async function nthHandledEvent(store: PostgresEventStore, n: number) {
  let i = 0;
  for await (const e of store.readAll()) if (e.streamId.startsWith('customer-') && ++i === n) return e;
  throw new Error(`fewer than ${n} events`);
}

describe('ProjectionRunner', () => {
  it('projects every handled event once, in batches, and keeps following the store', async () => {
    const store = await newStore();
    const lastCustomer = await appendCustomerEvents(store, 60, 600);
    await appendInvoiceEvents(store, 20);
    const registry = new Registry();
    const projection = customerSummary('clean_pass');
    const r = runner({ store, projection, batchSize: 100, metricsRegistry: registry });

    await r.start();
    await r.caughtUp();
    await reached(projection.name, lastCustomer);

    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: lastCustomer }));
    const batches = (await registry.getSingleMetricAsString('crm_projection_batches_total')).match(/result="committed"} (\d+)/);
    expect(Number(batches?.[1])).toBeLessThanOrEqual(12); // 600 events, batches of up to 100
    expect(r.status()).toMatchObject({ state: 'live', version: 1, eventsApplied: 600, lastError: null });

    const more = await appendCustomerEvents(store, 10, 50);
    await reached(projection.name, more);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: more }));
  });

  it('a set-based applyBatch leaves the same rows as the handlers one event at a time', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 40, 400);
    const perEvent = customerSummary('per_event');
    const batched = customerSummaryBatched('batched');
    await Promise.all([runner({ store, projection: perEvent, batchSize: 64 }).start(), runner({ store, projection: batched, batchSize: 64 }).start()]);
    await Promise.all([reached(perEvent.name, last), reached(batched.name, last)]);

    const rows = await summaryRows(db.pool, viewOf(batched));
    expect(rows).toEqual(await summaryRows(db.pool, viewOf(perEvent)));
    expect(rows).toEqual(await expected(store, { through: last }));
  });

  it('a planned batch (reads outside, writes and checkpoint in one statement) leaves the rows the handlers leave', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 40, 400);
    const perEvent = customerSummary('per_event_p');
    const planned = customerSummaryPlanned('planned');
    const registry = new Registry();
    await Promise.all([
      runner({ store, projection: perEvent, batchSize: 64 }).start(),
      runner({ store, projection: planned, batchSize: 64, metricsRegistry: registry }).start(),
    ]);
    await Promise.all([reached(perEvent.name, last), reached(planned.name, last)]);

    const rows = await summaryRows(db.pool, viewOf(planned));
    expect(rows).toEqual(await summaryRows(db.pool, viewOf(perEvent)));
    expect(rows).toEqual(await expected(store, { through: last }));
    expect(await registry.getSingleMetricAsString('crm_projection_events_applied_total')).toMatch(/ 400$/m);

    const more = await appendCustomerEvents(store, 10, 50); // live, batch after batch reading what the last wrote
    await reached(planned.name, more);
    expect(await summaryRows(db.pool, viewOf(planned))).toEqual(await expected(store, { through: more }));
  });

  it('a planned batch whose write fails leaves neither rows nor checkpoint behind; the restart equals one clean pass', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 30, 300);
    const poison = await waitFor(() => nthHandledEvent(store, 150), { description: 'the 150th event' });
    let failing = true;
    const projection = customerSummaryPlanned('planned_crash', { poisonId: () => poison.id, failWhile: () => failing });
    const r = runner({ store, projection, batchSize: 40 });

    await r.start();
    await waitFor(() => r.status().lastError !== null, { description: 'the poisoned batch to fail' });
    expect(String(r.status().lastError)).toMatch(/division by zero/);
    const stuckAt = await checkpointOf(projection.name);
    expect(comparePositions(stuckAt, poison.position)).toBeLessThan(0); // the batch with the poison did not commit
    const { rows } = await db.pool.query<{ n: string }>(`SELECT sum(events)::text AS n FROM ${viewOf(projection)}`);
    expect(Number(rows[0]?.n ?? 0)).toBeLessThan(150); // nor did any of its rows

    failing = false;
    await reached(projection.name, last);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
  });

  it('a failure after the rows are written rolls back rows and checkpoint; the restart equals one clean pass', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 30, 300);
    const poison = await waitFor(() => nthHandledEvent(store, 150), { description: 'the 150th event' });
    const projection = customerSummary('crash_hook');
    let failing = true;
    let rowsWrittenBeforeFailure = false;
    const r = runner({
      store,
      projection,
      batchSize: 40,
      beforeCheckpoint: async (tx, batch) => {
        if (!failing || !batch.events.some((e) => e.id === poison.id)) return;
        const { rows } = await tx.query<{ events: number }>(`SELECT coalesce(sum(events), 0)::int AS events FROM ${viewOf(projection)}`);
        rowsWrittenBeforeFailure = rows[0]!.events > 0;
        throw new Error('injected crash between rows and checkpoint');
      },
    });

    await r.start();
    await waitFor(() => r.status().lastError?.includes('injected crash'), { description: 'the injected failure' });

    // Rolled back together: the checkpoint is before the failing batch and the rows match it exactly.
    expect(rowsWrittenBeforeFailure).toBe(true);
    const checkpoint = await checkpointOf(projection.name);
    expect(comparePositions(checkpoint, poison.position)).toBeLessThan(0);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: checkpoint, upTo: checkpoint }));

    failing = false;
    await reached(projection.name, last);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
  });

  it('a connection killed between the rows and the checkpoint rolls both back', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 20, 200);
    const victim = await waitFor(() => nthHandledEvent(store, 120), { description: 'the 120th event' });
    const projection = customerSummary('crash_kill');
    let seen: { checkpoint: Position; rows: unknown } | undefined;
    const r = runner({
      store,
      projection,
      batchSize: 50,
      beforeCheckpoint: async (tx, batch) => {
        if (seen || !batch.events.some((e) => e.id === victim.id)) return;
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
        await waitFor(async () => (await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, {
          description: 'the backend to exit',
        });
        seen = { checkpoint: await checkpointOf(projection.name), rows: await summaryRows(db.pool, viewOf(projection)) };
      },
    });

    await r.start();
    await reached(projection.name, last);

    expect(seen).toBeDefined();
    expect(comparePositions(seen!.checkpoint, victim.position)).toBeLessThan(0);
    expect(seen!.rows).toEqual(await expected(store, { through: seen!.checkpoint, upTo: seen!.checkpoint }));
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
  });

  it.each([
    ['handlers', () => customerSummary('two_runners')],
    ['a planned projection, the compare-and-swap inside apply_batch', () => customerSummaryPlanned('two_runners_planned')],
  ])('two runners on one projection apply every event once (compare-and-swap on the checkpoint): %s', async (_, define) => {
    const store = await newStore();
    await appendCustomerEvents(store, 50, 500);
    const projection = define();
    const registry = new Registry();
    const a = runner({ store, projection, batchSize: 20, metricsRegistry: registry });
    const b = runner({ store, projection, batchSize: 20, metricsRegistry: registry });

    await Promise.all([a.start(), b.start()]);
    const last = await appendCustomerEvents(store, 20, 200);
    await reached(projection.name, last);

    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
    const committed = [...(await registry.getSingleMetricAsString('crm_projection_events_applied_total')).matchAll(/ (\d+)$/gm)];
    expect(Number(committed[0]?.[1])).toBeGreaterThanOrEqual(700); // together; more would be re-application: the rows say it was not
  });

  it('a second runner that overlaps a batch finds the checkpoint moved, rolls back and restarts from it without applying anything', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 10, 100);
    const projection = customerSummary('cas');
    const secondMetrics = new Registry();
    let second: ProjectionRunner | undefined;
    const first = runner({
      store,
      projection,
      batchSize: 50,
      beforeCheckpoint: async () => {
        if (second) return;
        // The first batch holds its rows, its checkpoint not yet moved: a second runner starts from the same
        // checkpoint, applies the same events and blocks on those rows.
        second = runner({ store, projection, batchSize: 50, metricsRegistry: secondMetrics });
        await second.start();
        await waitFor(
          async () =>
            (await db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND backend_type = 'client backend'`))
              .rowCount === 1,
          { description: "the second runner to wait for the first batch's rows" },
        );
      },
    });

    await first.start();
    await reached(projection.name, last);

    expect(await secondMetrics.getSingleMetricAsString('crm_projection_batches_total')).toMatch(/result="conflict"} [1-9]/);
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
  });

  it('advances the checkpoint over events the filter skips', async () => {
    const store = await newStore();
    const lastCustomer = await appendCustomerEvents(store, 1, 3);
    const projection = customerSummary('filtered');
    const r = runner({ store, projection, checkpointInterval: 1 });
    await r.start();
    await reached(projection.name, lastCustomer);

    const lastInvoice = await appendInvoiceEvents(store, 20);
    await waitFor(async () => comparePositions(await checkpointOf(projection.name), lastInvoice) === 0, { description: 'checkpoint at the last invoice' });
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: lastInvoice }));
  });

  it('reports position and lag, as a function and as gauges', async () => {
    const store = await newStore();
    const projection = customerSummary('status');
    await installProjection(db.pool, projection);
    await appendCustomerEvents(store, 2, 10);
    const head = await appendInvoiceEvents(store, 5);
    const later = () => new Date(Date.now() + 5_000);

    // Until every transaction older than the appends ends (in any database of the cluster) $all shows less.
    const behind = await waitFor(async () => {
      const status = await projectionStatus({ pool: db.pool, store, projection, now: later });
      return status.head && comparePositions(status.head, head) === 0 && status;
    }, { description: 'the head to show' });
    expect(behind.live).toMatchObject({ version: 1, position: START, lagEvents: 10, lagEventsCapped: false });
    expect(behind.live!.lagSeconds).toBeGreaterThanOrEqual(5);
    const capped = await projectionStatus({ pool: db.pool, store, projection, lagScanLimit: 4 });
    expect(capped.live).toMatchObject({ lagEvents: 4, lagEventsCapped: true });

    const registry = new Registry();
    registerProjectionStatusGauges(registry, async () => [await projectionStatus({ pool: db.pool, store, projection })]);
    expect(await registry.metrics()).toContain('crm_projection_lag_events{projection="status",status="live"} 10');

    const r = runner({ store, projection, checkpointInterval: 1 });
    await r.start();
    await waitFor(async () => comparePositions(await checkpointOf(projection.name), head) === 0, { description: 'caught up' });
    const current = await r.lag();
    expect(current.live).toMatchObject({ position: head, lagEvents: 0, lagSeconds: 0 });
    expect(current.live!.lastEventAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setImmediate(resolve));
    await waitFor(async () => (await registry.metrics()).includes('crm_projection_lag_events{projection="status",status="live"} 0'), {
      description: 'the gauge to drop to 0',
    });
    expect(await registry.metrics()).toContain('crm_projection_lag_seconds{projection="status",status="live"} 0');
  });

  it('applies events from a Kafka consumer inside its transaction, without a checkpoint', async () => {
    const projection = customerSummary('from_kafka');
    const handler = await createProjectionHandler(db.pool, projection);
    expect(handler.eventTypes).toEqual(['CustomerRegistered', 'CustomerRenamed', 'NoteAdded']);
    const consumed = (id: string, type: string, data: unknown, revision: bigint) => ({
      id,
      type,
      subject: 'customer-42',
      time: '2025-01-02T03:04:05.000Z',
      data,
      revision,
      correlationId: 'c-1',
      causationId: null,
    });
    const inTransaction = async (work: (tx: import('pg').PoolClient) => Promise<void>) => {
      const tx = await db.pool.connect();
      try {
        await tx.query('BEGIN');
        await work(tx);
        await tx.query('COMMIT');
      } catch (error) {
        await tx.query('ROLLBACK');
        throw error;
      } finally {
        tx.release();
      }
    };

    await inTransaction(async (tx) => {
      await handler.consumerHandler(consumed('e1', 'CustomerRegistered', { name: 'Ada' }, 0n), tx);
      await handler.consumerHandler(consumed('e2', 'NoteAdded', { text: 'hi' }, 1n), tx);
    });
    // The consumer's transaction fails after the handler ran: nothing of it stays.
    await expect(
      inTransaction(async (tx) => {
        await handler.consumerHandler(consumed('e3', 'CustomerRenamed', { name: 'Ada L.' }, 2n), tx);
        throw new Error('dedup insert failed');
      }),
    ).rejects.toThrow('dedup insert failed');

    expect(await summaryRows(db.pool, viewOf(projection))).toEqual([{ stream_id: 'customer-42', name: 'Ada', events: 2, last_revision: '1' }]);
    expect(await checkpointOf(projection.name)).toEqual(START);
  });

  it('starts with the Nest application and commits and stops with it', async () => {
    const store = await newStore();
    const last = await appendCustomerEvents(store, 5, 40);
    const projection = customerSummary('nest');
    const app = await NestFactory.createApplicationContext(
      ProjectionsModule.forRootAsync({ useFactory: () => ({ pool: db.pool, store, projections: [projection], batching: { batchWindowMs: 5 } }) }),
      { logger: false },
    );
    await app.init();
    const service = app.get(ProjectionsService);
    await reached(projection.name, last);
    expect(service.status()[0]?.state).toBe('live');
    expect(await summaryRows(db.pool, viewOf(projection))).toEqual(await expected(store, { through: last }));
    await app.close();
    expect(service.status()[0]?.state).toBe('stopped');
  });
});
