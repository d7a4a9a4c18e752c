// Poison messages on the real broker: invalid JSON, a schema violation and a handler that keeps failing
// go to `<topic>.dlq` with the reason and origin in headers, the consumer moves on, and a replay after
// the fix applies them.
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  applyToProjection,
  ceMessage,
  committedTotal,
  createProjection,
  createTopic,
  readProjection,
  readTopic,
  testBus,
  topicSize,
  createQuietTestDatabase,
} from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import { CeHeader } from '../cloudevents/headers';
import { EventConsumer } from '../consumer/event-consumer';
import { DlqHeader } from './dead-letter-headers';
import { replayDeadLetters } from './replay';

const prefix = uniqueTopicPrefix('dlq');
const topic = `${prefix}customers`;
const dlqTopic = `${topic}.dlq`;
const groupId = `${prefix}projector`;
let db: TestDatabase;
let publisher: KafkaPublisher;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_dlq');
  publisher = new KafkaPublisher(testBus('dlq-test-producer'));
  await publisher.connect();
});

afterAll(async () => {
  await consumer?.stop();
  await publisher?.disconnect();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

it('dead-letters poison and failing messages with their reason, moves on, and applies them when replayed after a fix', async () => {
  await createTopic(topic, 1);
  await createProjection(db.pool);
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
  // The "fix": a consumer whose contract accepts numeric notes, and a handler without its bug.
  let fixed = false;
  const junk = ceMessage({ topic, customerId: a, seq: 99, value: '{"customerId": "' });
  const violation = ceMessage({ topic, customerId: b, seq: 0, data: { customerId: b, seq: 0, note: 42 } });
  const failing = ceMessage({ topic, customerId: c, seq: 0 });
  await publisher.publish([
    ceMessage({ topic, customerId: a, seq: 0 }),
    junk,
    violation,
    ceMessage({ topic, customerId: a, seq: 1 }),
    failing,
    ceMessage({ topic, customerId: a, seq: 2 }),
  ]);

  const registry = new Registry();
  consumer = new EventConsumer({
    groupId,
    topics: [topic],
    bus: testBus('dlq-test-consumer'),
    pool: db.pool,
    metrics: registry,
    maxAttempts: 3,
    retryBackoff: { initialMs: 10, maxMs: 20 },
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    validate: (_type, payload) =>
      fixed || typeof (payload as { note?: unknown }).note !== 'number'
        ? { ok: true }
        : { ok: false, errors: [{ path: '/note', message: 'must be string' }] },
    handle: async (event, tx) => {
      if (!fixed && event.subject === c) throw new RangeError('customer segment out of range');
      await applyToProjection(tx, event);
    },
  });
  await consumer.start();

  // The consumer moved past all six: the three good ones applied in order, three in the DLQ.
  await waitFor(async () => (await committedTotal(groupId, topic)) === 6, { description: 'six offsets committed' });
  expect(await readProjection(db.pool)).toEqual({ [a]: [0, 1, 2] });
  const letters = await readTopic(dlqTopic);
  expect(letters.map((l) => [l.headers[DlqHeader.ErrorClass], l.headers[DlqHeader.Attempts], l.headers[DlqHeader.OriginalOffset]])).toEqual([
    ['InvalidJsonError', '1', '1'],
    ['SchemaViolationError', '1', '2'],
    ['RangeError', '3', '4'],
  ]);
  const [junkLetter, violationLetter, failingLetter] = letters;
  expect(violationLetter!.headers[DlqHeader.ErrorMessage]).toBe('/note must be string');
  expect(failingLetter!.headers[DlqHeader.ErrorMessage]).toBe('customer segment out of range');
  for (const [letter, original] of [[junkLetter!, junk], [violationLetter!, violation], [failingLetter!, failing]] as const) {
    expect(letter.key).toBe(original.key);
    expect(letter.value.toString()).toBe(original.value.toString());
    expect(letter.headers).toMatchObject(original.headers);
    expect(letter.headers).toMatchObject({ [DlqHeader.OriginalTopic]: topic, [DlqHeader.OriginalPartition]: '0', [DlqHeader.ConsumerGroup]: groupId });
    expect(Date.parse(letter.headers[DlqHeader.FailedAt]!)).not.toBeNaN();
  }
  const dead = await registry.getSingleMetric('crm_messaging_consumer_dead_lettered_total')!.get();
  expect(Object.fromEntries(dead.values.map((v) => [v.labels['error_class'], v.value]))).toEqual({
    InvalidJsonError: 1,
    SchemaViolationError: 1,
    RangeError: 1,
  });

  // After the fix: replay what can now succeed (not the invalid JSON: no fix will parse it).
  fixed = true;
  const replayGroup = `${groupId}.dlq-replay`;
  const replay = () =>
    replayDeadLetters({ bus: testBus('dlq-replay'), dlqTopic, groupId: replayGroup, filter: (l) => l.headers[DlqHeader.ErrorClass] !== 'InvalidJsonError' });
  expect(await replay()).toEqual({ replayed: 2, skipped: 1, byTopic: { [topic]: 2 } });
  await waitFor(async () => Object.keys(await readProjection(db.pool)).length === 3, { description: 'replayed events applied' });
  expect(await readProjection(db.pool)).toEqual({ [a]: [0, 1, 2], [b]: [0], [c]: [0] });
  const republished = (await readTopic(topic)).slice(6);
  expect(republished.map((m) => m.headers[CeHeader.Id])).toEqual([violation.headers[CeHeader.Id], failing.headers[CeHeader.Id]]);
  expect(republished.every((m) => m.headers[DlqHeader.Replays] === '1' && m.headers[DlqHeader.ErrorClass] === undefined)).toBe(true);

  // The replay group remembers: a second run replays nothing, and the DLQ did not grow.
  expect(await replay()).toEqual({ replayed: 0, skipped: 0, byTopic: {} });
  expect(await topicSize(dlqTopic)).toBe(3);
});
