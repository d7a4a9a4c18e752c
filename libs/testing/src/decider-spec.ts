// Given events, when a command, then events or an error: the unit test of a decider, synchronous and
// framework-free (node:assert), so it reads the same in any jest test.
//
//   DeciderSpecification.for(customerDecider)
//     .given([{ type: 'CustomerRegistered', data: { customerId, name: 'Ada' } }])
//     .when({ type: 'RenameCustomer', data: { customerId, name: 'Ada L.' } })
//     .then([{ type: 'CustomerRenamed', data: { customerId, name: 'Ada L.' } }]);
import { AssertionError, deepStrictEqual } from 'node:assert';

/** The shape of @crm/event-store's Decider, restated so that this library does not depend on the event store. */
export interface SpecifiedDecider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

export interface DeciderThen<Event, State> {
  /** The command decides exactly these events, in this order (deep equality). */
  then(expected: Event | readonly Event[]): void;
  /** The command is accepted and decides nothing. */
  thenNothingHappened(): void;
  /** The state after the given events and the decided ones equals `expected`. */
  thenState(expected: State): void;
  /** The command is rejected: by an error of this class (and matching `check`), or one for which the predicate holds. */
  thenThrows<E extends Error>(expected: ErrorClass<E> | ((error: unknown) => boolean), check?: (error: E) => boolean): void;
}

export interface DeciderGiven<Command, Event, State> {
  when(command: Command): DeciderThen<Event, State>;
}

export interface DeciderSpec<Command, Event, State> {
  given(events: Event | readonly Event[]): DeciderGiven<Command, Event, State>;
  /** Shorthand for `given([])`: a command on a new aggregate. */
  when(command: Command): DeciderThen<Event, State>;
}

function asArray<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function isErrorClass<E extends Error>(value: ErrorClass<E> | ((error: unknown) => boolean)): value is ErrorClass<E> {
  const fn: unknown = value; // an error class is a function whose prototype is an Error; a predicate's is not
  return typeof fn === 'function' && (fn === Error || fn.prototype instanceof Error);
}

function specFor<Command, Event, State>(decider: SpecifiedDecider<Command, Event, State>): DeciderSpec<Command, Event, State> {
  const given = (givenEvents: Event | readonly Event[]): DeciderGiven<Command, Event, State> => ({
    when(command: Command): DeciderThen<Event, State> {
      const fold = (events: readonly Event[], from: State): State => events.reduce((s, e) => decider.evolve(s, e), from);
      const decide = () => {
        const state = fold(asArray(givenEvents), decider.initialState());
        return { state, events: decider.decide(command, state) };
      };
      return {
        then(expected) {
          // `await spec.when(...)` would call then(resolve, reject): say so rather than fail on a strange diff.
          if (typeof expected === 'function') throw new TypeError('A decider specification is synchronous: do not await or return it');
          deepStrictEqual(decide().events, asArray(expected));
        },
        thenNothingHappened() {
          deepStrictEqual(decide().events, []);
        },
        thenState(expected) {
          const { state, events } = decide();
          deepStrictEqual(fold(events, state), expected);
        },
        thenThrows<E extends Error>(classOrCheck: ErrorClass<E> | ((error: unknown) => boolean), check?: (error: E) => boolean) {
          let events: readonly Event[];
          try {
            events = decide().events;
          } catch (error) {
            if (isErrorClass(classOrCheck)) {
              if (!(error instanceof classOrCheck)) {
                throw new AssertionError({ message: `Expected a ${classOrCheck.name}, got: ${String(error)}`, actual: error, expected: classOrCheck });
              }
              if (check !== undefined && !check(error)) {
                throw new AssertionError({ message: `The ${classOrCheck.name} did not match the check: ${String(error)}`, actual: error });
              }
              return;
            }
            if (!classOrCheck(error)) {
              throw new AssertionError({ message: `The error did not match the check: ${String(error)}`, actual: error });
            }
            return;
          }
          throw new AssertionError({ message: 'Expected the command to be rejected, but it decided events', actual: events, expected: 'an error' });
        },
      };
    },
  });
  return { given, when: (command) => given([]).when(command) };
}

export const DeciderSpecification = { for: specFor };
