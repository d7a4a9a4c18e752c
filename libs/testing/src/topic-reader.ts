// Reading back what a service published: every message of a topic from the start, collected in the background by
// a fresh consumer group, and waiting for one aggregate's messages (keyed by its id) to arrive.
import { randomUUID } from 'node:crypto';
import { testKafka } from './kafka';
import { waitFor } from './wait-for';

export interface TopicMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  offset: string;
  partition: number;
}

export interface TopicReader {
  /** Grows as messages arrive, in each partition's order. */
  messages: TopicMessage[];
  stop(): Promise<void>;
}

/** Starts collecting; call `stop()` in afterAll. */
export async function readTopic(topic: string): Promise<TopicReader> {
  const consumer = testKafka(`topic-reader-${randomUUID().slice(0, 8)}`).consumer({ groupId: `topic-reader-${randomUUID()}` });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
      messages.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers, offset: message.offset, partition });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** The messages keyed `key` (one aggregate's, in order), once `until` holds for them. */
export function waitForMessages(
  reader: Pick<TopicReader, 'messages'>,
  key: string,
  until: (messages: TopicMessage[]) => boolean,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<TopicMessage[]> {
  return waitFor(
    () => {
      const mine = reader.messages.filter((m) => m.key === key);
      return until(mine) ? mine : null;
    },
    { description: `Kafka messages keyed ${key}`, timeoutMs },
  );
}

/** The CloudEvents types (`ce_type`) of the messages, e.g. `crm.lead.captured.v1`. */
export const messageTypesOf = (messages: readonly TopicMessage[]): string[] => messages.map((m) => m.headers['ce_type'] ?? '');
