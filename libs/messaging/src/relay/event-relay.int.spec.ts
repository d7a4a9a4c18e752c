// EventRelay on the real event store, broker and database: the envelope, checkpoints, a relay that dies
// between publish and checkpoint, and the lease that keeps a second replica quiet.
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { PostgresEventStore, type RecordedEvent } from '@crm/event-store';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  acceptAll,
  appendNotes,
  applyToProjection,
  cleanPass,
  createProjection,
  firstOccurrences,
  noteMapper,
  readProjection,
  readTopic,
  revisionsByKey,
  terminateLeaseHolder,
  testBus,
  testLogger,
  topicSize,
  createQuietTestDatabase,
} from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import type { OutgoingMessage, Publisher } from '../bus/types';
import { CeHeader } from '../cloudevents/headers';
import { EventConsumer } from '../consumer/event-consumer';
import { EventRelay, type EventRelayOptions } from './event-relay';


// $all stalls behind the oldest transaction of the whole PostgreSQL cluster (other test files' too): be patient.
const FLOW_MS = 60_000;
jest.setTimeout(180_000);
const prefix = uniqueTopicPrefix('relay');
let db: TestDatabase;
let store: PostgresEventStore;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_relay');
  store = await PostgresEventStore.create({ connectionString: db.url, polling: { minDelayMs: 5, maxDelayMs: 50 } });
});

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await store?.close();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

/** Counts what a relay publishes; `afterPublish` can make it die right after the broker acknowledged. */
class ObservedPublisher implements Publisher {
  published = 0;
  private readonly inner: KafkaPublisher;
  constructor(
    label: string,
    private readonly afterPublish?: (batches: number) => Promise<void>,
  ) {
    this.inner = new KafkaPublisher(testBus(label));
  }
  private batches = 0;
  connect = () => this.inner.connect();
  disconnect = () => this.inner.disconnect();
  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.published += messages.length;
    this.batches += 1;
    await this.afterPublish?.(this.batches);
  }
}

function relay(name: string, topic: string, overrides: Partial<EventRelayOptions> = {}): EventRelay {
  const r = new EventRelay({
    name,
    store,
    database: { connectionString: db.url },
    bus: testBus(`relay-${name}`),
    source: '/crm/customers',
    streamNamePrefixes: ['customer-'],
    map: noteMapper(topic),
    topics: [{ name: topic, partitions: 3 }],
    maxBatchDelayMs: 10,
    idleCheckpointMs: 50,
    leaseRetryMs: 100,
    logger: testLogger(`relay ${name}#${running.length}`),
    ...overrides,
  });
  running.push(r);
  return r;
}

async function checkpointOf(name: string): Promise<{ commit: bigint; prepare: bigint } | null> {
  const { rows } = await db.pool.query('SELECT commit, prepare FROM messaging.relay_checkpoints WHERE relay_name = $1', [name]);
  return rows[0] ? { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) } : null;
}


describe('EventRelay', () => {
  it('publishes mapped events with CloudEvents headers, keyed by aggregate id, in stream order, and checkpoints past unmapped events', async () => {
    const topic = `${prefix}envelope`;
    const customers = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await appendNotes(store, customers, 5);
    await store.appendToStream(`order-${randomUUID()}`, { id: randomUUID(), type: 'CustomerNoted', data: {} }); // other category
    const registry = new Registry();
    const r = relay('envelope', topic, { metrics: registry, maxBatchSize: 3 });
    await r.start();
    await waitFor(async () => (await topicSize(topic)) >= 20, { timeoutMs: FLOW_MS, description: '20 events on the topic' });
    const { position: end } = await store.appendToStream(`customer-${customers[0]}`, { id: randomUUID(), type: 'CustomerPrivateNote', data: {} }); // not mapped
    await waitFor(async () => (await checkpointOf('envelope'))?.commit === end.commit && (await checkpointOf('envelope'))?.prepare === end.prepare, {
      timeoutMs: FLOW_MS,
      description: 'checkpoint at the last (unmapped) event',
    });

    const messages = await readTopic(topic);
    expect(messages).toHaveLength(20);
    expect(revisionsByKey(messages)).toEqual(Object.fromEntries(customers.map((c) => [c, [0, 1, 2, 3, 4]])));
    const first = messages.find((m) => m.key === customers[1] && m.headers[CeHeader.StreamRevision] === '0')!;
    const [recorded] = await (async () => {
      const out: RecordedEvent[] = [];
      for await (const e of store.readStream(`customer-${customers[1]}`, { maxCount: 1 })) out.push(e);
      return out;
    })();
    expect(first.headers).toEqual({
      [CeHeader.SpecVersion]: '1.0',
      [CeHeader.Id]: recorded!.id,
      [CeHeader.Source]: '/crm/customers',
      [CeHeader.Type]: 'crm.customer.noted.v1',
      [CeHeader.Time]: recorded!.metadata['time'],
      [CeHeader.Subject]: customers[1],
      [CeHeader.ContentType]: 'application/json',
      [CeHeader.TraceParent]: expect.stringMatching(
        new RegExp(`^00-${String(recorded!.metadata['correlationId']).replace(/-/g, '')}-${recorded!.id.replace(/-/g, '').slice(16)}-01$`),
      ),
      [CeHeader.CorrelationId]: recorded!.metadata['correlationId'],
      [CeHeader.CausationId]: recorded!.metadata['causationId'],
      [CeHeader.StreamRevision]: '0',
    });
    expect(JSON.parse(first.value.toString())).toEqual({ customerId: customers[1], seq: 0 });
    const published = await registry.getSingleMetric('crm_messaging_relay_published_total')!.get();
    expect(published.values.reduce((sum, v) => sum + v.value, 0)).toBe(20);
    expect((await registry.getSingleMetric('crm_messaging_relay_lease_held')!.get()).values[0]?.value).toBe(1);
    await r.stop();
    expect((await registry.getSingleMetric('crm_messaging_relay_lease_held')!.get()).values[0]?.value).toBe(0);
  });

  it('killed between publish and checkpoint and restarted: every event at least once, in per-key order; the consumer applies one clean pass', async () => {
    const topic = `${prefix}crash`;
    const name = 'crash';
    const customers = Array.from({ length: 8 }, () => randomUUID());
    await appendNotes(store, customers, 25, 0, 'crashed');
    // The first relay "dies" right after the broker acknowledged its third batch: its session ends on the
    // server (as when the process is killed) and it never gets to write that checkpoint.
    let died = false;
    const dying = new ObservedPublisher('relay-crash-a', async (batches) => {
      if (batches < 3) return;
      died = true;
      await terminateLeaseHolder(db.pool, name);
      await new Promise<never>(() => undefined); // frozen for good
    });
    const first = relay(name, topic, { maxBatchSize: 40, streamNamePrefixes: ['crashed-'], createPublisher: () => dying });
    await first.start();
    await waitFor(() => died, { timeoutMs: FLOW_MS, description: 'the first relay to die' });
    await first.stop(); // what is left of it: a dead process does not come back
    const checkpointAtDeath = await checkpointOf(name);

    const restarted = relay(name, topic, { maxBatchSize: 40, streamNamePrefixes: ['crashed-'] });
    await restarted.start();
    const distinctIds = async () => new Set((await readTopic(topic)).map((m) => m.headers[CeHeader.Id])).size;
    await waitFor(async () => (await distinctIds()) === 200, { timeoutMs: FLOW_MS, description: 'all 200 events on Kafka' });
    await appendNotes(store, customers, 5, 25, 'crashed'); // and the relay goes on live
    await waitFor(async () => (await distinctIds()) === 240, { timeoutMs: FLOW_MS, description: 'the later 40 events on Kafka' });

    const messages = await readTopic(topic);
    expect(checkpointAtDeath).not.toBeNull(); // two batches were checkpointed, the third was not
    expect(messages.length).toBeGreaterThan(240); // the unacknowledged-checkpoint batch went out twice
    const byKey = revisionsByKey(messages);
    expect(firstOccurrences(byKey)).toEqual(Object.fromEntries(customers.map((c) => [c, Array.from({ length: 30 }, (_, i) => i)])));

    // A deduplicating consumer turns the at-least-once stream into one clean pass.
    await createProjection(db.pool);
    const groupId = `${prefix}crash-projector`;
    const consumer = new EventConsumer({
      groupId,
      topics: [topic],
      bus: testBus('relay-crash-consumer'),
      pool: db.pool,
      validate: acceptAll,
      handle: (event, tx) => applyToProjection(tx, event),
    });
    running.push(consumer);
    await consumer.start();
    await waitFor(async () => Object.values(await readProjection(db.pool)).flat().length === 240, { timeoutMs: FLOW_MS, description: '240 events applied' });
    expect(await readProjection(db.pool)).toEqual(cleanPass(Object.fromEntries(customers.map((c) => [c, 30]))));
    await consumer.stop();
    await restarted.stop();
  });
});
