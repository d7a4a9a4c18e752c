// An EventStore that forwards every call to another one: wrappers (encryption, filtering, feeds) extend it and
// override only the calls they change.
import type {
  AppendOptions,
  AppendResult,
  DeleteResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  StreamMetadataResult,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
  SubscriptionHandlers,
} from './types';

export class DelegatingEventStore implements EventStore {
  constructor(readonly inner: EventStore) {}

  appendToStream(stream: string, events: EventData | EventData[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(stream, events, options);
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }

  subscribeToStream(stream: string, handlers: SubscriptionHandlers, options?: SubscribeToStreamOptions): Subscription {
    return this.inner.subscribeToStream(stream, handlers, options);
  }

  subscribeToAll(handlers: SubscriptionHandlers, options?: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(handlers, options);
  }

  deleteStream(stream: string, options?: AppendOptions): Promise<DeleteResult> {
    return this.inner.deleteStream(stream, options);
  }

  tombstoneStream(stream: string, options?: AppendOptions): Promise<DeleteResult> {
    return this.inner.tombstoneStream(stream, options);
  }

  setStreamMetadata(stream: string, metadata: StreamMetadata, options?: AppendOptions): Promise<AppendResult> {
    return this.inner.setStreamMetadata(stream, metadata, options);
  }

  getStreamMetadata(stream: string): Promise<StreamMetadataResult> {
    return this.inner.getStreamMetadata(stream);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
