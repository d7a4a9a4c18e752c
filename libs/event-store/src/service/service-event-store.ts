// A service's connections as it starts them: one pg pool on DATABASE_URL, the event store chosen by EVENT_STORE (its
// schema migrated in PostgreSQL mode), then the service's own migrations, so that nothing gets them unmigrated.
// Framework-free: in Nest, a service provides it and lists serviceDependencyLifecycle (@crm/platform) beside it.
import type { EventSourcedServiceConfig, EventStoreKind } from '@crm/platform';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { EventStoreDbEventStore } from '../eventstoredb';
import { eventStorePoolSettings, PostgresEventStore } from '../postgres';
import type { EventStore } from '../types';

/** The variables of EventSourcedServiceConfig that say where and how to connect. */
export type ServiceEventStoreSettings = Pick<
  EventSourcedServiceConfig,
  'SERVICE_NAME' | 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'EVENT_STORE' | 'EVENTSTORE_CONNECTION_STRING' | 'EVENT_STORE_POLL_MAX_DELAY_MS'
>;

export interface OpenServiceEventStoreOptions {
  /** Where the PostgreSQL store registers its metrics. */
  metricsRegistry?: Registry;
  /** The service's own schema (e.g. migrateSchema of @crm/projections), after the store's. */
  migrate?: (pool: Pool) => Promise<unknown>;
}

export class ServiceEventStore {
  private constructor(
    /** The service's pool: the event store's (PostgreSQL mode), data keys, read models, jobs. */
    readonly pool: Pool,
    /** The store as stored, without a service's decorators (encryption). */
    readonly store: EventStore,
    readonly kind: EventStoreKind,
  ) {}

  static async open(settings: ServiceEventStoreSettings, options: OpenServiceEventStoreOptions = {}): Promise<ServiceEventStore> {
    const pool = new Pool({ connectionString: settings.DATABASE_URL, max: settings.DATABASE_POOL_MAX, application_name: settings.SERVICE_NAME, ...eventStorePoolSettings() });
    pool.on('error', () => undefined); // an idle connection dropped by the server: the pool replaces it
    try {
      let store: EventStore;
      if (settings.EVENT_STORE === 'postgres') {
        const postgres = new PostgresEventStore({ pool, metricsRegistry: options.metricsRegistry, polling: { maxDelayMs: settings.EVENT_STORE_POLL_MAX_DELAY_MS } });
        await postgres.migrate();
        store = postgres;
      } else {
        store = new EventStoreDbEventStore(settings.EVENTSTORE_CONNECTION_STRING ?? '');
      }
      await options.migrate?.(pool);
      return new ServiceEventStore(pool, store, settings.EVENT_STORE);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** For readiness: reachable and readable, the newest event of $all (none, in an empty store, is fine). */
  async probe(): Promise<{ kind: EventStoreKind }> {
    for await (const event of this.store.readAll({ direction: 'backwards', maxCount: 1 })) void event;
    return { kind: this.kind };
  }

  /** The store first (its subscriptions use the pool), then the pool. */
  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}
