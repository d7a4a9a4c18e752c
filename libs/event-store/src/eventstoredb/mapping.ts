// Between @eventstore/db-client's types and errors and the port's.
import {
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  type AllStreamSubscription,
  type Filter,
  type Position as EsdbPosition,
  type StreamMetadata as EsdbStreamMetadata,
} from '@eventstore/db-client';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import { DELETED_STREAM } from '../stream-metadata';
import type { JsonObject, JsonValue, Position, RecordedEvent, StreamMetadata, SubscriptionFilter } from '../types';

/** The shape shared by ESDB's recorded events (stream reads, $all reads, subscriptions). */
interface EsdbRecorded {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  isJson: boolean;
  data: unknown;
  metadata?: unknown;
  created: Date;
  position?: EsdbPosition;
}

export const NO_POSITION: Position = { commit: -1n, prepare: -1n };
/** ESDB scans filtered $all in windows of 32 events; its checkpoint interval counts windows. */
const ESDB_SEARCH_WINDOW = 32;

export function toRecordedEvent(resolved: { event?: EsdbRecorded; commitPosition?: bigint }): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const position =
    event.position ?? (resolved.commitPosition !== undefined ? { commit: resolved.commitPosition, prepare: resolved.commitPosition } : NO_POSITION);
  return {
    id: event.id,
    type: event.type,
    data: event.isJson ? (event.data as JsonValue) : Buffer.from(event.data as Uint8Array).toString('utf8'),
    metadata: metadataOf(event.metadata),
    streamId: event.streamId,
    revision: event.revision,
    position: { commit: position.commit, prepare: position.prepare },
    created: event.created,
  };
}

function metadataOf(metadata: unknown): JsonObject {
  if (metadata instanceof Uint8Array) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(metadata).toString('utf8'));
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isObject(metadata) ? metadata : {};
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps the client's errors onto the port's; `stream` names the stream when the client's error does not. */
export function mapError(error: unknown, stream?: string): unknown {
  if (error instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(error.streamName || stream || '', error.expectedVersion, error.actualVersion);
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(stream ?? error.streamName);
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(stream ?? error.streamName);
  return error;
}

export function toEsdbMetadata(metadata: StreamMetadata): EsdbStreamMetadata {
  const result: EsdbStreamMetadata = { ...(metadata.custom ?? {}) };
  if (metadata.maxAge !== undefined) result.maxAge = metadata.maxAge;
  if (metadata.maxCount !== undefined) result.maxCount = metadata.maxCount;
  if (metadata.truncateBefore !== undefined) result.truncateBefore = Number(metadata.truncateBefore);
  return result;
}

export function fromEsdbMetadata(metadata: EsdbStreamMetadata | undefined): StreamMetadata {
  if (!metadata) return {};
  const { maxAge, maxCount, truncateBefore, ...rest } = metadata;
  const result: StreamMetadata = {};
  if (typeof maxAge === 'number') result.maxAge = maxAge;
  if (typeof maxCount === 'number') result.maxCount = maxCount;
  if (truncateBefore === 'start') result.truncateBefore = 0n;
  else if (truncateBefore === 'end') result.truncateBefore = DELETED_STREAM;
  else if (typeof truncateBefore === 'number') {
    // A soft delete writes long.MaxValue, which JSON.parse cannot hold exactly.
    result.truncateBefore = truncateBefore >= Number.MAX_SAFE_INTEGER ? DELETED_STREAM : BigInt(truncateBefore);
  }
  if (Object.keys(rest).length > 0) result.custom = rest as JsonObject;
  return result;
}

export interface EsdbFilterPlan {
  /** The server-side filter, if any. */
  filter?: Filter;
  /** What the server cannot filter together with a stream-name filter: event types, checked here. */
  accept(event: RecordedEvent): boolean;
}

/**
 * ESDB filters on stream name or on event type, not both: with both, the names go to the server and the
 * types are checked here. Checkpoints need a filter, so without one a match-all regex carries them.
 */
export function planFilter(
  filter: SubscriptionFilter | undefined,
  checkpointInterval: number,
  checkpointReached: ((subscription: AllStreamSubscription, position: EsdbPosition) => Promise<void>) | undefined,
): EsdbFilterPlan {
  const prefixes = filter?.streamNamePrefixes?.length ? filter.streamNamePrefixes : undefined;
  const types = filter?.eventTypes?.length ? filter.eventTypes : undefined;
  const interval = Math.max(1, Math.ceil(checkpointInterval / ESDB_SEARCH_WINDOW));
  const common = { checkpointInterval: interval, ...(checkpointReached ? { checkpointReached } : {}) };
  if (prefixes) {
    const typeSet = types ? new Set(types) : undefined;
    return { filter: streamNameFilter({ prefixes, ...common }), accept: (e) => !typeSet || typeSet.has(e.type) };
  }
  if (types) {
    return { filter: eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$`, ...common }), accept: () => true };
  }
  if (checkpointReached) return { filter: streamNameFilter({ regex: '^', ...common }), accept: () => true };
  return { accept: () => true };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
