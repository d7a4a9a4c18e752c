// The sales side of the conversion saga without Nest or Kafka, for integration tests: a fresh database with the
// sales migrations, the PostgreSQL event store behind the lead-encrypting store, SalesCommands, the conversion_links
// projection running, and helpers to convert a lead and to hand the feed a crm.customers.v1 event.
import { EncryptingEventStore, PostgresEventStore, type EventStore, type RecordedEvent } from '@crm/event-store';
import type { ConsumedEvent } from '@crm/messaging';
import { createRootLogger, type Logger, type LogLevel } from '@crm/platform';
import { ProjectionRunner } from '@crm/projections';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { leadStream, opportunityStream, type Contact, type PipelineDefinition } from '../../domain';
import { CONVERSION_LINK_VIEWS, conversionLinksProjection } from '../../conversion/conversion-links.projection';
import { isLeadStream, LeadEventCodec, leadDataKeyring, salesMasterKey } from '../../infrastructure/lead-data-keys';
import { migrateSalesSchema } from '../../infrastructure/migrations';
import { SalesCommands } from '../../infrastructure/sales-commands';
import { ensureFollowUpsTable } from '../customer-follow-ups';
import { CustomersFeedHandler, type FeedOutcome } from '../customers-feed.handler';

export const quietLog: Logger = createRootLogger({ service: 'sales-saga-test', level: (process.env['SALES_TEST_LOG_LEVEL'] ?? 'silent') as LogLevel });

export interface SagaKit {
  db: TestDatabase;
  store: PostgresEventStore;
  /** Decrypting: what the service's commands and projections use. */
  sales: SalesCommands;
  keyring: ReturnType<typeof leadDataKeyring>;
  runner: ProjectionRunner;
  feed: CustomersFeedHandler;
  pipeline: PipelineDefinition;
  close(): Promise<void>;
}

export async function startSagaKit(label: string): Promise<SagaKit> {
  const db = await createTestDatabase(label);
  await migrateSalesSchema(db.pool);
  await ensureFollowUpsTable(db.pool);
  const store = new PostgresEventStore({ pool: db.pool, polling: { maxDelayMs: 20 } });
  await store.migrate();
  const keyring = leadDataKeyring(db.pool, salesMasterKey(randomBytes(32).toString('base64')), { cacheTtlMs: 0 });
  const encrypting: EventStore = new EncryptingEventStore(store, new LeadEventCodec(keyring), isLeadStream);
  const sales = new SalesCommands(encrypting, keyring);
  const runner = new ProjectionRunner({ pool: db.pool, store: encrypting, projection: conversionLinksProjection(), batchWindowMs: 5 });
  await runner.start();
  const pipeline: PipelineDefinition = {
    pipelineId: randomUUID(),
    stages: [
      { id: 'qualification', name: 'Qualification', winProbability: 0.1 },
      { id: 'proposal', name: 'Proposal', winProbability: 0.5 },
    ],
  };
  await sales.pipeline({ type: 'DefinePipeline', data: { ...pipeline, name: 'New business', at: now() } }, envelope());
  return {
    db,
    store,
    sales,
    keyring,
    runner,
    feed: new CustomersFeedHandler(sales, quietLog),
    pipeline,
    async close() {
      await runner.stop();
      await store.close();
      await db.drop();
    },
  };
}

export const now = (): string => new Date().toISOString();
export const envelope = (commandId: string = randomUUID()) => ({ metadata: { commandId, actor: 'saga-test', time: now() } });

export const contact = (): Contact => ({ name: { fullName: 'Grace Hopper' }, email: `grace.${randomUUID().slice(0, 8)}@example.com` });

/** Captures a lead and converts it as the leads handler does: the opportunity opened first, with the lead id. */
export async function convertLead(
  kit: SagaKit,
  options: { existingCustomerId?: string; withOpportunity?: boolean } = {},
): Promise<{ leadId: string; opportunityId: string | undefined }> {
  const leadId = randomUUID();
  const opportunityId = options.withOpportunity === false ? undefined : randomUUID();
  await kit.sales.lead({ type: 'CaptureLead', data: { leadId, source: 'trade-fair', contact: contact(), at: now() } }, envelope());
  const amount = { amount: '48000.00', currency: 'EUR' };
  if (opportunityId !== undefined) {
    const opening = { opportunityId, pipeline: kit.pipeline, title: 'Fleet licence', amount, leadId, at: now() };
    await kit.sales.opportunity({ type: 'OpenOpportunity', data: opening }, envelope());
  }
  const customer = options.existingCustomerId === undefined ? { kind: 'new-customer' as const } : { kind: 'existing-customer' as const, customerId: options.existingCustomerId };
  const opportunity = opportunityId === undefined ? undefined : { opportunityId, pipelineId: kit.pipeline.pipelineId, title: 'Fleet licence', amount };
  await kit.sales.lead({ type: 'ConvertLead', data: { leadId, customer, ...(opportunity && { opportunity }), at: now() } }, envelope());
  return { leadId, opportunityId };
}

/** A crm.customers.v1 event as the consumer hands it over (already validated). */
export function consumed(type: string, data: Record<string, unknown>, id: string = randomUUID()): ConsumedEvent {
  const subject = String(data['customerId']);
  return {
    id,
    type,
    source: '/crm/customers',
    subject,
    time: now(),
    data,
    correlationId: `corr-${id}`,
    causationId: null,
    revision: null,
    traceparent: null,
    topic: 'crm.customers.v1',
    partition: 0,
    offset: '0',
    key: subject,
    headers: {},
  };
}

/** Runs the feed's handler in a transaction, as the consumer does. */
export async function deliver(kit: SagaKit, event: ConsumedEvent): Promise<FeedOutcome> {
  const client = await kit.db.pool.connect();
  try {
    await client.query('BEGIN');
    const outcome = await kit.feed.handle(event, client);
    await client.query('COMMIT');
    return outcome;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export async function streamEvents(kit: SagaKit, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const event of kit.sales.store.readStream(stream)) events.push(event);
  } catch (error) {
    if ((error as { name?: string }).name !== 'StreamNotFoundError') throw error;
  }
  return events;
}

export const leadEvents = (kit: SagaKit, leadId: string) => streamEvents(kit, leadStream(leadId));
export const opportunityEvents = (kit: SagaKit, opportunityId: string) => streamEvents(kit, opportunityStream(opportunityId));
export const typesOf = (events: readonly RecordedEvent[]) => events.map((e) => e.type);

/** The customer an opportunity's events name last (opened with, linked or moved to). */
export async function customerOfOpportunity(kit: SagaKit, opportunityId: string): Promise<string | undefined> {
  const events = await opportunityEvents(kit, opportunityId);
  return events.map((e) => (e.data as { customerId?: string }).customerId).filter((id) => id !== undefined).at(-1);
}

/** The opportunity's customer once the projection shows `customerId`. */
export async function waitForOpportunityCustomer(kit: SagaKit, opportunityId: string, customerId: string): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await kit.db.pool.query<{ customer_id: string | null }>(
        `SELECT customer_id FROM ${CONVERSION_LINK_VIEWS.opportunityCustomers} WHERE opportunity_id = $1`,
        [opportunityId],
      );
      return rows[0]?.customer_id === customerId ? true : null;
    },
    { description: `opportunity ${opportunityId} of ${customerId} in the projection`, timeoutMs: 10_000 },
  );
}
