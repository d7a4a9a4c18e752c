// The Nest wiring of the sales service's infrastructure: one pool, the event store chosen by EVENT_STORE behind
// the encrypting decorator (lead streams), the lead data keys, the customer directory, migrations before anything
// uses them, health checks, the domain-error mapping, and closing everything on shutdown. Global, so that the
// read side's, the saga's and the reminders' modules can inject what it exports.
import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataKeyring, EncryptingEventStore, EventStoreDbEventStore, MasterKey, PostgresEventStore, type EventStore } from '@crm/event-store';
import { HealthRegistry, METRICS_REGISTRY, PlatformLogger, type Logger } from '@crm/platform';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { SalesConfig } from '../sales.config';
import { PostgresCustomerDirectory } from './customer-directory';
import { SalesErrorsInterceptor } from './http/sales-errors.interceptor';
import { PhoneNormaliser } from './http/phone-normaliser';
import { isLeadStream, leadDataKeyring, LeadEventCodec, salesMasterKey } from './lead-data-keys';
import { migrateSalesSchema } from './migrations';
import { SalesCommands } from './sales-commands';
import { CUSTOMER_DIRECTORY, SALES_EVENT_STORE, SALES_POOL, STORED_EVENT_STORE } from './tokens';

/** The pool, migrated: the event store's schema (PostgreSQL mode) and `sales`. Async, so nothing gets it unmigrated. */
async function createConnections(config: SalesConfig, registry: Registry): Promise<{ pool: Pool; store: EventStore }> {
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
    await migrateSalesSchema(pool);
    return { pool, store };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

const CONNECTIONS = Symbol('CONNECTIONS');
type Connections = Awaited<ReturnType<typeof createConnections>>;

const providers: Provider[] = [
  { provide: CONNECTIONS, useFactory: createConnections, inject: [SalesConfig, METRICS_REGISTRY] },
  { provide: SALES_POOL, useFactory: (c: Connections) => c.pool, inject: [CONNECTIONS] },
  { provide: STORED_EVENT_STORE, useFactory: (c: Connections) => c.store, inject: [CONNECTIONS] },
  { provide: MasterKey, useFactory: (config: SalesConfig) => salesMasterKey(config.SALES_MASTER_KEY), inject: [SalesConfig] },
  {
    provide: DataKeyring,
    useFactory: (pool: Pool, masterKey: MasterKey, config: SalesConfig) =>
      leadDataKeyring(pool, masterKey, { cacheSize: config.DATA_KEY_CACHE_SIZE, cacheTtlMs: config.DATA_KEY_CACHE_TTL_MS }),
    inject: [SALES_POOL, MasterKey, SalesConfig],
  },
  { provide: LeadEventCodec, useFactory: (keys: DataKeyring) => new LeadEventCodec(keys), inject: [DataKeyring] },
  {
    provide: SALES_EVENT_STORE,
    useFactory: (store: EventStore, codec: LeadEventCodec) => new EncryptingEventStore(store, codec, isLeadStream),
    inject: [STORED_EVENT_STORE, LeadEventCodec],
  },
  { provide: SalesCommands, useFactory: (store: EventStore, keys: DataKeyring) => new SalesCommands(store, keys), inject: [SALES_EVENT_STORE, DataKeyring] },
  { provide: CUSTOMER_DIRECTORY, useFactory: (pool: Pool) => new PostgresCustomerDirectory(pool), inject: [SALES_POOL] },
  { provide: PhoneNormaliser, useFactory: (config: SalesConfig) => new PhoneNormaliser(config.DEFAULT_PHONE_REGION), inject: [SalesConfig] },
];

const exported = [SALES_POOL, STORED_EVENT_STORE, SALES_EVENT_STORE, MasterKey, DataKeyring, LeadEventCodec, SalesCommands, CUSTOMER_DIRECTORY, PhoneNormaliser];

/** Health checks, and the connections closed last: after the read side, saga and reminders have stopped. */
@Injectable()
class SalesInfrastructureLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly log: Logger;

  constructor(
    @Inject(CONNECTIONS) private readonly connections: Connections,
    private readonly health: HealthRegistry,
    private readonly config: SalesConfig,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext('SalesInfrastructure');
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
  providers: [...providers, SalesInfrastructureLifecycle, { provide: APP_INTERCEPTOR, useClass: SalesErrorsInterceptor }],
  exports: exported,
})
export class SalesInfrastructureModule {}
