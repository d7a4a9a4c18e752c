// EventConsumer on the real broker and database: deduplication in the handler's transaction, offsets
// after commit, two members of one group with one leaving mid-stream, and a crash seen by the readiness check.
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  acceptAll,
  applyToProjection,
  ceMessage,
  cleanPass,
  committedTotal,
  countApplied,
  createProjection,
  createTopic,
  readProjection,
  testBus,
  createQuietTestDatabase,
} from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import type { OutgoingMessage, Publisher } from '../bus/types';
import { NonRetriableError } from './errors';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';

const prefix = uniqueTopicPrefix('consumer');
let db: TestDatabase;
let publisher: KafkaPublisher;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_consumer');
  publisher = new KafkaPublisher(testBus('consumer-test-producer'));
  await publisher.connect();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await publisher?.disconnect();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

function consumer(options: Partial<EventConsumerOptions> & Pick<EventConsumerOptions, 'groupId' | 'topics' | 'handle'>): EventConsumer {
  const c = new EventConsumer({
    bus: testBus(`consumer-${consumers.length}`),
    pool: db.pool,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    validate: acceptAll,
    ...options,
  });
  consumers.push(c);
  return c;
}

/** `perCustomer` events for each of `customers` customers, interleaved across customers. */
function notes(topic: string, customers: string[], perCustomer: number, from = 0): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  for (let seq = from; seq < from + perCustomer; seq += 1) {
    for (const customerId of customers) out.push(ceMessage({ topic, customerId, seq }));
  }
  return out;
}

describe('EventConsumer', () => {
  it('applies every event once, in per-key order, with redelivered duplicates skipped, and commits the offsets', async () => {
    const topic = `${prefix}dedup`;
    const groupId = `${prefix}dedup-group`;
    await createTopic(topic, 3);
    await createProjection(db.pool, 'dedup_notes');
    const customers = Array.from({ length: 5 }, () => randomUUID());
    const messages = notes(topic, customers, 20);
    // The same events published twice (a relay that crashed before its checkpoint): same ids, same order.
    await publisher.publish(messages);
    await publisher.publish(messages.slice(0, 40));
    const registry = new Registry();
    let calls = 0;
    const c = consumer({
      groupId,
      topics: [topic],
      metrics: registry,
      maxMessagesPerTransaction: 7,
      handle: async (event, tx) => {
        calls += 1;
        await applyToProjection(tx, event, 'dedup_notes');
      },
    });
    await c.start();

    await waitFor(async () => (await committedTotal(groupId, topic)) === 140, { description: 'all 140 offsets committed' });
    expect(await readProjection(db.pool, 'dedup_notes')).toEqual(cleanPass(Object.fromEntries(customers.map((id) => [id, 20]))));
    expect(calls).toBe(100);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM messaging.processed_events WHERE consumer_group = $1', [groupId]);
    expect(rows[0].n).toBe(100);
    const handled = await registry.getSingleMetric('crm_messaging_consumer_handled_total')!.get();
    const byResult = Object.fromEntries(handled.values.map((v) => [v.labels['result'], v.value]));
    expect(byResult).toEqual({ applied: 100, duplicate: 40 });
    const lag = await registry.getSingleMetric('crm_messaging_consumer_lag')!.get();
    expect(lag.values.length).toBeGreaterThan(0);
    expect(lag.values.every((v) => v.value === 0)).toBe(true);
  });

  it('rolls back the dedup row with the handler: a failed attempt is retried and applied once', async () => {
    const topic = `${prefix}retry`;
    const groupId = `${prefix}retry-group`;
    await createTopic(topic, 1);
    await createProjection(db.pool, 'retry_notes');
    const customerId = randomUUID();
    await publisher.publish(notes(topic, [customerId], 3));
    let failuresLeft = 2;
    const registry = new Registry();
    const c = consumer({
      groupId,
      topics: [topic],
      metrics: registry,
      maxMessagesPerTransaction: 1,
      retryBackoff: { initialMs: 20, maxMs: 50 },
      handle: async (event, tx) => {
        await applyToProjection(tx, event, 'retry_notes'); // written, then rolled back when we throw
        if ((event.data as { seq: number }).seq === 1 && failuresLeft-- > 0) throw new Error('transient: lock timeout');
      },
    });
    await c.start();
    await waitFor(async () => (await committedTotal(groupId, topic)) === 3, { description: '3 offsets committed' });
    expect(await readProjection(db.pool, 'retry_notes')).toEqual({ [customerId]: [0, 1, 2] });
    expect((await registry.getSingleMetric('crm_messaging_consumer_retries_total')!.get()).values[0]?.value).toBe(2);
  });

  it('two consumers in one group, one stopped mid-stream: no event lost, none applied twice', async () => {
    const topic = `${prefix}group`;
    const groupId = `${prefix}group-group`;
    await createTopic(topic, 6);
    await createProjection(db.pool, 'group_notes');
    const customers = Array.from({ length: 24 }, () => randomUUID());
    const handledBy = { a: 0, b: 0 };
    const make = (name: 'a' | 'b') =>
      consumer({
        groupId,
        topics: [topic],
        maxMessagesPerTransaction: 5,
        handle: async (event, tx) => {
          handledBy[name] += 1;
          await applyToProjection(tx, event, 'group_notes');
          await new Promise((resolve) => setTimeout(resolve, 1)); // keep batches in flight while B leaves
        },
      });
    const a = make('a');
    const b = make('b');
    await Promise.all([a.start(), b.start()]);

    await publisher.publish(notes(topic, customers, 10, 0));
    await waitFor(() => handledBy.a > 20 && handledBy.b > 20, { description: 'both members applying events' });
    const [, stopped] = await Promise.all([publisher.publish(notes(topic, customers, 10, 10)), b.stop()]);
    void stopped;
    const byBAtStop = handledBy.b;
    await publisher.publish(notes(topic, customers, 10, 20));

    await waitFor(async () => (await countApplied(db.pool, 'group_notes')) === 720, { timeoutMs: 40_000, description: '720 events applied' });
    await waitFor(async () => (await committedTotal(groupId, topic)) === 720, { description: 'all offsets committed' });
    expect(handledBy.b).toBe(byBAtStop); // B applied nothing after its stop returned
    expect(await readProjection(db.pool, 'group_notes')).toEqual(cleanPass(Object.fromEntries(customers.map((id) => [id, 30]))));
  });

  it('reports a kafkajs crash until it is back in its group: readiness fails meanwhile', async () => {
    const topic = `${prefix}crash`;
    const groupId = `${prefix}crash-group`;
    await createTopic(topic, 1);
    // A dead-letter topic that cannot be written makes the batch fail in kafkajs's hands: a CRASH, then its restarts.
    let deadLettersDown = true;
    const deadLettered: OutgoingMessage[] = [];
    const deadLetterPublisher: Publisher = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      publish: async (messages) => {
        if (deadLettersDown) throw new Error('dead-letter topic unreachable');
        deadLettered.push(...messages);
      },
    };
    const c = consumer({
      groupId,
      topics: [topic],
      bus: { ...testBus('consumer-crash'), retries: 0 },
      deadLetterPublisher,
      handle: async () => {
        throw new NonRetriableError('refused');
      },
    });
    expect(() => c.readiness()).toThrow(/not in its group \(idle\)/);
    await c.start();
    expect(c.readiness()).toEqual({ group: groupId, topics: [topic] });

    await publisher.publish([ceMessage({ topic, customerId: randomUUID(), seq: 0 })]);
    await waitFor(() => c.status.state === 'crashed', { description: 'the consumer crashed' });
    expect(() => c.readiness()).toThrow(/crashed: /);

    deadLettersDown = false;
    await waitFor(async () => deadLettered.length === 1 && (await committedTotal(groupId, topic)) === 1, { timeoutMs: 30_000, description: 'dead-lettered and committed' });
    await waitFor(() => c.status.state === 'running', { description: 'back in its group' });
    expect(c.readiness()).toEqual({ group: groupId, topics: [topic] });
    await c.stop();
    expect(c.status.state).toBe('stopped');
  });
});
