// The Nest wiring of the customers service's infrastructure: one pool, the event store chosen by EVENT_STORE
// behind the encrypting decorator, the data keys, the duplicate lookup, migrations before anything uses them,
// health checks, the domain-error mapping, and closing everything on shutdown. Global, so that the read side's
// modules can inject what it exports.
import { Global, Module, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataKeyring, EncryptingEventStore, ServiceEventStore, type EventStore } from '@crm/event-store';
import { MapErrorsInterceptor, METRICS_REGISTRY, serviceDependencyLifecycle } from '@crm/platform';
import type { Pool } from 'pg';
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

const CONNECTIONS = Symbol('CONNECTIONS');

/** The pool and the store, migrated (the store's schema in PostgreSQL mode, then `customers`) before anything gets them. */
const openConnections = (config: CustomersConfig, registry: Registry): Promise<ServiceEventStore> =>
  ServiceEventStore.open(config, { metricsRegistry: registry, migrate: migrateCustomersSchema });

const providers: Provider[] = [
  { provide: CONNECTIONS, useFactory: openConnections, inject: [CustomersConfig, METRICS_REGISTRY] },
  { provide: CUSTOMERS_POOL, useFactory: (c: ServiceEventStore) => c.pool, inject: [CONNECTIONS] },
  { provide: STORED_EVENT_STORE, useFactory: (c: ServiceEventStore) => c.store, inject: [CONNECTIONS] },
  // Health check, and the connections closed last: after the read side has stopped (its onModuleDestroy).
  serviceDependencyLifecycle(CONNECTIONS, { healthCheck: 'event-store', logContext: 'CustomersInfrastructure', closedMessage: 'event store and database pool closed' }),
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

@Global()
@Module({
  providers: [...providers, { provide: APP_INTERCEPTOR, useValue: new MapErrorsInterceptor(toHttpError) }],
  exports: exported,
})
export class CustomersInfrastructureModule {}
