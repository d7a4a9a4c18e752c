// A page of one stream's events as an audit trail: what, when, by whom, under which correlation. Framework-free; a
// service's history endpoint reads the page from the store it serves (decrypting, say) and names the aggregate.
import { StreamNotFoundError } from '../errors';
import type { EventStore, JsonValue, RecordedEvent } from '../types';

export interface StreamHistoryEntry {
  eventId: string;
  revision: number;
  type: string;
  /** When the event was stored. */
  at: string;
  /** When the command that caused it was accepted. */
  acceptedAt?: string;
  actor?: string;
  correlationId?: string;
  causationId?: string;
  commandId?: string;
  data: JsonValue;
}

export interface StreamHistoryPage {
  events: StreamHistoryEntry[];
  /** Pass as fromRevision for the next page; null on the last one. */
  nextFromRevision: number | null;
}

/**
 * The page from `fromRevision` (default 0, the first event), at most `limit` events (default 100, as HistoryQuery of
 * @crm/platform says); null when there is no such stream.
 */
export async function readStreamHistory(
  store: EventStore,
  stream: string,
  { fromRevision = 0, limit = 100 }: { fromRevision?: number; limit?: number } = {},
): Promise<StreamHistoryPage | null> {
  const events: StreamHistoryEntry[] = [];
  try {
    for await (const event of store.readStream(stream, { fromRevision: BigInt(fromRevision), maxCount: limit })) events.push(historyEntryOf(event));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return null;
    throw error;
  }
  const last = events.at(-1);
  return { events, nextFromRevision: events.length === limit && last !== undefined ? last.revision + 1 : null };
}

/** The entry of one event: its metadata's string fields that say who and why, the data as read. */
export function historyEntryOf(event: RecordedEvent): StreamHistoryEntry {
  const text = (key: string): { [k: string]: string } => {
    const value = event.metadata[key];
    return typeof value === 'string' ? { [key]: value } : {};
  };
  const { time } = event.metadata;
  return {
    eventId: event.id,
    revision: Number(event.revision),
    type: event.type,
    at: event.created.toISOString(),
    ...(typeof time === 'string' ? { acceptedAt: time } : {}),
    ...text('actor'),
    ...text('correlationId'),
    ...text('causationId'),
    ...text('commandId'),
    data: event.data,
  };
}
