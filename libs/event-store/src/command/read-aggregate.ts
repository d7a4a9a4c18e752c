// Reading an aggregate: fold its stream, upcast on the way, into the state and the revision read.
import type { Event } from '../decider';
import { StreamNotFoundError } from '../errors';
import type { EventData, EventStore, JsonObject, JsonValue, Position, RecordedEvent } from '../types';
import { upcast, type UpcasterRegistry } from '../upcasting';

export interface AggregateRead<S> {
  state: S;
  /** The revision of the last event read, or 'no_stream': pass it as expectedRevision when appending. */
  revision: bigint | 'no_stream';
  /** The position of the last event read. */
  position?: Position;
}

/** A stored event as the decider sees it: its type and its data in the current shape. */
export function toDeciderEvent<E extends Event>(recorded: RecordedEvent, upcasters?: UpcasterRegistry): E {
  const { data } = upcast(upcasters, recorded);
  return { type: recorded.type, data } as unknown as E;
}

/** A decided event as the store takes it. The JSON round trip drops `undefined` fields, as the store would. */
export function toEventData(event: Event, id: string, metadata: JsonObject): EventData {
  return { id, type: event.type, data: JSON.parse(JSON.stringify(event.data)) as JsonValue, metadata };
}

export class UnreadableStreamError extends Error {
  override readonly name = 'UnreadableStreamError';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} exists but has no readable events (maxAge or truncateBefore?); an aggregate stream must keep its history`);
  }
}

/** @internal The fold shared by readAggregate and handleCommand; `visit` sees each event with the state after it. */
export async function foldStream<E extends Event, S>(
  store: EventStore,
  streamName: string,
  evolve: (state: S, event: E) => S,
  initialState: () => S,
  upcasters: UpcasterRegistry | undefined,
  visit?: (recorded: RecordedEvent, event: E, state: S) => void,
): Promise<AggregateRead<S>> {
  let state = initialState();
  let last: RecordedEvent | undefined;
  try {
    for await (const recorded of store.readStream(streamName, { fromRevision: 'start', direction: 'forwards' })) {
      const event = toDeciderEvent<E>(recorded, upcasters);
      state = evolve(state, event);
      last = recorded;
      visit?.(recorded, event, state);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { state: initialState(), revision: 'no_stream' };
    throw error;
  }
  if (last === undefined) throw new UnreadableStreamError(streamName);
  return { state, revision: last.revision, position: last.position };
}

/** The current state of an aggregate and the revision it was read at (for an ETag, or a later append). */
export function readAggregate<E extends Event, S>(
  store: EventStore,
  streamName: string,
  evolve: (state: S, event: E) => S,
  initialState: () => S,
  upcasters?: UpcasterRegistry,
): Promise<AggregateRead<S>> {
  return foldStream(store, streamName, evolve, initialState, upcasters);
}
