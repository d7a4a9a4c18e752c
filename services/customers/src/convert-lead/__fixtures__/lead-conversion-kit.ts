// The customers service for the lead-conversion e2e tests: an app that can be restarted on the same database,
// topics and master key; lead.converted messages built as the sales relay builds them (libs/messaging's
// envelope); and waiting until the consumer group has committed everything on the sales topic.
import type { INestApplication } from '@nestjs/common';
import { salesTopic, validate, type LeadConvertedV1 } from '@crm/contracts';
import type { RecordedEvent } from '@crm/event-store';
import { KafkaPublisher, toOutgoingMessage, type OutgoingMessage } from '@crm/messaging';
import { createServiceApp } from '@crm/platform';
import { createTestDatabase, deleteTopicsWithPrefix, testInfra, uniqueTopicPrefix, waitFor, withAdmin, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppModule } from '../../app.module';
import { CustomersConfig } from '../../customers.config';
import type { CustomersTestApp } from '../../infrastructure/__fixtures__/customers-test-app';
import { LeadConversionsConsumer } from '../lead-conversions.consumer';

export interface LeadConversionApp extends CustomersTestApp {
  salesTopic: string;
  customersTopic: string;
  groupId: string;
  /**
   * Closes the app (not the database or topics) and starts a new one on the same database, topics and keys;
   * `meanwhile` runs while no instance is up.
   */
  restart(meanwhile?: () => Promise<void>): Promise<void>;
}

export async function startLeadConversionApp(label: string): Promise<LeadConversionApp> {
  const db: TestDatabase = await createTestDatabase(label);
  const topicPrefix = uniqueTopicPrefix(label);
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'),
    DEFAULT_PHONE_REGION: 'DE',
    PORT: '0',
    LOG_LEVEL: process.env['CUSTOMERS_TEST_LOG_LEVEL'] ?? 'silent',
    KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  const create = () => createServiceApp(AppModule, { name: 'customers', config: CustomersConfig, env, openApi: false });
  let app: INestApplication;
  try {
    await db.pool.query('SELECT 1'); // connected at once: clean-up drops test databases without recent connections
    app = await create();
  } catch (error) {
    await db.drop();
    throw error;
  }
  const t: LeadConversionApp = {
    app,
    http: app.getHttpServer(),
    db,
    topicPrefix,
    salesTopic: `${topicPrefix}${salesTopic.name}`,
    customersTopic: `${topicPrefix}crm.customers.v1`,
    groupId: app.get(LeadConversionsConsumer).groupId,
    async restart(meanwhile) {
      await t.app.close();
      await meanwhile?.();
      t.app = await create();
      t.http = t.app.getHttpServer();
    },
    async close() {
      await t.app.close();
      await db.drop();
      await deleteTopicsWithPrefix(topicPrefix);
    },
  };
  return t;
}

/** lead.converted as the sales relay publishes it: CloudEvents headers, keyed by the lead id. Validated unless `raw`. */
export function leadConverted(topic: string, payload: LeadConvertedV1 | Record<string, unknown>, options: { id?: string; type?: string; raw?: boolean } = {}): OutgoingMessage {
  const type = options.type ?? 'crm.lead.converted.v1';
  if (options.raw !== true) {
    const result = validate(type, payload);
    if (!result.ok) throw new Error(`test message breaks ${type}: ${JSON.stringify(result.errors)}`);
  }
  const leadId = String((payload as { leadId?: unknown }).leadId ?? randomUUID());
  const time = new Date().toISOString();
  const recorded: RecordedEvent = {
    id: options.id ?? randomUUID(),
    type: 'LeadConverted',
    data: {},
    metadata: { correlationId: `conversion-${leadId}`, causationId: randomUUID(), actor: 'sales-user-7', time },
    streamId: `lead-${leadId}`,
    revision: 2n,
    position: { commit: 1n, prepare: 1n },
    created: new Date(time),
  };
  return toOutgoingMessage(recorded, { topic, type, payload, key: leadId }, salesTopic.source);
}

export async function publish(...messages: OutgoingMessage[]): Promise<void> {
  const publisher = new KafkaPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'lead-conversion-test' });
  await publisher.connect();
  try {
    await publisher.publish(messages);
  } finally {
    await publisher.disconnect();
  }
}

/** Every message on the sales topic has been handled and its offset committed by the service's consumer group. */
export async function waitForConsumed(t: LeadConversionApp): Promise<void> {
  await waitFor(
    () =>
      withAdmin(async (admin) => {
        const ends = await admin.fetchTopicOffsets(t.salesTopic);
        const [committed] = await admin.fetchOffsets({ groupId: t.groupId, topics: [t.salesTopic] });
        const offsets = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        return ends.every((end) => Number(end.high) === 0 || offsets.get(end.partition) === Number(end.high));
      }),
    { description: `consumer group ${t.groupId} caught up on ${t.salesTopic}`, timeoutMs: 30_000 },
  );
}

/** Makes the group read the sales topic from the start again and forget what it deduplicated: a crash that lost both. */
export async function forgetConsumedOffsets(t: LeadConversionApp): Promise<void> {
  await t.db.pool.query('DELETE FROM messaging.processed_events WHERE consumer_group = $1', [t.groupId]);
  // Without committed offsets the group starts at the earliest message (the consumer's fromBeginning).
  await withAdmin((admin) => admin.deleteGroups([t.groupId]));
}
