// The EventStore port on EventStoreDB / KurrentDB through @eventstore/db-client: a thin mapping.
import { EventStoreDBClient, jsonEvent, type AllStreamSubscription, type JSONType, type Position as EsdbPosition } from '@eventstore/db-client';
import type {
  AppendOptions,
  AppendResult,
  DeleteResult,
  EventData,
  EventStore,
  ExpectedRevision,
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
import { EsdbSubscription, type EsdbReadable } from './esdb-subscription';
import { fromEsdbMetadata, mapError, NO_POSITION, planFilter, toEsdbMetadata, toRecordedEvent } from './mapping';

const DEFAULT_CHECKPOINT_INTERVAL = 1000;

export class EventStoreDbEventStore implements EventStore {
  readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly subscriptions = new Set<Subscription>();

  /** From a connection string (`esdb://...`) or a client the caller keeps (not disposed by close()). */
  constructor(connection: string | EventStoreDBClient) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
  }

  async appendToStream(stream: string, events: EventData | EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const list = (Array.isArray(events) ? events : [events]).map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata ?? {} }),
    );
    try {
      const result = await this.client.appendToStream(stream, list, { expectedRevision: options.expectedRevision ?? 'any' });
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position ?? NO_POSITION };
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    try {
      for await (const resolved of this.client.readStream(stream, { ...options })) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    try {
      for await (const resolved of this.client.readAll({ ...options })) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      throw mapError(error);
    }
  }

  subscribeToStream(stream: string, handlers: SubscriptionHandlers, options: SubscribeToStreamOptions = {}): Subscription {
    const subscription = new EsdbSubscription(
      () => this.client.subscribeToStream(stream, { fromRevision: options.fromRevision ?? 'start' }) as unknown as EsdbReadable,
      { handlers, toEvent: (resolved) => toRecordedEvent(resolved as Parameters<typeof toRecordedEvent>[0]), stream },
    );
    return this.track(subscription);
  }

  subscribeToAll(handlers: SubscriptionHandlers, options: SubscribeToAllOptions = {}): Subscription {
    let plan: ReturnType<typeof planFilter> | undefined;
    const subscription = new EsdbSubscription(
      (checkpointReached) => {
        const reached = handlers.onCheckpoint
          ? (sub: AllStreamSubscription, position: EsdbPosition) => checkpointReached(sub, position)
          : undefined;
        plan = planFilter(options.filter, options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL, reached);
        const esdbOptions = { fromPosition: options.fromPosition ?? 'start', ...(plan.filter ? { filter: plan.filter } : {}) };
        return this.client.subscribeToAll(esdbOptions) as unknown as EsdbReadable;
      },
      {
        handlers,
        toEvent: (resolved) => toRecordedEvent(resolved as Parameters<typeof toRecordedEvent>[0]),
        accept: (event) => plan?.accept(event) ?? true,
      },
    );
    return this.track(subscription);
  }

  async deleteStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    try {
      const result = await this.client.deleteStream(stream, { expectedRevision: deleteRevision(options.expectedRevision) });
      return { position: result.position ?? NO_POSITION };
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async tombstoneStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    try {
      const result = await this.client.tombstoneStream(stream, { expectedRevision: deleteRevision(options.expectedRevision) });
      return { position: result.position ?? NO_POSITION };
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async setStreamMetadata(stream: string, metadata: StreamMetadata, options: AppendOptions = {}): Promise<AppendResult> {
    try {
      const result = await this.client.setStreamMetadata(stream, toEsdbMetadata(metadata), { expectedRevision: options.expectedRevision ?? 'any' });
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position ?? NO_POSITION };
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async getStreamMetadata(stream: string): Promise<StreamMetadataResult> {
    try {
      const result = await this.client.getStreamMetadata(stream);
      return {
        streamName: stream,
        metadata: fromEsdbMetadata(result.metadata),
        ...(result.metastreamRevision !== undefined ? { metastreamRevision: result.metastreamRevision } : {}),
      };
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    if (this.ownsClient) await this.client.dispose();
  }

  private track(subscription: Subscription): Subscription {
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }
}

/** The client's delete and tombstone take any, no_stream or a revision (no stream_exists). */
function deleteRevision(expected: ExpectedRevision | undefined): 'any' | 'no_stream' | bigint {
  if (expected === undefined) return 'any';
  if (expected === 'stream_exists') throw new RangeError('EventStoreDB cannot delete with expectedRevision stream_exists');
  return expected;
}
