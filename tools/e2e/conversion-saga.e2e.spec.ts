// The lead-conversion saga across both services on real Kafka and PostgreSQL (issue 6): sales converts a lead →
// lead.converted → customers registers the customer (or links an existing one) → customer.registered with leadId
// or customer.lead-linked → sales links lead and opportunity → opportunity.customer-linked. Each service on its own
// database, one topic prefix shared. A duplicate delivery of each event, a restart of either service while the
// other's message is in flight, and a stuck conversion that a retry completes.
// Here rather than in services/: a test that starts both services imports both, which the module boundaries forbid
// inside a service.
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { waitFor, type TestDatabase } from '@crm/testing';
import { customerIdFromLead } from '../../services/customers/src/convert-lead/convert-lead.handler';
import { startLeadConversionApp, waitForConsumed, type LeadConversionApp } from '../../services/customers/src/convert-lead/__fixtures__/lead-conversion-kit';
import { CustomerCommands } from '../../services/customers/src/infrastructure/customer-commands';
import { adaBody, registerCustomer } from '../../services/customers/src/infrastructure/__fixtures__/customers-test-app';
import { CustomersFeedConsumer } from '../../services/sales/src/customers-feed/customers-feed.consumer';
import { collectTopic, payloadOf, publish, typeOf, waitForGroupCaughtUp, waitForMessage } from '../../services/sales/src/customers-feed/__fixtures__/kafka-kit';
import { leadStream, opportunityStream } from '../../services/sales/src/domain';
import { captureLead, definePipeline, leadBody, readSalesStream, startSalesApp, type SalesTestApp } from '../../services/sales/src/infrastructure/__fixtures__/sales-test-app';

let customers: LeadConversionApp;
let sales: SalesTestApp;
let salesTopic: Awaited<ReturnType<typeof collectTopic>>;
let customersTopic: Awaited<ReturnType<typeof collectTopic>>;
let pipelineId: string;

/** The sales app on the shared prefix; given a closed app's database, a restart with its key. */
const startSales = (restartOf?: SalesTestApp): Promise<SalesTestApp> =>
  startSalesApp(
    'saga_sales',
    { KAFKA_TOPIC_PREFIX: customers.topicPrefix, ...(restartOf && { SALES_MASTER_KEY: restartOf.masterKey }) },
    restartOf ? { db: restartOf.db } : {},
  );

beforeAll(async () => {
  customers = await startLeadConversionApp('saga_customers');
  sales = await startSales();
  salesTopic = await collectTopic(customers.salesTopic);
  customersTopic = await collectTopic(customers.customersTopic);
  pipelineId = (await definePipeline(sales)).id;
});
afterAll(async () => {
  await salesTopic?.stop();
  await customersTopic?.stop();
  await sales?.close();
  await customers?.close();
});

const email = () => `grace.${randomUUID().slice(0, 8)}@example.com`;

/** Captures a lead (no phone: the duplicate rules would match leads sharing one) and converts it with an opportunity. */
async function convert(options: { email?: string; customerId?: string } = {}): Promise<{ leadId: string; opportunityId: string }> {
  const { id: leadId } = await captureLead(sales, leadBody({ contact: { name: { fullName: 'Grace Hopper' }, email: options.email ?? email() } }));
  const opportunity = { pipelineId, title: 'Fleet licence', amount: { amount: '48000.00', currency: 'EUR' } };
  const body = { opportunity, ...(options.customerId && { customerId: options.customerId }) };
  const res = await request(sales.http).post(`/leads/${leadId}/convert`).send(body).expect(200);
  return { leadId, opportunityId: (res.body as { opportunityId: string }).opportunityId };
}

type Lead = { status: string; customerId?: string; how?: string };
const lead = async (leadId: string): Promise<Lead> => (await request(sales.http).get(`/leads/${leadId}`).expect(200)).body as Lead;

async function linkedLead(leadId: string): Promise<Lead & { customerId: string }> {
  return waitFor(
    async () => {
      const found = await lead(leadId);
      return found.status === 'customer-linked' && found.customerId !== undefined ? (found as Lead & { customerId: string }) : null;
    },
    { description: `lead ${leadId} linked to its customer`, timeoutMs: 30_000 },
  );
}

const salesEvents = async (stream: string) => readSalesStream(sales, stream);
const customerEvents = async (customerId: string) => {
  const events = [];
  for await (const event of customers.app.get(CustomerCommands).store.readStream(`customer-${customerId}`)) events.push(event);
  return events;
};
const count = (events: ReadonlyArray<{ type: string }>, type: string) => events.filter((e) => e.type === type).length;
const storedEvents = async ({ db }: { db: TestDatabase }) => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events')).rows[0]?.n;
const salesGroup = (app: INestApplication) => app.get(CustomersFeedConsumer).groupId;

describe('conversion with contact data', () => {
  it('registers the customer from the lead, and sales links lead and opportunity (opportunity.customer-linked)', async () => {
    const address = email();
    const { leadId, opportunityId } = await convert({ email: address });

    const linked = await linkedLead(leadId);
    const customerId = customerIdFromLead(leadId);
    expect(linked).toMatchObject({ customerId, how: 'registered' });
    const registered = await waitForMessage(customersTopic, (m) => typeOf(m) === 'crm.customer.registered.v1' && m.key === customerId, 'customer.registered');
    expect(payloadOf(registered)).toMatchObject({ customerId, leadId, contact: { email: address } });
    const published = await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.opportunity.customer-linked.v1' && m.key === opportunityId, 'customer-linked');
    expect(payloadOf(published)).toEqual({ opportunityId, customerId, leadId });
    const profile = await waitFor(async () => {
      const res = await request(customers.http).get(`/customers/${customerId}`);
      return res.status === 200 ? (res.body as { status: string }) : null;
    }, { description: 'the customer in the customers read model' });
    expect(profile.status).toBe('active');
  });

  it('a duplicate delivery of each event (the same Kafka message again) appends nothing in either service', async () => {
    const { leadId, opportunityId } = await convert();
    const { customerId } = await linkedLead(leadId);
    const converted = await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.lead.converted.v1' && m.key === leadId, 'lead.converted');
    const registered = await waitForMessage(customersTopic, (m) => typeOf(m) === 'crm.customer.registered.v1' && m.key === customerId, 'customer.registered');
    // The saga's last message: after it, neither relay has anything more of this conversion to publish.
    await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.opportunity.customer-linked.v1' && m.key === opportunityId, 'customer-linked');
    await waitForConsumed(customers);
    await waitForGroupCaughtUp(salesGroup(sales.app), customers.customersTopic);
    const before = [await storedEvents(sales), await storedEvents(customers), salesTopic.messages.length, customersTopic.messages.length];

    await publish(converted, registered);
    await waitFor(() => salesTopic.messages.length > before[2]! && customersTopic.messages.length > before[3]!, { description: 'the copies on the topics' });
    await waitForConsumed(customers);
    await waitForGroupCaughtUp(salesGroup(sales.app), customers.customersTopic);

    // The copies themselves are the only new messages; neither store has a new event.
    expect([await storedEvents(sales), await storedEvents(customers), salesTopic.messages.length - 1, customersTopic.messages.length - 1]).toEqual(before);
    expect(count(await salesEvents(leadStream(leadId)), 'LeadCustomerLinked')).toBe(1);
    expect(count(await salesEvents(opportunityStream(opportunityId)), 'OpportunityCustomerLinked')).toBe(1);
    expect(count(await customerEvents(customerId), 'CustomerRegistered')).toBe(1);
  });
});

describe('conversion whose email matches an existing customer', () => {
  it('links the lead to that customer (customer.lead-linked) instead of registering one', async () => {
    const body = adaBody();
    const address = (body['emails'] as Array<{ address: string }>)[0]?.address ?? '';
    const { customerId } = await registerCustomer(customers, body);
    // The duplicate rules look the email up in the customers read side's contact index.
    await waitFor(async () => ((await request(customers.http).get(`/customers/${customerId}`)).status === 200 ? true : null), { description: 'customer projected' });

    const { leadId, opportunityId } = await convert({ email: address });

    expect(await linkedLead(leadId)).toMatchObject({ customerId, how: 'linked-existing' });
    const answer = await waitForMessage(customersTopic, (m) => typeOf(m) === 'crm.customer.lead-linked.v1' && payloadOf(m)['leadId'] === leadId, 'lead-linked');
    expect(payloadOf(answer)).toEqual({ customerId, leadId });
    const published = await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.opportunity.customer-linked.v1' && m.key === opportunityId, 'customer-linked');
    expect(payloadOf(published)).toEqual({ opportunityId, customerId, leadId });
    expect((await customers.app.get(CustomerCommands).read(customerIdFromLead(leadId))).revision).toBe('no_stream');

    // The answer delivered again links nothing more.
    await waitForGroupCaughtUp(salesGroup(sales.app), customers.customersTopic);
    const before = await storedEvents(sales);
    await publish(answer);
    await waitFor(() => customersTopic.messages.filter((m) => m.headers['ce_id'] === answer.headers['ce_id']).length === 2, { description: 'the copy' });
    await waitForGroupCaughtUp(salesGroup(sales.app), customers.customersTopic);
    expect(await storedEvents(sales)).toBe(before);
    expect(count(await salesEvents(leadStream(leadId)), 'LeadCustomerLinked')).toBe(1);
  });
});

describe('a restart of either service mid-saga', () => {
  it('completes exactly once when customers is down while lead.converted waits, and sales while customer.registered waits', async () => {
    let conversion = { leadId: '', opportunityId: '' };
    const down = sales;
    await customers.restart(async () => {
      conversion = await convert();
      await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.lead.converted.v1' && m.key === conversion.leadId, 'lead.converted while customers is down');
      await down.close({ keepData: true });
    });
    // Customers answers while sales is down.
    const customerId = customerIdFromLead(conversion.leadId);
    await waitForMessage(customersTopic, (m) => typeOf(m) === 'crm.customer.registered.v1' && m.key === customerId, 'customer.registered while sales is down');
    sales = await startSales(down);

    expect(await linkedLead(conversion.leadId)).toMatchObject({ customerId });
    await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.opportunity.customer-linked.v1' && m.key === conversion.opportunityId, 'customer-linked');
    await waitForConsumed(customers);
    await waitForGroupCaughtUp(salesGroup(sales.app), customers.customersTopic);
    expect(count(await salesEvents(leadStream(conversion.leadId)), 'LeadCustomerLinked')).toBe(1);
    expect(count(await salesEvents(opportunityStream(conversion.opportunityId)), 'OpportunityCustomerLinked')).toBe(1);
    expect(count(await customerEvents(customerId), 'CustomerRegistered')).toBe(1);
    // One answer: the relay may publish a message twice (at least once), never a second event.
    const answers = customersTopic.messages.filter((m) => typeOf(m) === 'crm.customer.registered.v1' && m.key === customerId);
    expect(new Set(answers.map((m) => m.headers['ce_id'])).size).toBe(1);
  });
});

describe('a stuck conversion', () => {
  it('is listed while the customers service cannot answer, and a retry completes it', async () => {
    const { customerId } = await registerCustomer(customers, adaBody());
    await request(customers.http).post(`/customers/${customerId}/deactivate`).send({}).expect(200);
    // Deactivated: the customers service takes no new business for it and answers nothing.
    const { leadId } = await convert({ customerId });
    await waitForMessage(salesTopic, (m) => typeOf(m) === 'crm.lead.converted.v1' && m.key === leadId, 'lead.converted');
    await waitForConsumed(customers);

    const stuck = await waitFor(
      async () => {
        const res = await request(sales.http).get('/conversions/stuck').query({ olderThan: 'PT0S' }).expect(200);
        return (res.body.items as Array<{ leadId: string }>).find((item) => item.leadId === leadId) ?? null;
      },
      { description: 'the conversion listed as stuck' },
    );
    expect(stuck).toMatchObject({ target: 'existing-customer', requestedCustomerId: customerId, attempts: 1 });
    expect((await lead(leadId)).status).toBe('converted');

    await request(customers.http).post(`/customers/${customerId}/reactivate`).expect(200);
    await request(sales.http).post(`/leads/${leadId}/conversion/retry`).expect(200);

    expect(await linkedLead(leadId)).toMatchObject({ customerId, how: 'linked-existing' });
    await waitFor(
      async () => {
        const res = await request(sales.http).get('/conversions/stuck').query({ olderThan: 'PT0S' }).expect(200);
        return (res.body.items as Array<{ leadId: string }>).some((item) => item.leadId === leadId) ? null : true;
      },
      { description: 'the conversion no longer stuck' },
    );
  });
});
