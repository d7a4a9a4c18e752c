// What a projection is: its name, the version of its handlers and tables, the DDL of those tables as a
// function of their physical names (so a rebuild can create a second copy), and one handler per event type.
import type { ClientBase } from 'pg';
import type { JsonObject, Position, SubscriptionFilter } from '@crm/event-store';

/**
 * The event a handler sees. A `RecordedEvent` from the event store is one; an event consumed from Kafka
 * becomes one through `fromConsumedEvent` (then `streamId` is the aggregate id and `position` is absent).
 */
export interface ProjectionEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  /** The event's stream, or the aggregate id when the event came from Kafka. */
  streamId: string;
  /** Revision in its stream, when known. */
  revision: bigint | null;
  created: Date;
  metadata?: JsonObject;
  /** Position in `$all`; only events from the event store have one. */
  position?: Position;
}

/** Physical, quoted and schema-qualified names of a projection version's tables, by logical name. */
export type TableNames<TableKey extends string = string> = { readonly [K in TableKey]: string };

/**
 * Writes one event into the projection's tables, inside the transaction that also moves its checkpoint.
 * (Declared as a method so that a handler of one event type still fits where any handler is expected.)
 */
export type ProjectionEventHandler<TableKey extends string = string, Event extends ProjectionEvent = ProjectionEvent> = {
  handle(tx: ClientBase, event: Event, tables: TableNames<TableKey>): Promise<void>;
}['handle'];

/** What a planned batch reads through. */
export type Queryable = Pick<ClientBase, 'query'>;

/**
 * One write of a planned batch: a statement with exactly one parameter, `$1::jsonb`, and its value (anything
 * JSON.stringify takes; unpack it in SQL, e.g. with `jsonb_to_recordset($1::jsonb)`).
 */
export interface PlannedWrite {
  readonly sql: string;
  readonly param: unknown;
}

/** The events a projection handles, as a union of `{ type, data }`. */
export interface EventShape {
  type: string;
  data: unknown;
}

export type ProjectionHandlers<Events extends EventShape, TableKey extends string> = {
  [Type in Events['type']]?: ProjectionEventHandler<TableKey, ProjectionEvent<Type, Extract<Events, { type: Type }>['data']>>;
};

export interface ProjectionDefinition<TableKey extends string = string, Events extends EventShape = EventShape> {
  /** A lower-case SQL identifier: names the checkpoint, the physical schemas (`<name>_v<N>`) and the metrics label. */
  readonly name: string;
  /** Version of the handlers and DDL. Raising it makes the next start rebuild into new tables before going live. */
  readonly version: number;
  /** Schema of the stable views readers query, one per table (`<readSchema>.<table key>`). Default `public`. */
  readonly readSchema?: string;
  /** The tables the projection owns, by logical name (a lower-case identifier: also the name of its view). */
  readonly tables: readonly TableKey[];
  /**
   * The DDL creating one version's tables, given their physical names. Use only these names: indexes and
   * constraints live in the version's own schema, so their names need no suffix.
   */
  createTables(tables: TableNames<TableKey>): string | readonly string[];
  readonly handlers: ProjectionHandlers<Events, TableKey>;
  /**
   * Optional set-based form of `handlers` for catch-up speed: the store feed calls it once per batch with
   * the batch's handled events in order (one statement for many events instead of a round trip each).
   * It must leave the same rows as the handlers applied one by one; the Kafka feed keeps using `handlers`.
   */
  applyBatch?(tx: ClientBase, events: readonly ProjectionEvent[], tables: TableNames<TableKey>): Promise<void>;
  /**
   * Optional set-based form that commits in one round trip (it takes the place of `applyBatch`): it reads what it
   * needs through `db` — outside the batch's transaction, which therefore holds no locks and no xid while the
   * service computes — and answers the batch's writes. The runner sends them with the checkpoint's
   * compare-and-swap as one statement (`projections.apply_batch`), so the transaction lasts as long as
   * PostgreSQL takes to run them, however busy the service's event loop is (docs/decisions/0019). Reads may see
   * the tables as the previous batch left them: nothing else writes a version's tables, and a runner that lost
   * the checkpoint loses the compare-and-swap too. Handlers inside a caller's transaction run the same writes.
   */
  planBatch?(db: Queryable, events: readonly ProjectionEvent[], tables: TableNames<TableKey>): Promise<readonly PlannedWrite[]>;
  /**
   * Which events the store subscription delivers. Default: the handled event types. Prefixes narrow the
   * streams; events without a handler are skipped either way.
   */
  readonly filter?: SubscriptionFilter;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Checks the definition once, so a typo fails at start-up rather than in the middle of a rebuild. */
export function defineProjection<TableKey extends string, Events extends EventShape = EventShape>(
  definition: ProjectionDefinition<TableKey, Events>,
): ProjectionDefinition<TableKey, Events> {
  const { name, version, tables } = definition;
  // `<name>_v<N>` must fit PostgreSQL's 63-byte identifiers.
  if (!IDENTIFIER.test(name) || name.length > 50) throw new TypeError(`Projection name ${JSON.stringify(name)} must be a lower-case identifier of at most 50 characters`);
  if (!Number.isInteger(version) || version < 1) throw new TypeError(`Projection ${name}: version must be a positive integer`);
  if (tables.length === 0) throw new TypeError(`Projection ${name}: it owns no tables`);
  for (const table of tables) {
    if (!IDENTIFIER.test(table) || table.length > 63) throw new TypeError(`Projection ${name}: table ${JSON.stringify(table)} must be a lower-case identifier`);
  }
  if (definition.readSchema !== undefined && !IDENTIFIER.test(definition.readSchema)) {
    throw new TypeError(`Projection ${name}: readSchema must be a lower-case identifier`);
  }
  if (handledTypes(definition).length === 0) throw new TypeError(`Projection ${name}: it has no handlers`);
  return definition;
}

export function handledTypes(definition: ProjectionDefinition): string[] {
  return Object.keys(definition.handlers).filter((type) => typeof handlerFor(definition, type) === 'function');
}

/** The subscription filter: the definition's own, else the handled event types. */
export function subscriptionFilterOf(definition: ProjectionDefinition): SubscriptionFilter {
  return { eventTypes: handledTypes(definition), ...definition.filter };
}

/** The same test the store applies to a subscription's filter, for events read without one. */
export function matchesFilter(event: { streamId: string; type: string }, filter: SubscriptionFilter): boolean {
  const { streamNamePrefixes, eventTypes } = filter;
  if (streamNamePrefixes && !streamNamePrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (eventTypes && !eventTypes.includes(event.type)) return false;
  return true;
}

function handlerFor(definition: ProjectionDefinition, type: string): ProjectionEventHandler | undefined {
  // Own properties only: an event type named `constructor` or `toString` must not reach Object's prototype.
  if (!Object.prototype.hasOwnProperty.call(definition.handlers, type)) return undefined;
  return (definition.handlers as Record<string, ProjectionEventHandler | undefined>)[type];
}

/**
 * Applies a batch from the store feed inside the caller's transaction: through `applyBatch` or `planBatch` when the
 * projection has one, else event by event.
 */
export async function applyEvents(tx: ClientBase, definition: ProjectionDefinition, tables: TableNames, events: readonly ProjectionEvent[]): Promise<void> {
  if (!definition.applyBatch && !definition.planBatch) {
    for (const event of events) await applyEvent(tx, definition, tables, event);
    return;
  }
  const handled = handledEvents(definition, events);
  if (handled.length === 0) return;
  if (definition.applyBatch) await definition.applyBatch(tx, handled, tables);
  else await runPlannedWrites(tx, await plannedWrites(tx, definition, tables, handled));
}

/** The events of a batch the projection has a handler for, in order. */
export function handledEvents(definition: ProjectionDefinition, events: readonly ProjectionEvent[]): ProjectionEvent[] {
  return events.filter((event) => handlerFor(definition, event.type) !== undefined);
}

/** The writes `planBatch` answers for `events` (none without it or without events). */
export async function plannedWrites(db: Queryable, definition: ProjectionDefinition, tables: TableNames, events: readonly ProjectionEvent[]): Promise<readonly PlannedWrite[]> {
  if (!definition.planBatch || events.length === 0) return [];
  return definition.planBatch(db, events, tables);
}

/** Runs planned writes one after another in the caller's transaction (handlers, tests, the Kafka feed). */
export async function runPlannedWrites(tx: Queryable, writes: readonly PlannedWrite[]): Promise<void> {
  for (const write of writes) await tx.query(write.sql, [JSON.stringify(write.param)]);
}

/**
 * Applies one event to the given tables inside the caller's transaction: the building block of both feeds.
 * Returns false when the projection has no handler for the event's type (nothing written).
 */
export async function applyEvent(tx: ClientBase, definition: ProjectionDefinition, tables: TableNames, event: ProjectionEvent): Promise<boolean> {
  const handler = handlerFor(definition, event.type);
  if (!handler) return false;
  await handler(tx, event, tables);
  return true;
}
