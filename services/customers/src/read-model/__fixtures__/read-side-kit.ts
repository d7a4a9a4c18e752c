// The customers service with its read side for e2e tests: its own topic prefix (deleted afterwards), waiting
// for the read model, and reading the topic back with a fresh consumer group.
import { testKafka, waitFor } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startCustomersApp, type CustomersTestApp } from '../../infrastructure/__fixtures__/customers-test-app';
import type { CustomerProfileView } from '../customer-profile.view';

export interface ReadSideApp extends CustomersTestApp {
  topic: string;
}

export async function startReadSideApp(label: string): Promise<ReadSideApp> {
  const t = await startCustomersApp(label);
  return { ...t, topic: `${t.topicPrefix}crm.customers.v1` };
}

type Profile = CustomerProfileView & { mergedFrom?: string[] };

/** GET /customers/:id until it answers 200 and `until` holds. */
export async function waitForProfile(t: CustomersTestApp, customerId: string, until: (profile: Profile) => boolean = () => true): Promise<Profile> {
  return waitFor(
    async () => {
      const res = await request(t.http).get(`/customers/${customerId}`);
      return res.status === 200 && until(res.body as Profile) ? (res.body as Profile) : null;
    },
    { description: `customer ${customerId} in the read model`, timeoutMs: 15_000 },
  );
}

/** The row as stored, every column (state included). */
export async function profileRow(t: CustomersTestApp, customerId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await t.db.pool.query<Record<string, unknown>>('SELECT * FROM customers.customer_profiles WHERE customer_id = $1', [customerId]);
  return rows[0];
}

export interface TopicMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  offset: string;
  partition: number;
}

/** Every message of the topic from the start, collected in the background by a fresh consumer group. */
export async function readTopic(topic: string): Promise<{ messages: TopicMessage[]; stop(): Promise<void> }> {
  const consumer = testKafka(`customers-test-${randomUUID().slice(0, 8)}`).consumer({ groupId: `customers-test-${randomUUID()}` });
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

/** The messages of one customer, in order, once `until` holds for them. */
export async function waitForMessages(
  feed: { messages: TopicMessage[] },
  customerId: string,
  until: (messages: TopicMessage[]) => boolean,
): Promise<TopicMessage[]> {
  return waitFor(
    () => {
      const mine = feed.messages.filter((m) => m.key === customerId);
      return until(mine) ? mine : null;
    },
    { description: `Kafka messages of ${customerId}`, timeoutMs: 20_000 },
  );
}

export const typesOf = (messages: readonly TopicMessage[]): string[] => messages.map((m) => m.headers['ce_type'] ?? '');
