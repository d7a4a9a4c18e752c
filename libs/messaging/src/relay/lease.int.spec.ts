// Exactly one active relay per service: the advisory-lock lease on the real database and broker.
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { PostgresEventStore } from '@crm/event-store';
import { randomUUID } from 'node:crypto';
import { appendNotes, createQuietTestDatabase, noteMapper, readTopic, terminateLeaseHolder, testBus, testLogger } from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import type { OutgoingMessage, Publisher } from '../bus/types';
import { CeHeader } from '../cloudevents/headers';
import { EventRelay } from './event-relay';
import { RelayLease } from './lease';


// $all stalls behind the oldest transaction of the whole PostgreSQL cluster (other test files' too): be patient.
const FLOW_MS = 60_000;
jest.setTimeout(180_000);
const prefix = uniqueTopicPrefix('lease');
let db: TestDatabase;
let store: PostgresEventStore;
const relays: EventRelay[] = [];

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_lease');
  store = await PostgresEventStore.create({ connectionString: db.url, polling: { minDelayMs: 5, maxDelayMs: 50 } });
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await store?.close();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

class CountingPublisher implements Publisher {
  published = 0;
  private readonly inner = new KafkaPublisher(testBus('lease-publisher'));
  connect = () => this.inner.connect();
  disconnect = () => this.inner.disconnect();
  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.published += messages.length;
  }
}

function replica(name: string, category: string, label: string): { relay: EventRelay; publisher: CountingPublisher } {
  const publisher = new CountingPublisher();
  const relay = new EventRelay({
    name,
    store,
    database: { connectionString: db.url },
    bus: testBus(`lease-${label}`),
    source: '/crm/customers',
    streamNamePrefixes: [`${category}-`],
    map: noteMapper(`${prefix}${name}`),
    topics: [{ name: `${prefix}${name}`, partitions: 2 }],
    maxBatchDelayMs: 5,
    leaseRetryMs: 100,
    lease: { heartbeatMs: 200, idleSessionTimeoutMs: 1_000 },
    createPublisher: () => publisher,
    logger: testLogger(`${name} ${label}`),
  });
  relays.push(relay);
  return { relay, publisher };
}

const distinct = async (topic: string) => new Set((await readTopic(topic)).map((m) => m.headers[CeHeader.Id])).size;

describe('relay lease', () => {
  it('a second relay started while the first holds the lease publishes nothing until the first is gone', async () => {
    const topic = `${prefix}standby`;
    const customers = [randomUUID(), randomUUID(), randomUUID()];
    const a = replica('standby', 'standby', 'a');
    await a.relay.start();
    await waitFor(() => a.relay.isLeader, { timeoutMs: FLOW_MS, description: 'A to hold the lease' });
    const b = replica('standby', 'standby', 'b');
    await b.relay.start();

    await appendNotes(store, customers, 10, 0, 'standby');
    await waitFor(() => a.publisher.published === 30, { timeoutMs: FLOW_MS, description: 'A to publish 30 events' });
    await appendNotes(store, customers, 10, 10, 'standby');
    await waitFor(() => a.publisher.published === 60, { timeoutMs: FLOW_MS, description: 'A to publish 60 events' });
    expect(b.relay.isLeader).toBe(false);
    expect(b.publisher.published).toBe(0);

    await a.relay.stop(); // publishes what it read, checkpoints, releases
    await waitFor(() => b.relay.isLeader, { timeoutMs: FLOW_MS, description: 'B to take over' });
    await appendNotes(store, customers, 5, 20, 'standby');
    await waitFor(() => b.publisher.published === 15, { timeoutMs: FLOW_MS, description: 'B to publish the 15 new events' });
    const messages = await readTopic(topic);
    expect(messages).toHaveLength(75); // A's checkpoint on stop: B republished nothing
    expect(await distinct(topic)).toBe(75);
  });

  it('a holder whose lease connection dies stops publishing at once, and the standby takes over', async () => {
    const topic = `${prefix}dies`;
    const customers = [randomUUID(), randomUUID()];
    const a = replica('dies', 'dies', 'a');
    await a.relay.start();
    await waitFor(() => a.relay.isLeader, { timeoutMs: FLOW_MS, description: 'A to hold the lease' });
    const b = replica('dies', 'dies', 'b');
    await b.relay.start();
    await appendNotes(store, customers, 5, 0, 'dies');
    await waitFor(() => a.publisher.published === 10, { timeoutMs: FLOW_MS, description: 'A to publish' });

    expect(await terminateLeaseHolder(db.pool, 'dies')).toBe(1);
    await waitFor(() => !a.relay.isLeader && b.relay.isLeader, { timeoutMs: FLOW_MS, description: 'B to take over from A' });
    const byA = a.publisher.published;
    await appendNotes(store, customers, 5, 5, 'dies');
    await waitFor(async () => (await distinct(topic)) === 20, { timeoutMs: FLOW_MS, description: 'all 20 events on Kafka' });
    expect(a.publisher.published).toBe(byA); // A is standby now: nothing more from it
    expect(a.relay.isLeader).toBe(false);
  });

  it('a stalled holder loses the lease: the server ends its idle session', async () => {
    const name = 'stalled';
    const settings = { heartbeatMs: 100, idleSessionTimeoutMs: 500 };
    const holder = await RelayLease.tryAcquire({ connectionString: db.url }, name, settings, testLogger('stalled holder'));
    expect(holder).not.toBeNull();
    expect(await RelayLease.tryAcquire({ connectionString: db.url }, name, settings, testLogger('standby'))).toBeNull();

    // The holder's event loop stalls (a long GC pause, a CPU-bound handler): no heartbeats go out.
    const stallUntil = Date.now() + 1_500;
    while (Date.now() < stallUntil) {
      // busy: this is the stall under test, not a wait
    }
    const standby = await waitFor(() => RelayLease.tryAcquire({ connectionString: db.url }, name, settings, testLogger('standby')), {
      description: 'the standby to take the lease',
    });
    expect(holder!.isHeld).toBe(false);
    await expect(holder!.lost).resolves.toBeInstanceOf(Error);
    await standby.release();
    await holder!.release();
  });
});
