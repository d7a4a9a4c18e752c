// @crm/projections: PostgreSQL read models projected from the event store (or a Kafka consumer), with the
// checkpoint in the same transaction as the rows, blue/green rebuilds and lag status.
export {
  defineProjection,
  applyEvent,
  applyEvents,
  handledTypes,
  runPlannedWrites,
  matchesFilter,
  subscriptionFilterOf,
  type EventShape,
  type ProjectionDefinition,
  type ProjectionEvent,
  type ProjectionEventHandler,
  type ProjectionHandlers,
  type PlannedWrite,
  type Queryable,
  type TableNames,
} from './definition';
export {
  CATALOG_SCHEMA,
  dropVersion,
  installProjection,
  listVersions,
  readSchemaOf,
  tableNamesOf,
  versionSchema,
  type CheckpointRow,
  type VersionStatus,
} from './catalog';
export * from './errors';
export type { ProjectionLogger } from './logger';
export { ProjectionMetrics, registerProjectionStatusGauges } from './metrics';
export { ProjectionRunner, type ProjectionRunnerOptions, type ProjectionRunnerState, type ProjectionRunnerStatus } from './projection-runner';
export { rebuildProjection, type RebuildOptions, type RebuildResult } from './rebuild';
export { projectionStatus, type ProjectionStatus, type StatusOptions, type VersionLag } from './status';
export { createProjectionHandler, fromConsumedEvent, type ConsumedEventLike, type ProjectionHandler } from './consumer-feed';
export type { BatchContext, BatchingOptions } from './version-runner';
export {
  analystAccessStatements,
  commentStatements,
  installAnalystAccess,
  sqlLiteral,
  type AnalystAccess,
  type AnalystView,
  type DocumentedColumn,
} from './analyst-access';
export { migrateSchema, type SchemaMigration, type SchemaMigrations } from './schema-migrations';
export { ProjectionsModule, ProjectionsService, PROJECTIONS_OPTIONS, type ProjectionsModuleOptions, type ProjectionsModuleAsyncOptions } from './nest/projections.module';
