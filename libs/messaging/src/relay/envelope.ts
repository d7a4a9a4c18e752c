// From a recorded event and its explicit integration mapping to a Kafka message with CloudEvents headers.
import type { RecordedEvent } from '@crm/event-store';
import type { OutgoingMessage } from '../bus/types';
import { CeHeader, CLOUDEVENTS_SPEC_VERSION, CONTENT_TYPE_JSON } from '../cloudevents/headers';
import { traceparentFor } from '../cloudevents/traceparent';

/** What the mapper decides for one internal event: the integration event to publish. */
export interface IntegrationMessage {
  topic: string;
  /** The versioned contract type, e.g. `crm.customer.registered.v1`. */
  type: string;
  payload: unknown;
  /** The aggregate id: message key and CloudEvents subject. Default: the stream id after its category. */
  key?: string;
}

/** Internal events are published only when mapped explicitly: null = not published (the checkpoint still moves). */
export type EventMapper = (event: RecordedEvent) => IntegrationMessage | null;

/** `customer-0b9f…` → `0b9f…` (EventStoreDB's convention: the category ends at the first dash). */
export function aggregateIdOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(dash + 1);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function toOutgoingMessage(event: RecordedEvent, mapped: IntegrationMessage, source: string): OutgoingMessage {
  const metadata = event.metadata as Record<string, unknown>;
  const subject = mapped.key ?? aggregateIdOf(event.streamId);
  const time = text(metadata['time']);
  const headers: Record<string, string> = {
    [CeHeader.SpecVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CeHeader.Id]: event.id,
    [CeHeader.Source]: source,
    [CeHeader.Type]: mapped.type,
    [CeHeader.Time]: time && !Number.isNaN(Date.parse(time)) ? time : event.created.toISOString(),
    [CeHeader.Subject]: subject,
    [CeHeader.ContentType]: CONTENT_TYPE_JSON,
    [CeHeader.TraceParent]: traceparentFor(event.id, metadata),
    [CeHeader.CorrelationId]: text(metadata['correlationId']) ?? event.id,
    [CeHeader.StreamRevision]: event.revision.toString(),
  };
  const causationId = text(metadata['causationId']);
  if (causationId) headers[CeHeader.CausationId] = causationId;
  return { topic: mapped.topic, key: subject, value: JSON.stringify(mapped.payload), headers };
}
