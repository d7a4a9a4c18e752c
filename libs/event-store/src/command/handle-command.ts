// Handling one command: read the stream, fold, decide, append with the revision read.
//
// Idempotency by command id. Event ids are derived from the command id (eventIdFor), so:
//  - a retry of a command that already succeeded finds its events in the stream while folding and gets
//    the original result back, without deciding again (whatever expectedRevision it carries);
//  - two deliveries racing each other read the same revision, decide the same events with the same ids
//    and append with the same expected revision: the store treats the second append as a no-op. The store's
//    idempotency holds only for the same expected revision, which is why the handler always appends with the
//    exact revision it read.
import type { Command, Decider, Event } from '../decider';
import { WrongExpectedVersionError } from '../errors';
import { buildMetadata, eventIdFor, type CommandMetadata } from '../metadata';
import type { EventStore, ExpectedRevision, Position, RecordedEvent } from '../types';
import { currentSchemaVersion, type UpcasterRegistry } from '../upcasting';
import { foldStream, toEventData } from './read-aggregate';
import { backoffDelay, sleep, type RetryOnConflict } from './retry';

export interface HandleCommandOptions {
  /** The command's envelope: its id, correlation, causation, actor and time go on every new event. */
  metadata: CommandMetadata;
  /**
   * The revision the caller based the command on (an HTTP If-Match). When the stream is elsewhere the
   * handler throws WrongExpectedVersionError without deciding. Without it, the revision read is used.
   */
  expectedRevision?: ExpectedRevision;
  /**
   * Re-read, re-decide and re-append when another writer got in between. Only for commands whose intent
   * does not depend on the state the caller saw (adding a note, recording a purchase): the decision is
   * taken again on the newer state. Moot with a pinned expectedRevision, whose re-check fails at once.
   */
  retryOnConflict?: RetryOnConflict;
  /** Applied to stored events while folding; also sets the schemaVersion of new events. */
  upcasters?: UpcasterRegistry;
  /**
   * The command normally starts its stream (registering, capturing): decide on the initial state and append
   * with no_stream without reading first, saving a round trip. When the stream exists after all (a retry, a
   * duplicate id), or the decision on the initial state is empty or refused, the usual read-fold-decide path
   * answers. A retry whose events are found at the start of the stream is answered by the store's idempotency
   * instead, so it reports alreadyHandled false.
   */
  startsStream?: boolean;
}

export interface CommandResult<E extends Event, S> {
  /** The events this command appended (or, if it had been handled before, appended then). */
  newEvents: readonly E[];
  /** The state after them. */
  newState: S;
  /** The revision of the command's last event; the revision read for an empty decision. */
  nextExpectedRevision: bigint | 'no_stream';
  /** The position of the command's last event; of the last event read for an empty decision. */
  position?: Position;
  /** True when the stream already held this command's events: nothing was decided or appended. */
  alreadyHandled: boolean;
}

type Attempt<E extends Event, S> = { result: CommandResult<E, S> } | { conflict: WrongExpectedVersionError };

export async function handleCommand<C extends Command, E extends Event, S>(
  store: EventStore,
  streamName: string,
  decider: Decider<C, E, S>,
  command: C,
  options: HandleCommandOptions,
): Promise<CommandResult<E, S>> {
  buildMetadata(options.metadata); // a bad envelope fails before any I/O
  if (options.startsStream === true) {
    const started = await attemptNewStream(store, streamName, decider, command, options);
    if (started !== undefined) return started;
  }
  const maxRetries = options.retryOnConflict?.maxRetries ?? 0;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await attemptOnce(store, streamName, decider, command, options);
    if ('result' in outcome) return outcome.result;
    if (attempt >= maxRetries) throw outcome.conflict;
    await sleep(backoffDelay(attempt, options.retryOnConflict));
  }
}

/** handleCommand with the decider and its options bound once per aggregate, so no call forgets the upcasters. */
export function commandHandler<C extends Command, E extends Event, S>(
  decider: Decider<C, E, S>,
  defaults: Omit<HandleCommandOptions, 'metadata' | 'expectedRevision'> = {},
) {
  return (
    store: EventStore,
    streamName: string,
    command: C,
    options: Pick<HandleCommandOptions, 'metadata' | 'expectedRevision'> & Partial<HandleCommandOptions>,
  ): Promise<CommandResult<E, S>> => handleCommand(store, streamName, decider, command, { ...defaults, ...options });
}

async function attemptOnce<C extends Command, E extends Event, S>(
  store: EventStore,
  streamName: string,
  decider: Decider<C, E, S>,
  command: C,
  options: HandleCommandOptions,
): Promise<Attempt<E, S>> {
  const { commandId } = options.metadata;
  // The command's earlier events, if any: their ids are eventIdFor(commandId, 0), (…, 1), … in a row.
  const earlier: { events: E[]; last?: RecordedEvent; state?: S } = { events: [] };
  let nextEarlierId = eventIdFor(commandId, 0);
  const evolve = (state: S, event: E): S => decider.evolve(state, event);
  const read = await foldStream(store, streamName, evolve, () => decider.initialState(), options.upcasters, (recorded, event, state) => {
    if (recorded.id !== nextEarlierId) return;
    earlier.events.push(event);
    earlier.last = recorded;
    earlier.state = state;
    nextEarlierId = eventIdFor(commandId, earlier.events.length);
  });

  if (earlier.last !== undefined) {
    return {
      result: {
        newEvents: earlier.events,
        newState: earlier.state as S,
        nextExpectedRevision: earlier.last.revision,
        position: earlier.last.position,
        alreadyHandled: true,
      },
    };
  }

  const expected = options.expectedRevision;
  if (expected !== undefined && !satisfies(expected, read.revision)) {
    throw new WrongExpectedVersionError(streamName, expected, read.revision);
  }

  const newEvents = decider.decide(command, read.state);
  if (newEvents.length === 0) {
    return { result: { newEvents, newState: read.state, nextExpectedRevision: read.revision, position: read.position, alreadyHandled: false } };
  }

  const newState = newEvents.reduce(evolve, read.state);
  const eventData = newEvents.map((event, index) =>
    toEventData(event, eventIdFor(commandId, index), buildMetadata(options.metadata, currentSchemaVersion(options.upcasters, event.type))),
  );
  try {
    const appended = await store.appendToStream(streamName, eventData, { expectedRevision: read.revision });
    return {
      result: { newEvents, newState, nextExpectedRevision: appended.nextExpectedRevision, position: appended.position, alreadyHandled: false },
    };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return { conflict: error };
    throw error;
  }
}

/** The optimistic path of `startsStream`; undefined when the usual path must answer. */
async function attemptNewStream<C extends Command, E extends Event, S>(
  store: EventStore,
  streamName: string,
  decider: Decider<C, E, S>,
  command: C,
  options: HandleCommandOptions,
): Promise<CommandResult<E, S> | undefined> {
  if (options.expectedRevision !== undefined && !satisfies(options.expectedRevision, 'no_stream')) return undefined;
  const initial = decider.initialState();
  let newEvents: readonly E[];
  try {
    newEvents = decider.decide(command, initial);
  } catch {
    return undefined; // perhaps refused only because the stream is not really new: let the usual path decide
  }
  if (newEvents.length === 0) return undefined;
  const eventData = newEvents.map((event, index) =>
    toEventData(event, eventIdFor(options.metadata.commandId, index), buildMetadata(options.metadata, currentSchemaVersion(options.upcasters, event.type))),
  );
  try {
    const appended = await store.appendToStream(streamName, eventData, { expectedRevision: 'no_stream' });
    const newState = newEvents.reduce((state: S, event) => decider.evolve(state, event), initial);
    return { newEvents, newState, nextExpectedRevision: appended.nextExpectedRevision, position: appended.position, alreadyHandled: false };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return undefined;
    throw error;
  }
}

function satisfies(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}
