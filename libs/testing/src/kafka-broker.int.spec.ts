// The real local broker works with our client for what the system relies on: admin, produce,
// consumer groups with manual commits, and resuming after the committed offset.
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix, withAdmin } from './kafka';
import { waitFor } from './wait-for';

const prefix = uniqueTopicPrefix('broker');
const kafka = testKafka('broker-int-test');

afterAll(() => deleteTopicsWithPrefix(prefix));

async function consumeInGroup(
  topic: string,
  groupId: string,
  onMessage: (payload: EachMessagePayload) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async (payload) => onMessage(payload) });
  return consumer;
}

describe('local Kafka broker with kafkajs', () => {
  it('creates and deletes a topic with the admin client', async () => {
    const topic = `${prefix}admin`;
    await withAdmin(async (admin) => {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      await waitFor(async () => !(await admin.listTopics()).includes(topic), { description: `${topic} deleted` });
    });
  });

  it('resumes a consumer group after its committed offset when the consumer restarts', async () => {
    const topic = `${prefix}resume`;
    const groupId = `${prefix}group`;
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (from: number, to: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: to - from }, (_, i) => ({ key: 'customer-1', value: `m${from + i}` })),
      });
    await send(0, 5);

    // First run: read all five, commit the offset after the third (offset 2 → commit 3).
    const firstRun: string[] = [];
    let consumer = await consumeInGroup(topic, groupId, ({ message }) => {
      firstRun.push(message.value!.toString());
    });
    await waitFor(() => firstRun.length >= 5, { description: 'first run to read 5 messages' });
    await consumer.commitOffsets([{ topic, partition: 0, offset: '3' }]);
    await consumer.disconnect();

    await send(5, 7);

    // Second run: starts after the commit, so it sees m3..m6 and never m0..m2.
    const secondRun: string[] = [];
    consumer = await consumeInGroup(topic, groupId, ({ message }) => {
      secondRun.push(message.value!.toString());
    });
    try {
      await waitFor(() => secondRun.length >= 4, { description: 'second run to read 4 messages' });
      expect(firstRun).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(secondRun).toEqual(['m3', 'm4', 'm5', 'm6']);
      const committed = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
      expect(committed[0]?.partitions[0]?.offset).toBe('3');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
