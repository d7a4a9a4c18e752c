// The event store as a service with personal data uses it: the events of its own streams are encoded by its codec
// on append and decoded on every read and subscription, so command handlers, history and projections see plain
// events while the store only ever holds ciphertext. Other streams pass through untouched.
import { DelegatingEventStore } from '../delegating-event-store';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
  SubscriptionHandlers,
} from '../types';
import type { EventCodec } from './personal-data-codec';

export class EncryptingEventStore extends DelegatingEventStore {
  constructor(
    /** The store as it is: ciphertext in the service's events. */
    inner: EventStore,
    readonly codec: EventCodec,
    /** The streams whose events the codec encodes, e.g. `isCustomerStream`. */
    private readonly encrypts: (streamId: string) => boolean,
  ) {
    super(inner);
  }

  override async appendToStream(stream: string, events: EventData | EventData[], options?: AppendOptions): Promise<AppendResult> {
    if (!this.encrypts(stream)) return this.inner.appendToStream(stream, events, options);
    const list = Array.isArray(events) ? events : [events];
    // Sequentially: the first event of a new subject creates its key, the next ones find it cached.
    const encoded: EventData[] = [];
    for (const event of list) encoded.push(await this.codec.encode(event));
    return this.inner.appendToStream(stream, encoded, options);
  }

  override async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readStream(stream, options)) yield await this.decoded(event);
  }

  override async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readAll(options)) yield await this.decoded(event);
  }

  override subscribeToStream(stream: string, handlers: SubscriptionHandlers, options?: SubscribeToStreamOptions): Subscription {
    return this.inner.subscribeToStream(stream, this.decoding(handlers), options);
  }

  override subscribeToAll(handlers: SubscriptionHandlers, options?: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(this.decoding(handlers), options);
  }

  /** A recorded event with its personal data decrypted (or left out after erasure). */
  async decoded(event: RecordedEvent): Promise<RecordedEvent> {
    return this.encrypts(event.streamId) ? this.codec.decode(event) : event;
  }

  private decoding(handlers: SubscriptionHandlers): SubscriptionHandlers {
    return { ...handlers, onEvent: async (event) => handlers.onEvent(await this.decoded(event)) };
  }
}
