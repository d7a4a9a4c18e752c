// The customers' half of lead conversion over real Kafka and PostgreSQL: lead.converted on crm.sales.v1 → a
// customer registered with the lead id, or the lead linked to an existing customer → customer.registered with
// leadId or customer.lead-linked on crm.customers.v1; duplicates, poison messages and a restart mid-saga.
import type { Contact } from '@crm/contracts';
import { DlqHeader } from '@crm/messaging';
import { waitFor } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { adaBody, projectContactIndex, readCustomerStream, registerCustomer } from '../infrastructure/__fixtures__/customers-test-app';
import { readTopic, waitForMessages, type TopicMessage } from '../read-model/__fixtures__/read-side-kit';
import { customerIdFromLead } from './convert-lead.handler';
import { forgetConsumedOffsets, leadConverted, publish, startLeadConversionApp, waitForConsumed, type LeadConversionApp } from './__fixtures__/lead-conversion-kit';

let t: LeadConversionApp;
let customers: Awaited<ReturnType<typeof readTopic>>;
let deadLetters: Awaited<ReturnType<typeof readTopic>>;
beforeAll(async () => {
  t = await startLeadConversionApp('convert_lead');
  customers = await readTopic(t.customersTopic);
  deadLetters = await readTopic(`${t.salesTopic}.dlq`);
});
afterAll(async () => {
  await customers?.stop();
  await deadLetters?.stop();
  await t?.close();
});

const unique = () => randomUUID().slice(0, 8);
const germanPhone = () => `+4930${1_000_000 + Math.floor(Math.random() * 8_999_999)}`;
const grace = (): Contact => ({ name: { fullName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper' }, email: `Grace.${unique()}@Example.COM`, phone: germanPhone(), company: 'Cobol Corp' });
const newCustomer = (leadId: string, contact: Contact = grace()) => ({ leadId, opportunityId: randomUUID(), customer: { kind: 'new-customer' as const, contact } });
const existingCustomer = (leadId: string, customerId: string) => ({ leadId, customer: { kind: 'existing-customer' as const, customerId } });
const payloadOf = (message: TopicMessage): Record<string, unknown> => JSON.parse(message.value) as Record<string, unknown>;
const ofType = (type: string) => (messages: TopicMessage[]) => messages.filter((m) => m.headers['ce_type'] === `crm.customer.${type}.v1`);
const streamOf = (customerId: string) => t.app.get(CustomerCommands).read(customerId);
const metrics = async (): Promise<string> => (await request(t.http).get('/metrics').expect(200)).text;

describe('lead.converted with a new customer', () => {
  it('registers the customer from the lead’s normalised contact data, with the lead id, and answers customer.registered with leadId', async () => {
    const leadId = randomUUID();
    const contact = grace();
    const message = leadConverted(t.salesTopic, newCustomer(leadId, contact));
    await publish(message);

    const customerId = customerIdFromLead(leadId);
    const [registered] = await waitForMessages(customers, customerId, (m) => m.length >= 1);
    expect(registered!.headers).toMatchObject({
      ce_type: 'crm.customer.registered.v1',
      ce_subject: customerId,
      crm_correlation_id: `conversion-${leadId}`,
      crm_causation_id: message.headers['ce_id'],
    });
    expect(payloadOf(registered!)).toEqual({
      customerId,
      leadId,
      contact: { ...contact, email: contact.email!.toLowerCase() },
      tags: [],
    });
    const [event, ...more] = await readCustomerStream(t, customerId);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ type: 'CustomerRegistered', data: { customerId, leadId }, metadata: { actor: 'lead-conversion', causationId: message.headers['ce_id'] } });
  });

  it('handles the same message delivered twice, and the lead sent again, once; other sales events are acknowledged', async () => {
    const leadId = randomUUID();
    const payload = newCustomer(leadId);
    const message = leadConverted(t.salesTopic, payload);
    const sentAgain = leadConverted(t.salesTopic, payload); // a new event id for the same lead
    const qualified = leadConverted(t.salesTopic, { leadId }, { type: 'crm.lead.qualified.v1' });
    await publish(qualified, message, message, sentAgain);
    await waitForConsumed(t);

    const customerId = customerIdFromLead(leadId);
    expect((await readCustomerStream(t, customerId)).map((e) => e.type)).toEqual(['CustomerRegistered']);
    expect(ofType('registered')(await waitForMessages(customers, customerId, (m) => m.length >= 1))).toHaveLength(1);
    const text = await metrics();
    expect(text).toMatch(/crm_messaging_consumer_handled_total\{[^}]*result="duplicate"[^}]*\} [1-9]/);
    expect(text).toMatch(/crm_messaging_consumer_handled_total\{[^}]*result="ignored"[^}]*\} [1-9]/);
    expect(text).toMatch(/crm_customers_lead_conversions_total\{[^}]*outcome="already-done"[^}]*\} [1-9]/);
  });

  it('links the lead to an existing customer with that email or phone instead of registering a new one', async () => {
    const email = `ada.${unique()}@example.com`;
    const phone = germanPhone();
    const { customerId: existing } = await registerCustomer(t, adaBody({ emails: [{ address: email }], phones: [{ number: `0${phone.slice(3)}` }] }));
    await projectContactIndex(t, [existing]);
    const [byEmail, byPhone] = [randomUUID(), randomUUID()];
    await publish(
      leadConverted(t.salesTopic, newCustomer(byEmail, { name: { fullName: 'Ada King' }, email: email.toUpperCase() })),
      leadConverted(t.salesTopic, newCustomer(byPhone, { name: { fullName: 'Ada King' }, phone })),
    );

    const linked = ofType('lead-linked')(await waitForMessages(customers, existing, (m) => ofType('lead-linked')(m).length >= 2));
    expect(linked.map(payloadOf).sort((a, b) => String(a['leadId']).localeCompare(String(b['leadId'])))).toEqual(
      [byEmail, byPhone].sort().map((leadId) => ({ customerId: existing, leadId })),
    );
    expect((await readCustomerStream(t, existing)).map((e) => e.type)).toEqual(['CustomerRegistered', 'CustomerLeadLinked', 'CustomerLeadLinked']);
    for (const leadId of [byEmail, byPhone]) expect((await streamOf(customerIdFromLead(leadId))).revision).toBe('no_stream');
  });
});

describe('lead.converted with an existing customer', () => {
  it('links the lead to the customer, to the survivor of a merged one, and to nobody when the customer is unknown', async () => {
    const { customerId } = await registerCustomer(t);
    const { customerId: merged } = await registerCustomer(t);
    const { customerId: survivor } = await registerCustomer(t);
    await request(t.http).post(`/customers/${merged}/merge-into/${survivor}`).send({}).expect(200);
    const [lead, leadOfMerged, leadOfUnknown, unknown] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await publish(
      leadConverted(t.salesTopic, existingCustomer(leadOfUnknown, unknown)),
      leadConverted(t.salesTopic, existingCustomer(lead, customerId)),
      leadConverted(t.salesTopic, existingCustomer(leadOfMerged, merged)),
    );

    const [linked] = ofType('lead-linked')(await waitForMessages(customers, customerId, (m) => ofType('lead-linked')(m).length >= 1));
    expect(payloadOf(linked!)).toEqual({ customerId, leadId: lead });
    const [toSurvivor] = ofType('lead-linked')(await waitForMessages(customers, survivor, (m) => ofType('lead-linked')(m).length >= 1));
    expect(payloadOf(toSurvivor!)).toEqual({ customerId: survivor, leadId: leadOfMerged });

    await waitForConsumed(t);
    expect((await streamOf(unknown)).revision).toBe('no_stream');
    expect((await streamOf(customerIdFromLead(leadOfUnknown))).revision).toBe('no_stream');
    expect(await metrics()).toMatch(/crm_customers_lead_conversions_total\{[^}]*outcome="not-linked"[^}]*\} 1\n/);
  });
});

describe('poison messages', () => {
  it('dead-letters a payload that breaks the contract and contact data that cannot be normalised, then handles the next message', async () => {
    const leadId = randomUUID(); // one key: the three messages are in order on one partition
    await publish(
      leadConverted(t.salesTopic, { leadId, customer: { kind: 'new-customer' } }, { raw: true }),
      leadConverted(t.salesTopic, newCustomer(leadId, { name: { fullName: 'Grace Hopper' }, phone: '+4912' })),
      leadConverted(t.salesTopic, newCustomer(leadId)),
    );

    const letters = await waitFor(() => {
      const mine = deadLetters.messages.filter((m) => m.key === leadId);
      return mine.length >= 2 ? mine : null;
    }, { description: 'two dead letters' });
    expect(letters.map((l) => [l.headers[DlqHeader.ErrorClass], l.headers[DlqHeader.Attempts]])).toEqual([
      ['SchemaViolationError', '1'],
      ['InvalidLeadContactError', '1'],
    ]);
    expect(letters[1]!.headers[DlqHeader.ErrorMessage]).toBe('contact.phone is not a valid phone number');
    const customerId = customerIdFromLead(leadId);
    const [registered] = await waitForMessages(customers, customerId, (m) => m.length >= 1);
    expect(payloadOf(registered!)).toMatchObject({ customerId, leadId });
    expect(await readCustomerStream(t, customerId)).toHaveLength(1);
  });
});

describe('a restart mid-saga', () => {
  it('completes the conversion exactly once when the service stops after appending, before relaying, and loses its offsets', async () => {
    const countCustomerEvents = async () =>
      Number((await t.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE stream_id LIKE 'customer-%'`)).rows[0]!.n);
    await waitForConsumed(t);
    const before = await countCustomerEvents();
    const leadId = randomUUID();
    const customerId = customerIdFromLead(leadId);
    await publish(leadConverted(t.salesTopic, newCustomer(leadId)));
    await waitFor(async () => (await streamOf(customerId)).revision !== 'no_stream', { description: 'the customer appended' });

    // Stopped at once (the relay may not have published yet); then the offsets and dedup rows are lost, as if the
    // process had died before its transaction committed: the new instance reads every conversion again.
    await t.restart(() => forgetConsumedOffsets(t));
    await waitForConsumed(t);

    expect(await countCustomerEvents()).toBe(before + 1);
    expect((await readCustomerStream(t, customerId)).map((e) => e.type)).toEqual(['CustomerRegistered']);
    const published = ofType('registered')(await waitForMessages(customers, customerId, (m) => m.length >= 1));
    expect(new Set(published.map((m) => m.headers['ce_id'])).size).toBe(1); // at most republished, never a second event
    expect(payloadOf(published[0]!)).toMatchObject({ customerId, leadId });
    await request(t.http).get('/health/ready').expect(200);
  });
});
