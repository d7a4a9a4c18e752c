// Kafka for tests: a unique topic prefix per file and run, and an admin on the real broker.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { testInfra, testRunId } from './infra';

/** e.g. `t.k3x9a1.relay.` — prefix every topic a test file creates with it. */
export function uniqueTopicPrefix(label = 'topic'): string {
  return `t.${testRunId()}.${label.replace(/[^a-zA-Z0-9-]/g, '-')}.${randomBytes(3).toString('hex')}.`;
}

export function testKafka(clientId = 'crm-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: testInfra().kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
}

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('crm-test-admin').admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with the prefix (call in afterAll). */
export async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  });
}
