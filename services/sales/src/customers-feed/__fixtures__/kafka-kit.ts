// Kafka for the saga's e2e tests: crm.customers.v1 messages built as the customers relay builds them (libs/messaging's
// envelope), reading a topic back as raw messages (to publish one again: a duplicate delivery), and waiting until
// a consumer group has committed everything on a topic.
import { customersTopic, validate, type CustomersEvent } from '@crm/contracts';
import type { RecordedEvent } from '@crm/event-store';
import { KafkaPublisher, toOutgoingMessage, type OutgoingMessage } from '@crm/messaging';
import { testInfra, testKafka, waitFor, withAdmin } from '@crm/testing';
import { randomUUID } from 'node:crypto';

/** A crm.customers.v1 message keyed by the customer id, validated against its contract unless `raw`. */
export function customersMessage<T extends CustomersEvent['type']>(
  topic: string,
  type: T,
  payload: Extract<CustomersEvent, { type: T }>['payload'] | Record<string, unknown>,
  options: { id?: string; raw?: boolean } = {},
): OutgoingMessage {
  if (options.raw !== true) {
    const result = validate(type, payload);
    if (!result.ok) throw new Error(`test message breaks ${type}: ${JSON.stringify(result.errors)}`);
  }
  const customerId = String((payload as { customerId?: unknown }).customerId ?? randomUUID());
  const time = new Date().toISOString();
  const recorded: RecordedEvent = {
    id: options.id ?? randomUUID(),
    type: 'CustomerEvent',
    data: {},
    metadata: { correlationId: `customer-${customerId}`, causationId: randomUUID(), actor: 'customers-test', time },
    streamId: `customer-${customerId}`,
    revision: 0n,
    position: { commit: 1n, prepare: 1n },
    created: new Date(time),
  };
  return toOutgoingMessage(recorded, { topic, type, payload, key: customerId }, customersTopic.source);
}

export async function publish(...messages: OutgoingMessage[]): Promise<void> {
  const publisher = new KafkaPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'sales-saga-test' });
  await publisher.connect();
  try {
    await publisher.publish(messages);
  } finally {
    await publisher.disconnect();
  }
}

/** Every message of the topic from the start, as published (headers included), collected by a fresh group. */
export async function collectTopic(topic: string): Promise<{ messages: OutgoingMessage[]; stop(): Promise<void> }> {
  const consumer = testKafka(`saga-test-${randomUUID().slice(0, 8)}`).consumer({ groupId: `saga-test-${randomUUID()}` });
  const messages: OutgoingMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
      messages.push({ topic, key: message.key?.toString() ?? null, value: message.value ?? Buffer.alloc(0), headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

export const typeOf = (message: OutgoingMessage): string => message.headers['ce_type'] ?? '';
export const payloadOf = <T = Record<string, unknown>>(message: OutgoingMessage): T => JSON.parse(message.value.toString()) as T;

/** The first collected message that `matches`, once there is one. */
export function waitForMessage(feed: { messages: OutgoingMessage[] }, matches: (message: OutgoingMessage) => boolean, description: string): Promise<OutgoingMessage> {
  return waitFor(() => feed.messages.find(matches) ?? null, { description, timeoutMs: 30_000 });
}

/** Every message on `topic` has been handled and its offset committed by `groupId`. */
export async function waitForGroupCaughtUp(groupId: string, topic: string): Promise<void> {
  await waitFor(
    () =>
      withAdmin(async (admin) => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        return ends.every((end) => Number(end.high) === 0 || offsets.get(end.partition) === Number(end.high));
      }),
    { description: `consumer group ${groupId} caught up on ${topic}`, timeoutMs: 30_000 },
  );
}
