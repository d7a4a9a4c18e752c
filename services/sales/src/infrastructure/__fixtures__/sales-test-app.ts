// The sales service for e2e tests: the real app (createServiceApp) on a fresh PostgreSQL database with the
// PostgreSQL event store and a Kafka topic prefix of its own; helpers to call it and to look at what it stored.
import type { INestApplication } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { createServiceApp } from '@crm/platform';
import { createTestDatabase, deleteTopicsWithPrefix, testInfra, testKafka, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../../app.module';
import { SalesConfig } from '../../sales.config';
import type { CustomerStatus } from '../../domain';
import { SALES_EVENT_STORE } from '../tokens';

export interface SalesTestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  db: TestDatabase;
  /** Prefix of the Kafka topics this app publishes to (its own, deleted on close). */
  topicPrefix: string;
  /** The master key it runs with: pass it to a restarted app on the same database. */
  masterKey: string;
  /** Stops the app; drops the database and topics unless `keepData` (for a restart on the same data). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Start on this database (e.g. a closed app's `db`, with its `masterKey` and `topicPrefix` in env): a restart. */
  db?: TestDatabase;
}

/** `env` overrides any variable (KAFKA_TOPIC_PREFIX, SALES_MASTER_KEY, …). */
export async function startSalesApp(label: string, env: Record<string, string> = {}, options: StartOptions = {}): Promise<SalesTestApp> {
  const db = options.db ?? (await createTestDatabase(label));
  const topicPrefix = env['KAFKA_TOPIC_PREFIX'] ?? uniqueTopicPrefix(label);
  const masterKey = env['SALES_MASTER_KEY'] ?? randomBytes(32).toString('base64');
  try {
    // Connected at once: another jest run's clean-up drops test databases that have no recent connection.
    await db.pool.query('SELECT 1');
    const app = await createServiceApp(AppModule, {
      name: 'sales',
      config: SalesConfig,
      env: {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        SALES_MASTER_KEY: masterKey,
        DEFAULT_PHONE_REGION: 'DE',
        PORT: '0',
        LOG_LEVEL: process.env['SALES_TEST_LOG_LEVEL'] ?? 'silent',
        KAFKA_TOPIC_PREFIX: topicPrefix,
        ...env,
      },
      openApi: false,
    });
    return {
      app,
      http: app.getHttpServer(),
      db,
      topicPrefix,
      masterKey,
      async close({ keepData = false } = {}) {
        await app.close();
        if (keepData) return;
        await db.drop();
        await deleteTopicsWithPrefix(topicPrefix);
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

// ---- request bodies (unique ids per call) ----

export const STAGES = [
  { id: 'qualification', name: 'Qualification', winProbability: 0.1 },
  { id: 'proposal', name: 'Proposal', winProbability: 0.5 },
  { id: 'negotiation', name: 'Negotiation', winProbability: 0.8 },
] as const;

export function pipelineBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `Licences ${randomUUID().slice(0, 8)}`, stages: STAGES.map((stage) => ({ ...stage })), ...overrides };
}

export function leadBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const unique = randomUUID().slice(0, 8);
  return {
    source: 'trade-fair',
    contact: {
      name: { fullName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper' },
      email: `grace.${unique}@example.com`,
      phone: '+4930123456',
      company: 'Cobol Corp',
    },
    interest: 'Fleet licence for 40 seats',
    ownerId: 'auth0|owner-1',
    ...overrides,
  };
}

export function opportunityBody(pipelineId: string, customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pipelineId,
    customerId,
    title: '40-seat fleet licence',
    amount: { amount: '48000.00', currency: 'EUR' },
    expectedCloseDate: '2030-09-30',
    ownerId: 'auth0|owner-1',
    ...overrides,
  };
}

export function activityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const due = new Date(Date.now() + 24 * 3_600_000);
  return {
    kind: 'call',
    subject: 'Discuss the proposal',
    dueAt: due.toISOString(),
    remindAt: new Date(due.getTime() - 3_600_000).toISOString(),
    ownerId: 'auth0|owner-1',
    ...overrides,
  };
}

// ---- commands over HTTP (each expects success; returns the id and the revision) ----

type Created = { id: string; revision: number };

async function post(t: SalesTestApp, path: string, body: Record<string, unknown>, idField: string): Promise<Created> {
  const res = await request(t.http).post(path).send(body);
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  const answer = res.body as Record<string, unknown>;
  return { id: String(answer[idField]), revision: Number(answer['revision']) };
}

export const definePipeline = (t: SalesTestApp, body = pipelineBody()): Promise<Created> => post(t, '/pipelines', body, 'pipelineId');
export const captureLead = (t: SalesTestApp, body = leadBody()): Promise<Created> => post(t, '/leads', body, 'leadId');
export const scheduleActivity = (t: SalesTestApp, body = activityBody()): Promise<Created> => post(t, '/activities', body, 'activityId');

/** Opens an opportunity for a new active customer (made known with knowCustomer) in `pipelineId`. */
export async function openOpportunity(t: SalesTestApp, pipelineId: string, overrides: Record<string, unknown> = {}): Promise<Created & { customerId: string }> {
  const customerId = (overrides['customerId'] as string | undefined) ?? randomUUID();
  await knowCustomer(t, customerId);
  return { ...(await post(t, '/opportunities', opportunityBody(pipelineId, customerId, overrides), 'opportunityId')), customerId };
}

// ---- what the service holds ----

/**
 * Makes the customer known to the sales service as the customers feed would (sales.known_customers), for tests
 * of opportunities that do not run the customers service.
 */
export async function knowCustomer(t: SalesTestApp, customerId: string, status: Exclude<CustomerStatus, 'unknown'> = 'active', survivorId?: string): Promise<void> {
  await t.db.pool.query(
    `INSERT INTO sales.known_customers (customer_id, status, survivor_id) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id) DO UPDATE SET status = EXCLUDED.status, survivor_id = EXCLUDED.survivor_id`,
    [customerId, status, survivorId ?? null],
  );
}

/** A stream's events as the service reads them (lead contact data decrypted), e.g. `leadStream(id)`. */
export async function readSalesStream(t: SalesTestApp, streamName: string): Promise<RecordedEvent[]> {
  const store = t.app.get<EventStore>(SALES_EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamName)) events.push(event);
  return events;
}

/** The stored text of these streams' events, as PostgreSQL holds them (ciphertext for lead contact data). */
export async function storedEventText(t: SalesTestApp, streamNames: readonly string[]): Promise<string> {
  const { rows } = await t.db.pool.query<{ data: string; metadata: string; stream_id: string }>(
    `SELECT stream_id, data::text AS data, metadata::text AS metadata FROM event_store.events WHERE stream_id = ANY($1) ORDER BY sequence`,
    [streamNames],
  );
  return rows.map((row) => `${row.stream_id} ${row.data} ${row.metadata}`).join('\n');
}

// ---- what it publishes ----

export interface TopicMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Every message of the app's crm.sales.v1 topic from the start, collected in the background by a fresh group. */
export async function readSalesTopic(t: SalesTestApp): Promise<{ messages: TopicMessage[]; stop(): Promise<void> }> {
  const consumer = testKafka(`sales-test-${randomUUID().slice(0, 8)}`).consumer({ groupId: `sales-test-${randomUUID()}` });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${t.topicPrefix}crm.sales.v1`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
      messages.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** The messages keyed by one aggregate id, in order, once `until` holds for them. */
export function waitForMessages(feed: { messages: TopicMessage[] }, key: string, until: (messages: TopicMessage[]) => boolean): Promise<TopicMessage[]> {
  return waitFor(
    () => {
      const mine = feed.messages.filter((m) => m.key === key);
      return until(mine) ? mine : null;
    },
    { description: `Kafka messages keyed ${key}`, timeoutMs: 20_000 },
  );
}

export const typesOf = (messages: readonly TopicMessage[]): string[] => messages.map((m) => m.headers['ce_type'] ?? '');
