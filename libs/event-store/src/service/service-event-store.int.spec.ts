// A service's connections on the real PostgreSQL: the store's schema and the service's own migrated before it gets
// them, readiness from the store, everything closed; a failed migration leaves no pool behind.
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ServiceEventStore, type ServiceEventStoreSettings } from './service-event-store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('service_event_store');
});
afterAll(() => db?.drop());

const settings = (): ServiceEventStoreSettings => ({
  SERVICE_NAME: 'notes',
  DATABASE_URL: db.url,
  DATABASE_POOL_MAX: 3,
  EVENT_STORE: 'postgres',
  EVENT_STORE_POLL_MAX_DELAY_MS: 25,
});

describe('ServiceEventStore', () => {
  it('migrates the event store, then the service, and gives a pool and a store that work', async () => {
    let storeTableWhenMigrating: string | null | undefined;
    const connections = await ServiceEventStore.open(settings(), {
      migrate: async (pool: Pool) => {
        const { rows } = await pool.query<{ store: string | null }>(`SELECT to_regclass('event_store.events')::text AS store`);
        storeTableWhenMigrating = rows[0]!.store;
      },
    });
    try {
      expect(storeTableWhenMigrating).toBe('event_store.events');
      expect(await connections.probe()).toEqual({ kind: 'postgres' });
      await connections.store.appendToStream(`note-${randomUUID()}`, [{ id: randomUUID(), type: 'NoteTaken', data: {}, metadata: {} }]);
      expect(await connections.probe()).toEqual({ kind: 'postgres' });
      const { rows } = await connections.pool.query<{ name: string }>('SELECT current_setting($1) AS name', ['application_name']);
      expect(rows[0]!.name).toBe('notes');
    } finally {
      await connections.close();
    }
    expect(connections.pool.ended).toBe(true);
  });

  it("ends the pool when the service's migration fails", async () => {
    let pool: Pool | undefined;
    const failing = async (given: Pool): Promise<void> => {
      pool = given;
      throw new Error('migration 3 failed');
    };
    await expect(ServiceEventStore.open(settings(), { migrate: failing })).rejects.toThrow('migration 3 failed');
    expect(pool?.ended).toBe(true);
  });
});
