// handleCommand against the PostgreSQL event store: new and existing streams, rejections, races, retries of the
// same command id, If-Match, upcasting on the fold, empty decisions.
import { ignoreUnknownEvent, type Decider } from '../decider';
import { WrongExpectedVersionError } from '../errors';
import { eventIdFor, type CommandMetadata } from '../metadata';
import type { EventStore, RecordedEvent } from '../types';
import { defineUpcasters } from '../upcasting';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { PostgresEventStore } from '../postgres';
import { handleCommand, type HandleCommandOptions } from './handle-command';
import { readAggregate } from './read-aggregate';

// ---- A small customer aggregate --------------------------------------------------------------------------
type Name = { first: string; last: string };
type CustomerEvent =
  | { type: 'CustomerRegistered'; data: { customerId: string; name: Name; registeredAt: string } }
  | { type: 'CustomerRenamed'; data: { name: Name } }
  | { type: 'NoteAdded'; data: { text: string } };
type CustomerCommand =
  | { type: 'RegisterCustomer'; data: { customerId: string; name: Name; at: string } }
  | { type: 'RenameCustomer'; data: { name: Name } }
  | { type: 'AddNote'; data: { text: string } };
type Customer = { status: 'unknown' } | { status: 'registered'; customerId: string; name: Name; notes: number };

class CustomerAlreadyRegistered extends Error {}
class CustomerNotFound extends Error {}

const customer: Decider<CustomerCommand, CustomerEvent, Customer> = {
  initialState: () => ({ status: 'unknown' }),
  evolve(state, event) {
    switch (event.type) {
      case 'CustomerRegistered':
        return { status: 'registered', customerId: event.data.customerId, name: event.data.name, notes: 0 };
      case 'CustomerRenamed':
        return state.status === 'registered' ? { ...state, name: event.data.name } : state;
      case 'NoteAdded':
        return state.status === 'registered' ? { ...state, notes: state.notes + 1 } : state;
      default:
        return ignoreUnknownEvent(event, state);
    }
  },
  decide(command, state) {
    if (command.type === 'RegisterCustomer') {
      if (state.status === 'registered') throw new CustomerAlreadyRegistered(state.customerId);
      return [{ type: 'CustomerRegistered', data: { customerId: command.data.customerId, name: command.data.name, registeredAt: command.data.at } }];
    }
    if (state.status !== 'registered') throw new CustomerNotFound();
    if (command.type === 'RenameCustomer') {
      const { first, last } = command.data.name;
      return first === state.name.first && last === state.name.last ? [] : [{ type: 'CustomerRenamed', data: { name: command.data.name } }];
    }
    return [{ type: 'NoteAdded', data: { text: command.data.text } }];
  },
};

// CustomerRegistered v1 had one `fullName`; v2 splits it.
const upcasters = defineUpcasters({
  CustomerRegistered: [
    {
      fromVersion: 1,
      upcast: (d: { customerId: string; fullName: string; registeredAt: string }) => {
        const [first = '', ...rest] = d.fullName.split(' ');
        return { customerId: d.customerId, name: { first, last: rest.join(' ') }, registeredAt: d.registeredAt };
      },
    },
  ],
});

// ---- Helpers ---------------------------------------------------------------------------------------------
let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase('handle_command');
  store = await PostgresEventStore.create({ connectionString: db.url });
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

let streamCounter = 0;
const newStream = () => `customer-${(streamCounter += 1)}`;
const at = '2025-03-01T10:00:00.000Z';
const ada: Name = { first: 'Ada', last: 'Lovelace' };
let commandCounter = 0;
const envelope = (over: Partial<CommandMetadata> = {}): CommandMetadata => ({
  commandId: `00000000-0000-4000-8000-${String((commandCounter += 1)).padStart(12, '0')}`,
  actor: 'user-1',
  time: at,
  ...over,
});
const register: CustomerCommand = { type: 'RegisterCustomer', data: { customerId: 'c1', name: ada, at } };
const note = (text: string): CustomerCommand => ({ type: 'AddNote', data: { text } });
const options = (over: Partial<HandleCommandOptions> = {}): HandleCommandOptions => ({ metadata: envelope(), upcasters, ...over });

async function readAll(stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(stream)) events.push(e);
  return events;
}

/** Holds the first `parties` appends until all of them have arrived: every racer has read the same revision. */
function withAppendBarrier(inner: EventStore, parties: number): EventStore {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          if (arrived < parties) {
            arrived += 1;
            if (arrived === parties) open();
            await gate;
          }
          return target.appendToStream(...args);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ---- Tests -----------------------------------------------------------------------------------------------
describe('handleCommand', () => {
  it('given no stream, when a command is accepted, then its events start the stream with ids and metadata from the command', async () => {
    const stream = newStream();
    const metadata = envelope({ correlationId: 'corr-1' });
    const result = await handleCommand(store, stream, customer, register, { metadata, upcasters });

    expect(result).toMatchObject({ nextExpectedRevision: 0n, alreadyHandled: false, newState: { status: 'registered', name: ada, notes: 0 } });
    expect(result.newEvents).toEqual([{ type: 'CustomerRegistered', data: { customerId: 'c1', name: ada, registeredAt: at } }]);
    const [stored] = await readAll(stream);
    expect(stored).toMatchObject({
      id: eventIdFor(metadata.commandId, 0),
      type: 'CustomerRegistered',
      revision: 0n,
      metadata: { commandId: metadata.commandId, correlationId: 'corr-1', causationId: metadata.commandId, actor: 'user-1', time: at, schemaVersion: 2 },
    });
    expect(result.position).toEqual(stored!.position);
  });

  it('given an existing stream, when a command is accepted, then it appends after the revision read', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const result = await handleCommand(store, stream, customer, note('called back'), options());
    expect(result).toMatchObject({ nextExpectedRevision: 1n, newState: { notes: 1 } });
    expect((await readAll(stream)).map((e) => e.type)).toEqual(['CustomerRegistered', 'NoteAdded']);
  });

  it('given a registered customer, when registering again, then the domain error comes through and nothing is appended', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    await expect(handleCommand(store, stream, customer, register, options())).rejects.toBeInstanceOf(CustomerAlreadyRegistered);
    await expect(handleCommand(store, newStream(), customer, note('x'), options())).rejects.toBeInstanceOf(CustomerNotFound);
    expect(await readAll(stream)).toHaveLength(1);
  });

  it('given two commands racing on one stream, when retries are off, then one wins and the other gets WrongExpectedVersionError', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const racing = withAppendBarrier(store, 2);
    const outcomes = await Promise.allSettled([
      handleCommand(racing, stream, customer, note('a'), options()),
      handleCommand(racing, stream, customer, note('b'), options()),
    ]);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const error = (rejected[0] as PromiseRejectedResult).reason as WrongExpectedVersionError;
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect([error.streamName, error.expectedVersion, error.actualVersion]).toEqual([stream, 0n, 1n]);
    expect(await readAll(stream)).toHaveLength(2);
  });

  it('given two commands racing on one stream, when the command is safe to retry, then the loser re-reads, re-decides and appends', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const racing = withAppendBarrier(store, 3);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((text) => handleCommand(racing, stream, customer, note(text), options({ retryOnConflict: { maxRetries: 5, baseDelayMs: 5 } }))),
    );
    expect(results.map((r) => r.nextExpectedRevision).sort()).toEqual([1n, 2n, 3n]);
    expect(results.map((r) => r.newState)).toContainEqual(expect.objectContaining({ notes: 3 }));
    const events = await readAll(stream);
    expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(events.slice(1).map((e) => (e.data as { text: string }).text).sort()).toEqual(['a', 'b', 'c']);
  });

  it('given a command that succeeded, when the client retries it with the same command id, then it gets the original result and nothing is appended', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const metadata = envelope();
    const first = await handleCommand(store, stream, customer, note('once'), { metadata, upcasters });
    await handleCommand(store, stream, customer, note('later'), options());

    const decide = jest.spyOn(customer, 'decide');
    try {
      // Even with the If-Match the client sent the first time: the stream has moved on since, but this is a replay.
      const again = await handleCommand(store, stream, customer, note('once'), { metadata, upcasters, expectedRevision: 0n });
      expect(decide).not.toHaveBeenCalled();
      expect(again).toEqual({ ...first, alreadyHandled: true });
    } finally {
      decide.mockRestore();
    }
    expect((await readAll(stream)).map((e) => e.type)).toEqual(['CustomerRegistered', 'NoteAdded', 'NoteAdded']);
  });

  it('given the same command delivered twice at once, when both append with the revision they read, then the store keeps one copy', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const racing = withAppendBarrier(store, 2);
    const metadata = envelope();
    const [a, b] = await Promise.all([
      handleCommand(racing, stream, customer, note('twice'), { metadata, upcasters }),
      handleCommand(racing, stream, customer, note('twice'), { metadata, upcasters }),
    ]);
    expect(a.nextExpectedRevision).toBe(1n);
    expect(b.nextExpectedRevision).toBe(1n);
    expect(await readAll(stream)).toHaveLength(2);
  });

  it('given an If-Match revision, when the stream is elsewhere, then WrongExpectedVersionError comes before any decision', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    await handleCommand(store, stream, customer, note('n'), options());

    const decide = jest.spyOn(customer, 'decide');
    try {
      const stale = handleCommand(store, stream, customer, note('stale'), options({ expectedRevision: 0n, retryOnConflict: { maxRetries: 3 } }));
      await expect(stale).rejects.toMatchObject({ name: 'WrongExpectedVersionError', expectedVersion: 0n, actualVersion: 1n });
      await expect(handleCommand(store, newStream(), customer, note('x'), options({ expectedRevision: 'stream_exists' }))).rejects.toMatchObject({
        actualVersion: 'no_stream',
      });
      expect(decide).not.toHaveBeenCalled();
    } finally {
      decide.mockRestore();
    }

    const current = await handleCommand(store, stream, customer, note('fresh'), options({ expectedRevision: 1n }));
    expect(current.nextExpectedRevision).toBe(2n);
    await expect(handleCommand(store, newStream(), customer, register, options({ expectedRevision: 'no_stream' }))).resolves.toMatchObject({
      nextExpectedRevision: 0n,
    });
  });

  it('given an event written in an old shape, when folding, then it is upcast before evolve sees it', async () => {
    const stream = newStream();
    await store.appendToStream(
      stream,
      [{ id: eventIdFor('legacy-import', 0), type: 'CustomerRegistered', data: { customerId: 'c9', fullName: 'Grace Brewster Hopper', registeredAt: at }, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 'no_stream' },
    );
    const read = await readAggregate(store, stream, customer.evolve, customer.initialState, upcasters);
    expect(read).toMatchObject({ revision: 0n, state: { status: 'registered', customerId: 'c9', name: { first: 'Grace', last: 'Brewster Hopper' } } });

    const renamed = await handleCommand(store, stream, customer, { type: 'RenameCustomer', data: { name: { first: 'Grace', last: 'Hopper' } } }, options());
    expect(renamed.newState).toMatchObject({ name: { first: 'Grace', last: 'Hopper' } });
    expect((await readAll(stream))[1]!.metadata).toMatchObject({ schemaVersion: 1 }); // CustomerRenamed has no upcasters yet
  });

  it('given a command that changes nothing, when decided, then nothing is appended and the current revision comes back', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    const result = await handleCommand(store, stream, customer, { type: 'RenameCustomer', data: { name: ada } }, options());
    expect(result).toMatchObject({ newEvents: [], nextExpectedRevision: 0n, alreadyHandled: false, newState: { name: ada } });
    expect(await readAll(stream)).toHaveLength(1);
  });

  it('given a soft-deleted stream, when a command starts it again, then its revisions go on', async () => {
    const stream = newStream();
    await handleCommand(store, stream, customer, register, options());
    await store.deleteStream(stream);
    const again = await handleCommand(store, stream, customer, register, options());
    expect(again).toMatchObject({ nextExpectedRevision: 1n, newState: { status: 'registered' } });
  });

  describe('with startsStream', () => {
    /** Counts the store's stream reads, to see which path answered. */
    function counting(inner: EventStore): { store: EventStore; reads: () => number } {
      let reads = 0;
      const wrapped = new Proxy(inner, {
        get(target, property) {
          const value = Reflect.get(target, property) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (property === 'readStream') reads += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      return { store: wrapped, reads: () => reads };
    }

    it('given no stream, when the command starts one, then it is appended without reading the stream first', async () => {
      const stream = newStream();
      const { store: counted, reads } = counting(store);
      const result = await handleCommand(counted, stream, customer, register, { ...options(), startsStream: true });
      expect(reads()).toBe(0);
      expect(result).toMatchObject({ nextExpectedRevision: 0n, alreadyHandled: false, newState: { status: 'registered' } });
      expect((await readAll(stream)).map((e) => e.type)).toEqual(['CustomerRegistered']);
    });

    it('given an existing stream, when the command would start it, then the usual path reads, decides and refuses', async () => {
      const stream = newStream();
      await handleCommand(store, stream, customer, register, options());
      const { store: counted, reads } = counting(store);
      await expect(handleCommand(counted, stream, customer, register, { ...options(), startsStream: true })).rejects.toBeInstanceOf(CustomerAlreadyRegistered);
      expect(reads()).toBe(1);
      expect(await readAll(stream)).toHaveLength(1);
    });

    it('given a command retried with its command id, then it gets the same revision and nothing is appended twice', async () => {
      const stream = newStream();
      const metadata = envelope();
      const first = await handleCommand(store, stream, customer, register, { metadata, upcasters, startsStream: true });
      const again = await handleCommand(store, stream, customer, register, { metadata, upcasters, startsStream: true });
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(again.newState).toEqual(first.newState);
      expect(await readAll(stream)).toHaveLength(1);
    });

    it('given a command the initial state refuses, then the usual path answers with the domain error', async () => {
      const { store: counted, reads } = counting(store);
      await expect(handleCommand(counted, newStream(), customer, note('x'), { ...options(), startsStream: true })).rejects.toBeInstanceOf(CustomerNotFound);
      expect(reads()).toBe(1);
    });
  });

  it('reads a missing stream as the initial state at no_stream', async () => {
    await expect(readAggregate(store, newStream(), customer.evolve, customer.initialState)).resolves.toEqual({ state: { status: 'unknown' }, revision: 'no_stream' });
  });
});
