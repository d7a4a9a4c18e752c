// What the relay subscribes to: the decrypting customer event store, with each customer event turned into the
// integration events it publishes (customer-integration-events.ts). To do that it folds each customer's state:
// the state after the previous event is kept in a bounded cache, and read from the stream on a miss. One internal
// event may publish several messages; the first carries the event's id (the CloudEvents id), the others ids
// derived from it, so a republished batch carries identical ids. All but the last are delivered at a position
// just before the event's own, so that a checkpoint taken between them replays the event rather than skip one.
// An event the relay must not publish is delivered as it is, and the relay's mapper leaves it out.
import type {
  EventStore,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionHandlers,
} from '@crm/event-store';
import { CRM_ID_NAMESPACE, DelegatingEventStore, LruCache, uuidv5 } from '@crm/event-store';
import { evolve, initialState, type CustomerEvent, type CustomerState } from '../domain';
import { customerIdOf, customerStream, DataKeyMissingError, isCustomerEventType, isCustomerStream, type DataKeySource } from '../infrastructure';
import { integrationEventsOf } from './customer-integration-events';

export interface IntegrationFeedOptions {
  /** Customers whose state is kept between their events. Default 10,000. */
  cacheSize?: number;
  /** Told about erasures (to drop a cached data key another replica destroyed). */
  onErased?: (customerId: string) => void;
}

type Cached = { revision: bigint; state: CustomerState };

export class CustomerIntegrationFeed extends DelegatingEventStore {
  private readonly states: LruCache<string, Cached>;

  constructor(
    /** The decrypting store (CUSTOMER_EVENT_STORE); every call but subscribeToAll and close goes to it. */
    private readonly store: EventStore,
    private readonly keys: DataKeySource,
    private readonly options: IntegrationFeedOptions = {},
  ) {
    super(store);
    this.states = new LruCache(options.cacheSize ?? 10_000);
  }

  override subscribeToAll(handlers: SubscriptionHandlers, options?: SubscribeToAllOptions): Subscription {
    return this.store.subscribeToAll(
      {
        ...handlers,
        onEvent: async (event) => {
          const expanded = await this.expand(event);
          for (const message of expanded) await handlers.onEvent(message);
        },
      },
      options,
    );
  }

  /** The integration events of one stored event as recorded events of their contract types, or the event itself. */
  async expand(event: RecordedEvent): Promise<RecordedEvent[]> {
    if (!isCustomerStream(event.streamId) || !isCustomerEventType(event.type)) return [event];
    const customerId = customerIdOf(event.streamId);
    const personalDataErased = await this.isErased(customerId);
    // After an erasure the cache may hold values decrypted before it: fold the (now shredded) stream instead.
    const before = await this.stateBefore(customerId, event.revision, !personalDataErased);
    const internal = { type: event.type, data: event.data } as CustomerEvent;
    const after = evolve(before, internal);
    if (internal.type === 'CustomerErased' || personalDataErased) this.states.delete(customerId);
    else this.states.set(customerId, { revision: event.revision, state: after });
    if (internal.type === 'CustomerErased') this.options.onErased?.(customerId);
    const published = integrationEventsOf(internal, { before, after, personalDataErased });
    if (published.length === 0) return [event];
    const justBefore = { commit: event.position.commit, prepare: event.position.prepare - 1n };
    return published.map((integration, index) => ({
      ...event,
      id: index === 0 ? event.id : uuidv5(`${event.id}/${index}/${integration.type}`, CRM_ID_NAMESPACE),
      type: integration.type,
      data: integration.payload as RecordedEvent['data'],
      position: index === published.length - 1 ? event.position : justBefore,
    }));
  }

  private async isErased(customerId: string): Promise<boolean> {
    try {
      return (await this.keys.keysForReading([customerId])).get(customerId) === null;
    } catch (error) {
      // No key at all: nothing personal can be decrypted for it either. Anything else (the database) fails the
      // event, and the relay retries from its checkpoint.
      if (error instanceof DataKeyMissingError) return true;
      throw error;
    }
  }

  private async stateBefore(customerId: string, revision: bigint, useCache: boolean): Promise<CustomerState> {
    if (revision === 0n) return initialState();
    const cached = useCache ? this.states.get(customerId) : undefined;
    if (cached && cached.revision === revision - 1n) return cached.state;
    let state = initialState();
    for await (const event of this.store.readStream(customerStream(customerId), { maxCount: revision })) {
      state = evolve(state, { type: event.type, data: event.data } as CustomerEvent);
    }
    return state;
  }

  override close(): Promise<void> {
    return Promise.resolve(); // the store is the infrastructure's to close
  }
}
