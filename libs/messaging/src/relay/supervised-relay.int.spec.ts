// SupervisedRelay on the real database and broker: it starts, leads and reports ready with its topics; when the
// database cannot be reached it lets the service start, keeps retrying, and stops at once when asked.
import { PostgresEventStore } from '@crm/event-store';
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { appendNotes, createQuietTestDatabase, noteMapper, testBus, testLogger, topicSize } from '../__fixtures__/int-kit';
import { SupervisedRelay } from './supervised-relay';

jest.setTimeout(120_000);
const prefix = uniqueTopicPrefix('supervised');
let db: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_supervised');
  store = await PostgresEventStore.create({ connectionString: db.url, polling: { minDelayMs: 5, maxDelayMs: 50 } });
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

const relayOn = (topic: string, database: { connectionString: string }, startTimeoutMs?: number) =>
  new SupervisedRelay({
    name: `supervised-${randomUUID()}`,
    store,
    database,
    bus: testBus('supervised-relay'),
    source: '/crm/test',
    streamNamePrefixes: ['note-'],
    map: noteMapper(topic),
    topics: [{ name: topic, partitions: 1, replicationFactor: 1 }],
    logger: testLogger('supervised'),
    ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
  });

describe('SupervisedRelay', () => {
  it('starts, takes the lead with a connected producer, publishes, reports ready with its topics, and stops', async () => {
    const topic = `${prefix}notes`;
    const relay = relayOn(topic, { connectionString: db.url });
    try {
      expect(relay.readiness()).toEqual({ relay: 'standby' });
      await relay.start();
      await appendNotes(store, [randomUUID()], 2, 0, 'note');
      await waitFor(async () => (await topicSize(topic)) === 2, { timeoutMs: 60_000 });
      expect(relay.readiness()).toEqual({ relay: 'leader', topics: [topic] });
    } finally {
      await relay.stop();
    }
    expect(relay.readiness()).toEqual({ relay: 'standby' });
  });

  it('when the database is unreachable, start returns after its timeout and stop ends the retries at once', async () => {
    const relay = relayOn(`${prefix}unreached`, { connectionString: 'postgres://postgres@127.0.0.1:1/none' }, 300);
    const started = Date.now();
    await relay.start();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(relay.readiness()).toEqual({ relay: 'standby' });
    const stopping = Date.now();
    await relay.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});
