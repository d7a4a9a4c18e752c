// The sales read side without Nest, for int specs: a fresh database, the PostgreSQL event store, the projections'
// runners, a way to wait until they have applied everything written, and a redelivery of every event.
import { comparePositions, PostgresEventStore } from '@crm/event-store';
import { applyEvents, listVersions, matchesFilter, ProjectionRunner, subscriptionFilterOf, tableNamesOf, type ProjectionDefinition, type ProjectionEvent } from '@crm/projections';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { ensureReadSchema, salesProjections } from '../sales-projections';
import { SalesWriter } from './sales-writer';

export interface ReadModelKit {
  db: TestDatabase;
  store: PostgresEventStore;
  write: SalesWriter;
  runners: ProjectionRunner[];
  /** Resolves once every projection has applied every event written so far. */
  settled(): Promise<void>;
  /** Rows of a read-schema view (`sales.<table>`), every column, in a stable order. */
  rows(table: string, orderBy: string): Promise<Record<string, unknown>[]>;
  /** Applies every event of the store to the projection's live tables again, as a redelivery would. */
  redeliver(projection: ProjectionDefinition): Promise<number>;
  close(): Promise<void>;
}

export async function startReadModelKit(label: string, projections: readonly ProjectionDefinition[] = salesProjections()): Promise<ReadModelKit> {
  const db = await createTestDatabase(label);
  const store = await PostgresEventStore.create({ connectionString: db.url, poolConfig: { max: 4 }, polling: { minDelayMs: 5, maxDelayMs: 25 } });
  const write = new SalesWriter(store);
  const runners = projections.map(
    (projection) => new ProjectionRunner({ pool: db.pool, store, projection, batchWindowMs: 5, retry: { minDelayMs: 20, maxDelayMs: 200 } }),
  );
  try {
    await ensureReadSchema(db.pool);
    await Promise.all(runners.map((runner) => runner.start()));
  } catch (error) {
    await Promise.all(runners.map((runner) => runner.stop()));
    await store.close();
    await db.drop();
    throw error;
  }

  async function settled(): Promise<void> {
    const target = write.lastPosition;
    for (const runner of runners) {
      await waitFor(
        async () => {
          const { head, live } = await runner.lag();
          return head !== null && comparePositions(head, target) >= 0 && live?.lagEvents === 0;
        },
        { description: `${runner.name} to apply every event written`, intervalMs: 20, timeoutMs: 30_000 },
      );
    }
  }

  async function redeliver(projection: ProjectionDefinition): Promise<number> {
    const live = (await listVersions(db.pool, projection.name)).find((v) => v.status === 'live');
    if (!live) throw new Error(`${projection.name} is not installed`);
    const filter = subscriptionFilterOf(projection);
    const events: ProjectionEvent[] = [];
    for await (const event of store.readAll()) if (matchesFilter(event, filter)) events.push(event);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await applyEvents(client, projection, tableNamesOf(projection, live.version), events);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    return events.length;
  }

  return {
    db,
    store,
    write,
    runners,
    settled,
    rows: async (table, orderBy) => (await db.pool.query<Record<string, unknown>>(`SELECT * FROM sales.${table} ORDER BY ${orderBy}`)).rows,
    redeliver,
    async close() {
      await Promise.all(runners.map((runner) => runner.stop()));
      await store.close();
      await db.drop();
    },
  };
}
