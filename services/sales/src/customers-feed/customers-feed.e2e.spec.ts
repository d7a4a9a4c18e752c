// The sales service consuming crm.customers.v1 on the real stack (Kafka, PostgreSQL), without the customers
// service: messages published as its relay publishes them. Readiness, conversion answers, a duplicate delivery,
// merges and erasures, a poison message, and GET /conversions/stuck with its bad input.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { waitFor } from '@crm/testing';
import { leadStream, opportunityStream } from '../domain';
import { captureLead, definePipeline, readSalesStream, startSalesApp, type SalesTestApp } from '../infrastructure/__fixtures__/sales-test-app';
import { CustomersFeedConsumer } from './customers-feed.consumer';
import { collectTopic, customersMessage, publish, waitForGroupCaughtUp } from './__fixtures__/kafka-kit';

let t: SalesTestApp;
let topic: string;
let groupId: string;
let pipelineId: string;

beforeAll(async () => {
  t = await startSalesApp('sales_customers_feed');
  const consumer = t.app.get(CustomersFeedConsumer);
  topic = consumer.topic.name;
  groupId = consumer.groupId;
  pipelineId = (await definePipeline(t)).id;
});
afterAll(async () => {
  await t?.close();
});

const contact = () => ({ name: { fullName: 'Grace Hopper' }, email: `grace.${randomUUID().slice(0, 8)}@example.com` });

async function convert(body: Record<string, unknown> = {}): Promise<{ leadId: string; opportunityId: string }> {
  const { id: leadId } = await captureLead(t);
  const opportunity = { pipelineId, title: 'Fleet licence', amount: { amount: '48000.00', currency: 'EUR' } };
  const res = await request(t.http).post(`/leads/${leadId}/convert`).send({ opportunity, ...body }).expect(200);
  return { leadId, opportunityId: (res.body as { opportunityId: string }).opportunityId };
}

const opportunityCustomer = async (opportunityId: string): Promise<string | undefined> =>
  ((await request(t.http).get(`/opportunities/${opportunityId}`).expect(200)).body as { customerId?: string }).customerId;

it('is ready once the customers-feed consumer has joined its group', async () => {
  const res = await waitFor(
    async () => {
      const ready = await request(t.http).get('/health/ready');
      return ready.status === 200 ? ready : null;
    },
    { description: 'sales ready' },
  );
  expect(res.body.details).toMatchObject({ 'kafka-customers-feed': { status: 'up', topic, group: groupId } });
});

it('links the lead and its opportunity when the customer is registered from the lead; a redelivered message appends nothing', async () => {
  const { leadId, opportunityId } = await convert();
  const customerId = randomUUID();
  const message = customersMessage(topic, 'crm.customer.registered.v1', { customerId, contact: contact(), tags: [], leadId });
  await publish(message);

  await waitFor(
    async () => ((await request(t.http).get(`/leads/${leadId}`).expect(200)).body.status === 'customer-linked' ? true : null),
    { description: 'lead linked' },
  );
  expect(await opportunityCustomer(opportunityId)).toBe(customerId);
  const counts = [(await readSalesStream(t, leadStream(leadId))).length, (await readSalesStream(t, opportunityStream(opportunityId))).length];

  await publish(message);
  await waitForGroupCaughtUp(groupId, topic);
  expect([(await readSalesStream(t, leadStream(leadId))).length, (await readSalesStream(t, opportunityStream(opportunityId))).length]).toEqual(counts);
});

it("moves a merged customer's opportunities to the survivor and refuses new ones for the merged customer", async () => {
  const { leadId, opportunityId } = await convert();
  const merged = randomUUID();
  const survivor = randomUUID();
  await publish(
    customersMessage(topic, 'crm.customer.registered.v1', { customerId: survivor, contact: contact(), tags: [] }),
    customersMessage(topic, 'crm.customer.lead-linked.v1', { customerId: merged, leadId }),
    customersMessage(topic, 'crm.customer.merged.v1', { customerId: merged, survivorId: survivor }),
  );
  await waitFor(async () => ((await opportunityCustomer(opportunityId)) === survivor ? true : null), { description: 'opportunity moved' });
  const events = await readSalesStream(t, opportunityStream(opportunityId));
  expect(events.at(-1)).toMatchObject({ type: 'OpportunityCustomerLinked', data: { customerId: survivor, previousCustomerId: merged } });

  const open = (customerId: string) =>
    request(t.http).post('/opportunities').send({ pipelineId, customerId, title: 'Renewal', amount: { amount: '100.00', currency: 'EUR' } });
  expect((await open(merged)).status).toBe(422);
  expect((await open(survivor)).status).toBe(201);
});

it("erases the erased customer's lead contact data", async () => {
  const { leadId } = await convert();
  const customerId = randomUUID();
  await publish(
    customersMessage(topic, 'crm.customer.registered.v1', { customerId, contact: contact(), tags: [], leadId }),
    customersMessage(topic, 'crm.customer.erased.v1', { customerId }),
  );
  const erased = await waitFor(
    async () => {
      const events = await readSalesStream(t, leadStream(leadId));
      return events.at(-1)?.type === 'LeadContactErased' ? events : null;
    },
    { description: 'lead erased' },
  );
  expect(erased.at(-1)?.data).toMatchObject({ reason: 'customer_erased' });
  expect(erased[0]?.data).not.toHaveProperty('contact');
});

it('sends a message that breaks its contract to the dead letters and goes on with the next', async () => {
  const dlq = await collectTopic(`${topic}.dlq`);
  try {
    const { leadId } = await convert();
    const customerId = randomUUID();
    const poison = customersMessage(topic, 'crm.customer.registered.v1', { customerId, tags: 'not-a-list' }, { raw: true });
    await publish(poison, customersMessage(topic, 'crm.customer.registered.v1', { customerId, contact: contact(), tags: [], leadId }));
    await waitFor(
      async () => ((await request(t.http).get(`/leads/${leadId}`).expect(200)).body.status === 'customer-linked' ? true : null),
      { description: 'next message applied' },
    );
    const dead = await waitFor(() => dlq.messages.find((m) => m.headers['ce_id'] === poison.headers['ce_id']) ?? null, { description: 'dead letter' });
    expect(dead.key).toBe(customerId);
  } finally {
    await dlq.stop();
  }
});

it('reports the feed and the follow-ups in /metrics', async () => {
  const metrics = (await request(t.http).get('/metrics').expect(200)).text;
  expect(metrics).toMatch(/crm_sales_customers_feed_events_total\{type="crm.customer.registered.v1",outcome="linked"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/crm_sales_customer_follow_ups_total\{kind="merge",result="done"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/crm_sales_customer_follow_ups_pending(\{[^}]*\})? \d/);
});

describe('GET /conversions/stuck', () => {
  it('lists a conversion the customers service has not answered, and drops it once answered', async () => {
    const { leadId, opportunityId } = await convert({ customerId: randomUUID() });
    const listed = await waitFor(
      async () => {
        const res = await request(t.http).get('/conversions/stuck').query({ olderThan: 'PT0S' }).expect(200);
        return (res.body.items as Array<{ leadId: string }>).find((item) => item.leadId === leadId) ?? null;
      },
      { description: 'stuck conversion listed' },
    );
    expect(listed).toMatchObject({ opportunityId, target: 'existing-customer', attempts: 1 });
    const byDefault = await request(t.http).get('/conversions/stuck').expect(200);
    expect(byDefault.body.olderThan).toBe('PT5M');
    expect((byDefault.body.items as Array<{ leadId: string }>).map((i) => i.leadId)).not.toContain(leadId);

    await request(t.http).post(`/leads/${leadId}/conversion/retry`).expect(200);
    await waitFor(
      async () => {
        const res = await request(t.http).get('/conversions/stuck').query({ olderThan: 'PT0S' }).expect(200);
        return (res.body.items as Array<{ leadId: string; attempts: number }>).find((item) => item.leadId === leadId)?.attempts === 2 ? true : null;
      },
      { description: 'retry counted' },
    );

    await publish(customersMessage(topic, 'crm.customer.lead-linked.v1', { customerId: randomUUID(), leadId }));
    await waitFor(
      async () => {
        const res = await request(t.http).get('/conversions/stuck').query({ olderThan: 'PT0S' }).expect(200);
        return (res.body.items as Array<{ leadId: string }>).some((item) => item.leadId === leadId) ? null : true;
      },
      { description: 'stuck conversion answered' },
    );
  });

  it.each([
    [{ olderThan: '5 minutes' }, 'olderThan'],
    [{ olderThan: 'P1M' }, 'olderThan'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ after: 'lead-7' }, 'after'],
    [{ colour: 'red' }, 'colour'],
  ])('answers 400 for %j', async (query, field) => {
    const res = await request(t.http).get('/conversions/stuck').query(query).expect(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
