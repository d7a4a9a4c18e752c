// The sales service for e2e tests: the real app (createServiceApp) on a fresh PostgreSQL database with the
// PostgreSQL event store and a Kafka topic prefix of its own (startTestService); helpers to call it, to look at what
// it stored and to read what it published.
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { createServiceApp } from '@crm/platform';
import { readTopic, startTestService, type TestDatabase, type TestServiceApp, type TopicReader } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../../app.module';
import { SalesConfig } from '../../sales.config';
import type { CustomerStatus } from '../../domain';
import { SALES_EVENT_STORE } from '../tokens';

export interface SalesTestApp extends TestServiceApp {
  /** The master key it runs with: pass it to a restarted app on the same database. */
  masterKey: string;
}

export interface StartOptions {
  /** Start on this database (e.g. a closed app's `db`, with its `masterKey` and `topicPrefix` in env): a restart. */
  db?: TestDatabase;
}

/** `env` overrides any variable (KAFKA_TOPIC_PREFIX, SALES_MASTER_KEY, …). */
export async function startSalesApp(label: string, env: Record<string, string> = {}, options: StartOptions = {}): Promise<SalesTestApp> {
  const masterKey = env['SALES_MASTER_KEY'] ?? randomBytes(32).toString('base64');
  const t = await startTestService({
    label,
    env,
    db: options.db,
    serviceEnv: { SALES_MASTER_KEY: masterKey, DEFAULT_PHONE_REGION: 'DE' },
    logLevelVariable: 'SALES_TEST_LOG_LEVEL',
    create: (appEnv) => createServiceApp(AppModule, { name: 'sales', config: SalesConfig, env: appEnv, openApi: false }),
  });
  return Object.assign(t, { masterKey });
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

/** Every message of the app's crm.sales.v1 topic from the start, collected in the background by a fresh group. */
export const readSalesTopic = (t: SalesTestApp): Promise<TopicReader> => readTopic(`${t.topicPrefix}crm.sales.v1`);

export { messageTypesOf as typesOf, waitForMessages, type TopicMessage } from '@crm/testing';
