export { eventStorePoolSettings, PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { migrateEventStore, DEFAULT_SCHEMA, type MigrateOptions, type MigrateResult } from './migrate';
export { oldestTransactionAgeSeconds } from './metrics';
