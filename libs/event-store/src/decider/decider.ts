// The decider: a pure description of one aggregate's behaviour (decide, evolve, initialState).
// No I/O, no clock, no random ids inside: time and ids come in with the command.

/**
 * JSON as deciders may write it: `undefined` properties are allowed (optional fields) and are dropped
 * when the event is serialised. Dates are not JSON: put ISO-8601 strings in event data, so that an event
 * read back from the store is deep-equal to the one that was decided.
 * Declare event data with `type` aliases, not `interface`s: TypeScript gives interfaces no index signature.
 */
export type JsonData =
  | string
  | number
  | boolean
  | null
  | readonly JsonData[]
  | { readonly [key: string]: JsonData | undefined };

/** The data of an event: a JSON object. */
export type EventPayload = { readonly [key: string]: JsonData | undefined };

/** One event type of a discriminated union: `Event<'CustomerRegistered', { customerId: string }>`. */
export type Event<Type extends string = string, Data extends EventPayload = EventPayload> = Readonly<{
  type: Type;
  data: Data;
}>;

/** One command type of a discriminated union: `Command<'RegisterCustomer', { customerId: string; at: string }>`. */
export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Data;
}>;

/** The member of a union with the given `type`: `OfType<CustomerEvent, 'CustomerRegistered'>`. */
export type OfType<Union extends { type: string }, Type extends Union['type']> = Extract<Union, { type: Type }>;

/** The data of the member of a union with the given `type`. */
export type DataOf<Union extends { type: string; data: unknown }, Type extends Union['type']> = OfType<Union, Type>['data'];

export interface Decider<C extends Command, E extends Event, S> {
  /** Returns the events the command causes (none is a valid answer), or throws a domain error to reject it. */
  decide(command: C, state: S): readonly E[];
  /** Folds one event into the state. Must accept every event ever written, including old shapes (see upcasters). */
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** The state after the given events, from the initial state. */
export function fold<E extends Event, S>(decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>, events: Iterable<E>): S {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/**
 * For the `default:` branch of a switch over a union: it does not compile while a member is unhandled.
 * Throws at run time, so use it where an unknown member is a bug (commands are validated at the edge);
 * in `evolve`, use ignoreUnknownEvent.
 */
export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}

/**
 * The `default:` branch of evolve: it does not compile while an event type is unhandled, and at run time
 * keeps the state, so that an event type written by a newer version of the service does not break readers.
 */
export function ignoreUnknownEvent<S>(_event: never, state: S): S {
  return state;
}
