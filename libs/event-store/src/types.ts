// The EventStore port. It mirrors @eventstore/db-client (KurrentDB) so that code and tests cannot
// tell the PostgreSQL and EventStoreDB adapters apart.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Metadata every event carries; adapters store it as the event's JSON metadata. */
export interface EventMetadata extends JsonObject {
  correlationId: string;
  causationId: string;
  /** Who caused it: a user id, a service name, `system`. */
  actor: string;
  /** ISO-8601 time at which the command was accepted (comes with the command: deciders have no clock). */
  time: string;
  /** Version of the event's data shape; upcasters raise older versions on read. */
  schemaVersion: number;
}

/** An event to append. `id` is a uuid chosen by the writer: appending the same id again is idempotent. */
export interface EventData<Type extends string = string, Data extends JsonValue = JsonValue> {
  id: string;
  type: Type;
  data: Data;
  metadata?: JsonObject;
}

/** Global position in `$all`; maps onto EventStoreDB's `{ commit, prepare }`. */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface RecordedEvent<Type extends string = string, Data extends JsonValue = JsonValue> {
  id: string;
  type: Type;
  data: Data;
  metadata: JsonObject;
  streamId: string;
  /** Revision of the event in its stream, from 0. */
  revision: bigint;
  position: Position;
  created: Date;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event now in the stream; pass it as the next expectedRevision. */
  nextExpectedRevision: bigint;
  position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  fromRevision?: 'start' | 'end' | bigint;
  direction?: Direction;
  maxCount?: number | bigint;
}

export interface ReadAllOptions {
  fromPosition?: 'start' | 'end' | Position;
  direction?: Direction;
  maxCount?: number | bigint;
}

export interface SubscriptionFilter {
  streamNamePrefixes?: string[];
  eventTypes?: string[];
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the first event delivered is the one after this revision. */
  fromRevision?: 'start' | 'end' | bigint;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the first event delivered is the one after this position. */
  fromPosition?: 'start' | 'end' | Position;
  filter?: SubscriptionFilter;
  /** A checkpoint callback fires at least this often (in events scanned), even if the filter matched nothing. */
  checkpointInterval?: number;
}

export interface SubscriptionHandlers {
  /** Awaited: the next event is not delivered until this resolves (back-pressure). */
  onEvent(event: RecordedEvent): Promise<void> | void;
  /** All events up to the head at some moment have been delivered; then the subscription is live. */
  onCaughtUp?(): Promise<void> | void;
  /** For `$all`: the subscriber may store this position, even when no event matched the filter. */
  onCheckpoint?(position: Position): Promise<void> | void;
  onError?(error: unknown): void;
}

export interface Subscription {
  unsubscribe(): Promise<void>;
  /** Resolves when the subscription ends (unsubscribed or failed). */
  readonly done: Promise<void>;
}

export interface StreamMetadata {
  maxAge?: number; // seconds
  maxCount?: number;
  truncateBefore?: bigint;
  custom?: JsonObject;
}

export interface StreamMetadataResult {
  streamName: string;
  metadata: StreamMetadata;
  /** Revision of the metadata stream, for optimistic concurrency on metadata writes. */
  metastreamRevision?: bigint;
}

export interface DeleteResult {
  position: Position;
}

export interface EventStore {
  appendToStream(stream: string, events: EventData | EventData[], options?: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToStream(stream: string, handlers: SubscriptionHandlers, options?: SubscribeToStreamOptions): Subscription;
  subscribeToAll(handlers: SubscriptionHandlers, options?: SubscribeToAllOptions): Subscription;
  deleteStream(stream: string, options?: AppendOptions): Promise<DeleteResult>;
  tombstoneStream(stream: string, options?: AppendOptions): Promise<DeleteResult>;
  setStreamMetadata(stream: string, metadata: StreamMetadata, options?: AppendOptions): Promise<AppendResult>;
  getStreamMetadata(stream: string): Promise<StreamMetadataResult>;
  /** Closes connections and ends every subscription. */
  close(): Promise<void>;
}

export const START: Position = { commit: 0n, prepare: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
