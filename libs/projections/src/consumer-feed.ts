// The other feed: a Kafka consumer (@crm/messaging's EventConsumer) calls the projection's handlers inside
// its own transaction, which also records the event id for deduplication. No checkpoint is written here:
// the consumer's dedup row and committed offsets play that part.
import type { ClientBase, Pool } from 'pg';
import { CATALOG_SCHEMA, installProjection, tableNamesOf } from './catalog';
import { applyEvent, handledTypes, type ProjectionDefinition, type ProjectionEvent } from './definition';
import { ProjectionNotInstalledError, ProjectionSupersededError } from './errors';

/** The fields of @crm/messaging's `ConsumedEvent` a projection uses (restated: this library does not import messaging). */
export interface ConsumedEventLike {
  id: string;
  type: string;
  /** The aggregate id (CloudEvents subject). */
  subject: string;
  /** RFC 3339 time of the change. */
  time: string;
  data: unknown;
  revision: bigint | null;
  correlationId?: string | null;
  causationId?: string | null;
}

export function fromConsumedEvent(event: ConsumedEventLike): ProjectionEvent {
  const metadata: Record<string, string> = {};
  if (event.correlationId) metadata['correlationId'] = event.correlationId;
  if (event.causationId) metadata['causationId'] = event.causationId;
  const created = new Date(event.time);
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    streamId: event.subject,
    revision: event.revision,
    created: Number.isNaN(created.getTime()) ? new Date() : created,
    metadata,
  };
}

export interface ProjectionHandler {
  readonly projection: string;
  /** The event types it handles: give them to the consumer so that it ignores the rest. */
  readonly eventTypes: readonly string[];
  /** Applies one event to the live tables inside the caller's transaction. False: no handler for its type. */
  applyInTransaction(tx: ClientBase, event: ProjectionEvent): Promise<boolean>;
  /** The same, shaped as @crm/messaging's `EventHandler`: `new EventConsumer({ handle: handler.consumerHandler, ... })`. */
  readonly consumerHandler: (event: ConsumedEventLike, tx: ClientBase) => Promise<void>;
}

/**
 * Installs the projection if needed and returns its handler for a Kafka consumer. A Kafka-fed projection
 * is not rebuilt from an event store: raising its definition version needs a new consumer group replaying
 * the topic into a new projection name.
 */
export async function createProjectionHandler(pool: Pool, projection: ProjectionDefinition): Promise<ProjectionHandler> {
  const installed = await installProjection(pool, projection);
  if (installed.definitionVersion !== projection.version) {
    throw new ProjectionNotInstalledError(
      projection.name,
      `the live tables are definition version ${installed.definitionVersion}, this consumer carries ${projection.version}`,
    );
  }
  const applyInTransaction = async (tx: ClientBase, event: ProjectionEvent): Promise<boolean> => {
    // FOR SHARE: a switch of versions (an operator's rebuild) waits for this transaction, and the other way round.
    const { rows } = await tx.query<{ version: number; definition_version: number }>(
      `SELECT version, definition_version FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND status = 'live' FOR SHARE`,
      [projection.name],
    );
    const live = rows[0];
    if (!live) throw new ProjectionNotInstalledError(projection.name, 'no live version');
    if (live.definition_version !== projection.version) throw new ProjectionSupersededError(projection.name, projection.version, live.definition_version);
    return applyEvent(tx, projection, tableNamesOf(projection, live.version), event);
  };
  return {
    projection: projection.name,
    eventTypes: handledTypes(projection),
    applyInTransaction,
    consumerHandler: async (event, tx) => {
      await applyInTransaction(tx, fromConsumedEvent(event));
    },
  };
}
