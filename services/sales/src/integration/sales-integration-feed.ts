// What the relay subscribes to: the decrypting sales event store, with each internal event turned into the
// integration event it publishes (sales-integration-events.ts) or passed through as it is (the relay's mapper
// leaves it out). One internal event publishes at most one message, under the internal event's id.
// Lead contact data goes out in clear (lead.captured, and lead.converted for the customers service), so before
// publishing an event with personal values the feed asks the key table itself, not a cache that another replica's
// erasure may not have reached yet: once a lead's key is destroyed, the event is mapped as shredded.
import type { EventStore, RecordedEvent, SubscribeToAllOptions, Subscription, SubscriptionHandlers } from '@crm/event-store';
import { DelegatingEventStore } from '@crm/event-store';
import { PERSONAL_FIELDS, idOfStream, salesAggregateOf, type LeadEvent } from '../domain';
import { isLeadEventType, LeadEventCodec } from '../infrastructure/lead-data-keys';
import { integrationEventOf, type SalesInternalEvent } from './sales-integration-events';

/** What the feed needs of the lead data keys (the DataKeyring). */
export interface LeadKeyStatus {
  /** Read from the table, uncached. */
  isDestroyed(leadId: string): Promise<boolean>;
  /** Drops a cached key (this replica's command side then sees the erasure at once). */
  forget(leadId: string): void;
}

export class SalesIntegrationFeed extends DelegatingEventStore {
  constructor(
    /** The decrypting store (SALES_EVENT_STORE); every call but subscribeToAll and close goes to it. */
    private readonly store: EventStore,
    private readonly keys: LeadKeyStatus,
  ) {
    super(store);
  }

  override subscribeToAll(handlers: SubscriptionHandlers, options?: SubscribeToAllOptions): Subscription {
    return this.store.subscribeToAll({ ...handlers, onEvent: async (event) => handlers.onEvent(await this.expand(event)) }, options);
  }

  /** The integration event of one stored event as a recorded event of its contract type, or the event itself. */
  async expand(event: RecordedEvent): Promise<RecordedEvent> {
    const internal = await this.internalOf(event);
    const integration = internal === undefined ? null : integrationEventOf(internal);
    if (integration === null) return event;
    return { ...event, type: integration.type, data: integration.payload as RecordedEvent['data'] };
  }

  private async internalOf(event: RecordedEvent): Promise<SalesInternalEvent | undefined> {
    const aggregate = salesAggregateOf(event.streamId);
    const plain = { type: event.type, data: event.data };
    switch (aggregate) {
      case 'lead': {
        if (!isLeadEventType(event.type)) return undefined; // a newer version's event: not published by this one
        const lead = plain as unknown as LeadEvent;
        return { aggregate, event: await this.unlessErased(idOfStream('lead', event.streamId), lead) };
      }
      case 'pipeline':
      case 'opportunity':
      case 'activity':
        return { aggregate, event: plain } as SalesInternalEvent;
      default:
        return undefined;
    }
  }

  private async unlessErased(leadId: string, event: LeadEvent): Promise<LeadEvent> {
    if (event.type === 'LeadContactErased') this.keys.forget(leadId);
    if (PERSONAL_FIELDS[event.type].length === 0) return event;
    return (await this.keys.isDestroyed(leadId)) ? LeadEventCodec.shredded(event) : event;
  }

  override close(): Promise<void> {
    return Promise.resolve(); // the store is the infrastructure's to close
  }
}
