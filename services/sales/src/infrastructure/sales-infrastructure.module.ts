// The Nest wiring of the sales service's infrastructure: one pool, the event store chosen by EVENT_STORE behind
// the encrypting decorator (lead streams), the lead data keys, the customer directory, migrations before anything
// uses them, health checks, the domain-error mapping, and closing everything on shutdown. Global, so that the
// read side's, the saga's and the reminders' modules can inject what it exports.
import { Global, Module, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataKeyring, EncryptingEventStore, MasterKey, ServiceEventStore, type EventStore } from '@crm/event-store';
import { MapErrorsInterceptor, METRICS_REGISTRY, PhoneNormaliser, serviceDependencyLifecycle } from '@crm/platform';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { SalesConfig } from '../sales.config';
import { PostgresCustomerDirectory } from './customer-directory';
import { toHttpError } from './http/sales-errors.interceptor';
import { isLeadStream, leadDataKeyring, LeadEventCodec, salesMasterKey } from './lead-data-keys';
import { migrateSalesSchema } from './migrations';
import { SalesCommands } from './sales-commands';
import { CUSTOMER_DIRECTORY, SALES_EVENT_STORE, SALES_POOL, STORED_EVENT_STORE } from './tokens';

const CONNECTIONS = Symbol('CONNECTIONS');

/** The pool and the store, migrated (the store's schema in PostgreSQL mode, then `sales`) before anything gets them. */
const openConnections = (config: SalesConfig, registry: Registry): Promise<ServiceEventStore> =>
  ServiceEventStore.open(config, { metricsRegistry: registry, migrate: migrateSalesSchema });

const providers: Provider[] = [
  { provide: CONNECTIONS, useFactory: openConnections, inject: [SalesConfig, METRICS_REGISTRY] },
  { provide: SALES_POOL, useFactory: (c: ServiceEventStore) => c.pool, inject: [CONNECTIONS] },
  { provide: STORED_EVENT_STORE, useFactory: (c: ServiceEventStore) => c.store, inject: [CONNECTIONS] },
  // Health check, and the connections closed last: after the read side, saga and reminders have stopped.
  serviceDependencyLifecycle(CONNECTIONS, { healthCheck: 'event-store', logContext: 'SalesInfrastructure', closedMessage: 'event store and database pool closed' }),
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

@Global()
@Module({
  providers: [...providers, { provide: APP_INTERCEPTOR, useValue: new MapErrorsInterceptor(toHttpError) }],
  exports: exported,
})
export class SalesInfrastructureModule {}
