// The Nest wiring of the customers service's infrastructure: one pool, the event store chosen by EVENT_STORE
// behind the encrypting decorator, the data keys, the duplicate lookup, migrations before anything uses them,
// health checks, the domain-error mapping, and closing everything on shutdown. Global, so that the read side's
// modules can inject what it exports.
import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataKeyring, EncryptingEventStore, EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@crm/event-store';
import { HealthRegistry, MapErrorsInterceptor, METRICS_REGISTRY, PlatformLogger, type Logger } from '@crm/platform';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { CustomersConfig } from '../customers.config';
import { masterKeyContactHasher, type ContactHasher } from './contact-index.projection';
import { MasterKey } from './crypto/master-key';
import { CustomerCommands } from './customer-commands';
import { CustomerEventCodec } from './customer-event-codec';
import { isCustomerStream } from './customer-streams';
import { customerDataKeyring } from './data-keys';
import { PostgresDuplicateLookup } from './duplicate-lookup';
import { toHttpError } from './http/customer-errors.interceptor';
import { PhoneNormaliser } from './http/profile-mapping';
import { migrateCustomersSchema } from './migrations';
import { CONTACT_HASHER, CUSTOMER_EVENT_STORE, CUSTOMERS_POOL, DUPLICATE_LOOKUP, STORED_EVENT_STORE } from './tokens';

/** The pool, migrated: the event store's schema (PostgreSQL mode) and `customers`. Async, so nothing gets it unmigrated. */
async function createPool(config: CustomersConfig, registry: Registry): Promise<{ pool: Pool; store: EventStore }> {
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, application_name: config.SERVICE_NAME });
  pool.on('error', () => undefined); // an idle connection dropped by the server: the pool replaces it
  try {
    let store: EventStore;
    if (config.EVENT_STORE === 'postgres') {
      const postgres = new PostgresEventStore({ pool, metricsRegistry: registry, polling: { maxDelayMs: config.EVENT_STORE_POLL_MAX_DELAY_MS } });
      await postgres.migrate();
      store = postgres;
    } else {
      store = new EventStoreDbEventStore(config.EVENTSTORE_CONNECTION_STRING ?? '');
    }
    await migrateCustomersSchema(pool);
    return { pool, store };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

const CONNECTIONS = Symbol('CONNECTIONS');
type Connections = Awaited<ReturnType<typeof createPool>>;

const providers: Provider[] = [
  { provide: CONNECTIONS, useFactory: createPool, inject: [CustomersConfig, METRICS_REGISTRY] },
  { provide: CUSTOMERS_POOL, useFactory: (c: Connections) => c.pool, inject: [CONNECTIONS] },
  { provide: STORED_EVENT_STORE, useFactory: (c: Connections) => c.store, inject: [CONNECTIONS] },
  { provide: MasterKey, useFactory: (config: CustomersConfig) => MasterKey.fromBase64(config.CUSTOMERS_MASTER_KEY), inject: [CustomersConfig] },
  {
    provide: DataKeyring,
    useFactory: (pool: Pool, masterKey: MasterKey, config: CustomersConfig) =>
      customerDataKeyring(pool, masterKey, { cacheSize: config.DATA_KEY_CACHE_SIZE, cacheTtlMs: config.DATA_KEY_CACHE_TTL_MS }),
    inject: [CUSTOMERS_POOL, MasterKey, CustomersConfig],
  },
  { provide: CustomerEventCodec, useFactory: (keys: DataKeyring) => new CustomerEventCodec(keys), inject: [DataKeyring] },
  {
    provide: CUSTOMER_EVENT_STORE,
    useFactory: (store: EventStore, codec: CustomerEventCodec) => new EncryptingEventStore(store, codec, isCustomerStream),
    inject: [STORED_EVENT_STORE, CustomerEventCodec],
  },
  { provide: CustomerCommands, useFactory: (store: EventStore) => new CustomerCommands(store), inject: [CUSTOMER_EVENT_STORE] },
  { provide: CONTACT_HASHER, useFactory: masterKeyContactHasher, inject: [MasterKey] },
  {
    provide: DUPLICATE_LOOKUP,
    useFactory: (pool: Pool, hasher: ContactHasher) => new PostgresDuplicateLookup(pool, hasher),
    inject: [CUSTOMERS_POOL, CONTACT_HASHER],
  },
  { provide: PhoneNormaliser, useFactory: (config: CustomersConfig) => new PhoneNormaliser(config.DEFAULT_PHONE_REGION), inject: [CustomersConfig] },
];

const exported = [
  CUSTOMERS_POOL,
  STORED_EVENT_STORE,
  CUSTOMER_EVENT_STORE,
  MasterKey,
  DataKeyring,
  CustomerEventCodec,
  CustomerCommands,
  CONTACT_HASHER,
  DUPLICATE_LOOKUP,
  PhoneNormaliser,
];

/** Health checks, and the connections closed last: after the read side has stopped (its onModuleDestroy). */
@Injectable()
class CustomersInfrastructureLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly log: Logger;

  constructor(
    @Inject(CONNECTIONS) private readonly connections: Connections,
    private readonly health: HealthRegistry,
    private readonly config: CustomersConfig,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext('CustomersInfrastructure');
  }

  onModuleInit(): void {
    const { store } = this.connections;
    // Reachable and readable: the newest event of $all (none in an empty store is fine).
    this.health.register(
      'event-store',
      async () => {
        for await (const event of store.readAll({ direction: 'backwards', maxCount: 1 })) void event;
        return { kind: this.config.EVENT_STORE };
      },
      { timeoutMs: 1_500 },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.health.unregister('event-store');
    await this.connections.store.close();
    await this.connections.pool.end();
    this.log.info('event store and database pool closed');
  }
}

@Global()
@Module({
  providers: [...providers, CustomersInfrastructureLifecycle, { provide: APP_INTERCEPTOR, useValue: new MapErrorsInterceptor(toHttpError) }],
  exports: exported,
})
export class CustomersInfrastructureModule {}
