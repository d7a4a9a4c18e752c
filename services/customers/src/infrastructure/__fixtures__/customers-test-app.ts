// The customers service for e2e tests: the real app (createServiceApp) on a fresh PostgreSQL database with the
// PostgreSQL event store and a Kafka topic prefix of its own (startTestService); helpers to call it and to look at
// what it stored.
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { createServiceApp } from '@crm/platform';
import { startTestService, type TestServiceApp } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../../app.module';
import { CustomersConfig } from '../../customers.config';
import { applyContactIndexChanges, contactIndexChanges, type ContactHasher } from '../contact-index.projection';
import { customerStream } from '../customer-streams';
import { CONTACT_HASHER, CUSTOMER_EVENT_STORE } from '../tokens';
import type { CustomerEvent } from '../../domain';

export type CustomersTestApp = TestServiceApp;

/** `env` overrides any variable (KAFKA_TOPIC_PREFIX, CUSTOMERS_MASTER_KEY, …). */
export function startCustomersApp(label: string, env: Record<string, string> = {}): Promise<CustomersTestApp> {
  return startTestService({
    label,
    env,
    serviceEnv: { CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'), DEFAULT_PHONE_REGION: 'DE' },
    logLevelVariable: 'CUSTOMERS_TEST_LOG_LEVEL',
    create: (appEnv) => createServiceApp(AppModule, { name: 'customers', config: CustomersConfig, env: appEnv, openApi: false }),
  });
}

/** A registration body with this person's details; ids and orders unique per call. */
export function adaBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const unique = randomUUID().slice(0, 8);
  return {
    name: { given: 'Ada', family: 'Lovelace' },
    emails: [{ address: `ada.${unique}@example.com`, primary: true, label: 'work' }],
    phones: [{ number: `030 ${1000000 + Math.floor(Math.random() * 8999999)}` }],
    address: { lines: ['12 St James Square'], city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    birthday: '1815-12-10',
    company: 'Analytical Engines Ltd',
    tags: ['vip'],
    acquisitionSource: 'referral',
    customAttributes: [{ key: 'loyaltyTier', type: 'string', value: 'gold' }],
    ...overrides,
  };
}

/** Registers a customer; returns its id and ETag revision. */
export async function registerCustomer(t: CustomersTestApp, body: Record<string, unknown> = adaBody()): Promise<{ customerId: string; revision: number }> {
  const res = await request(t.http).post('/customers').send({ allowDuplicate: true, ...body }).expect(201);
  return res.body as { customerId: string; revision: number };
}

/** The customer's events as the service reads them (decrypted). */
export async function readCustomerStream(t: CustomersTestApp, customerId: string): Promise<RecordedEvent[]> {
  const store = t.app.get<EventStore>(CUSTOMER_EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(customerStream(customerId))) events.push(event);
  return events;
}

/** The stored bytes of the customers' events, as PostgreSQL holds them. */
export async function storedEventText(t: CustomersTestApp, customerIds: readonly string[]): Promise<string> {
  const { rows } = await t.db.pool.query<{ data: string; metadata: string; stream_id: string }>(
    `SELECT stream_id, data::text AS data, metadata::text AS metadata FROM event_store.events WHERE stream_id = ANY($1) ORDER BY sequence`,
    [customerIds.map(customerStream)],
  );
  return rows.map((row) => `${row.stream_id} ${row.data} ${row.metadata}`).join('\n');
}

/**
 * Runs the contact-index projection over these customers' events (what the read side does continuously). From
 * their streams, not $all: $all shows a commit only once every older transaction in the cluster has ended.
 */
export async function projectContactIndex(t: CustomersTestApp, customerIds: readonly string[]): Promise<void> {
  const hasher = t.app.get<ContactHasher>(CONTACT_HASHER);
  for (const customerId of customerIds) {
    for (const event of await readCustomerStream(t, customerId)) {
      await applyContactIndexChanges(t.db.pool, contactIndexChanges({ type: event.type, data: event.data } as unknown as CustomerEvent), hasher);
    }
  }
}

/** The customer as of now (the as-of view at the current time). */
export async function currentState(t: CustomersTestApp, customerId: string): Promise<Record<string, unknown>> {
  const res = await request(t.http).get(`/customers/${customerId}/as-of`).query({ at: new Date(Date.now() + 60_000).toISOString() }).expect(200);
  return (res.body as { customer: Record<string, unknown> }).customer;
}
