// The EventStore port on PostgreSQL with EventStoreDB's semantics. See docs/decisions/0005-postgres-event-store.md.
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool, type ClientBase, type PoolConfig } from 'pg';
import type { Registry } from 'prom-client';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import { metadataFromJson, metadataToJson, metastreamOf } from '../stream-metadata';
import type {
  AppendOptions,
  AppendResult,
  DeleteResult,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonObject,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  StreamMetadataResult,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
  SubscriptionHandlers,
} from '../types';
import { VisibleHead } from './visible-head';
import { GroupCommitter, type GroupCommitOptions, type PendingAppend } from './group-commit';
import { createEventStoreMetrics, type AppendOutcome, type EventStoreMetrics } from './metrics';
import { DEFAULT_SCHEMA, migrateEventStore, type MigrateResult } from './migrate';
import { positionOf, queriesFor, single, toRecordedEvent, type EventRow, type Queries, type StatusRow, type StreamPageRow } from './queries';
import { EXPECTED, TOMBSTONE_REVISION } from './schema';
import { allSource, streamSource } from './poll-sources';
import { PollingSubscription, type PollSource } from './subscriptions';

export interface PostgresEventStoreOptions {
  /** A pool to use (not closed by close()); or give `connectionString` and the store makes its own. */
  pool?: Pool;
  connectionString?: string;
  /** Extra settings for the pool the store makes (default max 10 connections). */
  poolConfig?: PoolConfig;
  /** Schema of the store's tables. Default `event_store`. */
  schema?: string;
  /** Where to register the store's Prometheus metrics; none are registered without it. */
  metricsRegistry?: Registry;
  /** Events per round trip when reading and subscribing. Default 1000. */
  pageSize?: number;
  /** Live subscriptions poll with back-off between these delays. Default 10 → 250 ms. */
  polling?: { minDelayMs?: number; maxDelayMs?: number };
  /** Applied to the store's connections (also to a given pool's new connections). Default 30 s. */
  statementTimeoutMs?: number;
  /** An idle open transaction holds back every $all reader: end it after this long. Default 60 s. */
  idleInTransactionTimeoutMs?: number;
  /**
   * appendToStream calls that overlap are written together, one statement and transaction per batch (see
   * group-commit.ts). Default on, 2 statements in flight, 100 appends per batch; `false` writes each alone.
   */
  groupCommit?: GroupCommitOptions | false;
}

/** Settings for a pool the caller makes and gives the store: the store's connection settings, sent on connect. */
export function eventStorePoolSettings(options: Pick<PostgresEventStoreOptions, 'statementTimeoutMs' | 'idleInTransactionTimeoutMs'> = {}): PoolConfig {
  return { statement_timeout: options.statementTimeoutMs ?? 30_000, idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000 };
}

/** A query runner: the pool, or a client inside the caller's transaction. */
type Queryable = Pick<ClientBase, 'query'>;

const MAX_REVISION = TOMBSTONE_REVISION - 1n;
const DEFAULT_CHECKPOINT_INTERVAL = 1000;

export class PostgresEventStore implements EventStore {
  readonly schema: string;
  readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly sql: Queries;
  /** Appends run as a named statement: parsed and planned once per connection, not on every append. */
  private readonly appendStatementName: string;
  private readonly metrics: EventStoreMetrics;
  private readonly pageSize: number;
  private readonly polling: { minDelayMs: number; maxDelayMs: number };
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly groupCommitter: GroupCommitter | undefined;
  /** Shared by the live $all subscriptions: idle ones check it instead of each polling. */
  private readonly visibleHead: VisibleHead;
  private closed = false;

  /** Creates the store and applies its migrations. */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  constructor(options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    const statementTimeout = options.statementTimeoutMs ?? 30_000;
    const idleTimeout = options.idleInTransactionTimeoutMs ?? 60_000;
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
      // A pool made with these settings (eventStorePoolSettings) sends them when connecting; otherwise each new
      // connection is set up by a query, which pg runs while the pool may already hand the client out.
      const given = options.pool.options as { statement_timeout?: unknown; idle_in_transaction_session_timeout?: unknown };
      if (given.statement_timeout === undefined || given.idle_in_transaction_session_timeout === undefined) {
        this.pool.on('connect', (client) => {
          client
            .query(`SET statement_timeout = ${statementTimeout}; SET idle_in_transaction_session_timeout = ${idleTimeout}`)
            .catch(() => undefined);
        });
      }
    } else if (options.connectionString) {
      this.pool = new Pool({
        connectionString: options.connectionString,
        max: 10,
        ...options.poolConfig,
        statement_timeout: statementTimeout,
        idle_in_transaction_session_timeout: idleTimeout,
      });
      this.ownsPool = true;
      // An idle connection that the server ends (restart, failover) is dropped by the pool; without a
      // listener its 'error' event would crash the process.
      this.pool.on('error', () => undefined);
    } else {
      throw new Error('PostgresEventStore needs a pool or a connectionString');
    }
    this.sql = queriesFor(this.schema);
    this.appendStatementName = `event_store_append_${createHash('sha1').update(this.sql.append).digest('hex').slice(0, 16)}`;
    this.metrics = createEventStoreMetrics(this.pool, options.metricsRegistry);
    this.pageSize = options.pageSize ?? 1000;
    this.groupCommitter =
      options.groupCommit === false
        ? undefined
        : new GroupCommitter({ one: (append) => this.writeOne(this.pool, append), many: (appends) => this.writeMany(appends) }, options.groupCommit);
    this.polling = { minDelayMs: options.polling?.minDelayMs ?? 10, maxDelayMs: options.polling?.maxDelayMs ?? 250 };
    this.visibleHead = new VisibleHead(this.pool, this.sql.visibleHead, this.polling.minDelayMs);
  }

  migrate(): Promise<MigrateResult> {
    return migrateEventStore(this.pool, { schema: this.schema });
  }

  appendToStream(stream: string, events: EventData | EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const committer = this.groupCommitter;
    return this.append(committer ? (append) => committer.submit(append) : (append) => this.writeOne(this.pool, append), stream, events, options.expectedRevision ?? 'any');
  }

  /**
   * Appends inside the caller's transaction (`client` after BEGIN): the events become visible, and
   * $all readers move past them, only when that transaction commits. A conflict throws without
   * aborting the transaction.
   */
  appendInTransaction(client: ClientBase, stream: string, events: EventData | EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.append((append) => this.writeOne(client, append), stream, events, options.expectedRevision ?? 'any');
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const from = options.fromRevision ?? (forwards ? 'start' : 'end');
    let remaining = maxCountOf(options.maxCount);
    let lower = forwards ? revisionOf(from, 0n, MAX_REVISION) : 0n;
    let upper = forwards ? MAX_REVISION : revisionOf(from, 0n, MAX_REVISION);
    if (forwards && from === 'end') lower = MAX_REVISION;
    let first = true;
    while (first || remaining > 0) {
      const limit = Math.max(0, Math.min(this.pageSize, remaining));
      const { rows } = await this.pool.query<StreamPageRow>(forwards ? this.sql.streamForwards : this.sql.streamBackwards, [stream, lower, upper, limit]);
      const state = rows[0];
      if (!state) throw new StreamNotFoundError(stream);
      if (state.tombstoned) throw new StreamDeletedError(stream);
      if (state.soft_deleted || state.last_revision === '-1') throw new StreamNotFoundError(stream);
      first = false;
      const events = rows.filter((row): row is StreamPageRow & EventRow => row.event_id != null);
      for (const row of events) yield toRecordedEvent(row);
      remaining -= events.length;
      if (events.length < limit || remaining <= 0) return;
      const last = BigInt(single(events.slice(-1)).revision);
      if (forwards) lower = last + 1n;
      else upper = last - 1n;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const from = options.fromPosition ?? (forwards ? 'start' : 'end');
    if ((forwards && from === 'end') || (!forwards && from === 'start')) return;
    let remaining = maxCountOf(options.maxCount);
    if (remaining <= 0) return;
    // Forwards from a position includes it, backwards excludes it, as in EventStoreDB.
    const fetch = (cursor: Position | undefined, firstPage: boolean, limit: number) => {
      if (cursor === undefined) return this.allPage(forwards ? this.sql.allForwardsFromStart : this.sql.allBackwardsFromEnd, [limit]);
      const sql = forwards ? (firstPage ? this.sql.allForwardsFrom : this.sql.allForwardsAfter) : this.sql.allBackwardsBefore;
      return this.allPage(sql, [cursor.commit.toString(), cursor.prepare, limit]);
    };
    let limit = Math.min(this.pageSize, remaining);
    let page = fetch(typeof from === 'string' ? undefined : from, true, limit);
    while (limit > 0) {
      const events = await page;
      remaining -= events.length;
      const full = events.length === limit;
      const nextLimit = Math.min(this.pageSize, remaining);
      // Fetch the next page while the caller works through this one.
      if (full && nextLimit > 0) {
        page = fetch(single(events.slice(-1)).position, false, nextLimit);
        page.catch(() => undefined);
      }
      yield* events;
      if (!full) return;
      limit = nextLimit;
    }
  }

  subscribeToStream(stream: string, handlers: SubscriptionHandlers, options: SubscribeToStreamOptions = {}): Subscription {
    const source = streamSource(this.pool, this.sql, stream, options.fromRevision ?? 'start');
    return this.subscribe(source, handlers, undefined);
  }

  subscribeToAll(handlers: SubscriptionHandlers, options: SubscribeToAllOptions = {}): Subscription {
    const interval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError('checkpointInterval must be a positive integer');
    const source = allSource(this.pool, this.sql, options.fromPosition ?? 'start', options.filter, this.visibleHead);
    return this.subscribe(source, handlers, interval);
  }

  deleteStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    return this.delete(stream, options.expectedRevision ?? 'any', false);
  }

  tombstoneStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    return this.delete(stream, options.expectedRevision ?? 'any', true);
  }

  async setStreamMetadata(stream: string, metadata: StreamMetadata, options: AppendOptions = {}): Promise<AppendResult> {
    const event: EventData = { id: randomUUID(), type: '$metadata', data: metadataToJson(metadata), metadata: {} };
    try {
      return await this.append((append) => this.writeOne(this.pool, append), metastreamOf(stream), event, options.expectedRevision ?? 'any');
    } catch (error) {
      if (error instanceof StreamDeletedError) throw new StreamDeletedError(stream);
      throw error;
    }
  }

  async getStreamMetadata(stream: string): Promise<StreamMetadataResult> {
    const { rows } = await this.pool.query<{ tombstoned: boolean | null; metastream_revision: string | null; data: JsonObject | null }>(
      this.sql.streamMetadata,
      [stream],
    );
    const row = single(rows);
    if (row.tombstoned) throw new StreamDeletedError(stream);
    if (row.data === null || row.metastream_revision === null) return { streamName: stream, metadata: {} };
    return { streamName: stream, metadata: metadataFromJson(row.data), metastreamRevision: BigInt(row.metastream_revision) };
  }

  /**
   * Physically removes events that reads no longer return (deleted, tombstoned, truncated, past
   * $maxCount or $maxAge), like EventStoreDB's scavenge; until then $all still holds them.
   */
  async scavenge(): Promise<{ removed: number }> {
    const result = await this.pool.query(this.sql.scavenge);
    return { removed: result.rowCount ?? 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    if (this.ownsPool) await this.pool.end();
  }

  private async append(write: (append: PendingAppend) => Promise<StatusRow>, stream: string, input: EventData | EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const events = Array.isArray(input) ? input : [input];
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const payload = JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {} })));
    const started = performance.now();
    let outcome: AppendOutcome = 'error';
    try {
      const row = await write({ stream, expected: encodeExpected(expected), events: payload });
      outcome = row.status;
      return resultOf(row, stream, expected);
    } finally {
      this.metrics.observeAppend(outcome, events.length, (performance.now() - started) / 1000);
    }
  }

  private async writeOne(db: Queryable, { stream, expected, events }: PendingAppend): Promise<StatusRow> {
    const { rows } = await db.query<StatusRow>({ name: this.appendStatementName, text: this.sql.append, values: [stream, expected.toString(), events] });
    return single(rows);
  }

  private async writeMany(appends: readonly PendingAppend[]): Promise<StatusRow[]> {
    const { rows } = await this.pool.query<StatusRow>({
      name: `${this.appendStatementName}_batch`,
      text: this.sql.appendBatch,
      values: [appends.map((a) => a.stream), appends.map((a) => a.expected.toString()), appends.map((a) => a.events)],
    });
    return rows;
  }

  private async delete(stream: string, expected: ExpectedRevision, hard: boolean): Promise<DeleteResult> {
    const { rows } = await this.pool.query<StatusRow>(this.sql.deleteStream, [stream, encodeExpected(expected), hard]);
    const { position } = resultOf(single(rows), stream, expected);
    return { position };
  }

  private async allPage(sql: string, params: unknown[]): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(sql, params);
    return rows.map(toRecordedEvent);
  }

  private subscribe(source: PollSource, handlers: SubscriptionHandlers, checkpointInterval: number | undefined): Subscription {
    if (this.closed) throw new Error('The event store is closed');
    const subscription = new PollingSubscription(
      source,
      handlers,
      { pageSize: this.pageSize, ...this.polling, checkpointInterval },
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }
}

function resultOf(row: StatusRow, stream: string, expected: ExpectedRevision): AppendResult {
  switch (row.status) {
    case 'ok':
      return { nextExpectedRevision: BigInt(row.revision ?? -1), position: positionOf(row) };
    case 'wrong_expected_version':
      throw new WrongExpectedVersionError(stream, expected, row.revision === '-1' ? 'no_stream' : BigInt(row.revision ?? -1));
    case 'deleted':
      throw new StreamDeletedError(stream);
    default: {
      const unexpected: never = row.status;
      throw new Error(`Unexpected append status ${String(unexpected)}`);
    }
  }
}

function encodeExpected(expected: ExpectedRevision): bigint {
  switch (expected) {
    case 'any':
      return EXPECTED.any;
    case 'no_stream':
      return EXPECTED.noStream;
    case 'stream_exists':
      return EXPECTED.streamExists;
    default:
      if (typeof expected !== 'bigint' || expected < 0n) throw new RangeError(`Invalid expected revision ${String(expected)}`);
      return expected;
  }
}

function revisionOf(from: 'start' | 'end' | bigint, start: bigint, end: bigint): bigint {
  if (from === 'start') return start;
  if (from === 'end') return end;
  if (from < 0n) throw new RangeError(`Invalid revision ${from}`);
  return from;
}

function maxCountOf(maxCount: number | bigint | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  const n = Number(maxCount);
  if (Number.isNaN(n) || n < 0) throw new RangeError(`Invalid maxCount ${String(maxCount)}`);
  return n;
}
