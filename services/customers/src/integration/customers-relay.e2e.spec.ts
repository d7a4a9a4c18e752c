// Integration events over the real stack: HTTP command → event store → read model and → relay → Kafka, with
// CloudEvents headers, the customer id as key, and payloads that satisfy their contracts.
import { validate, validateHeaders } from '@crm/contracts';
import request from 'supertest';
import { adaBody } from '../infrastructure/__fixtures__/customers-test-app';
import { readTopic, startReadSideApp, typesOf, waitForMessages, waitForProfile, type ReadSideApp, type TopicMessage } from '../read-model/__fixtures__/read-side-kit';

let t: ReadSideApp;
let feed: Awaited<ReturnType<typeof readTopic>>;
beforeAll(async () => {
  t = await startReadSideApp('relay');
  feed = await readTopic(t.topic);
});
afterAll(async () => {
  await feed?.stop();
  await t?.close();
});

const payloadOf = (message: TopicMessage): Record<string, unknown> => JSON.parse(message.value) as Record<string, unknown>;

describe('the customers relay', () => {
  it('given a registration, the read model shows it and Kafka carries crm.customer.registered.v1 keyed by the customer id', async () => {
    const res = await request(t.http)
      .post('/customers')
      .set('x-correlation-id', 'corr-relay-1')
      .send(adaBody({ allowDuplicate: true }))
      .expect(201);
    const { customerId } = res.body as { customerId: string };

    const profile = await waitForProfile(t, customerId);
    expect(profile).toMatchObject({ customerId, status: 'active', name: { display: 'Ada Lovelace', given: 'Ada', family: 'Lovelace' }, company: 'Analytical Engines Ltd', city: 'London', country: 'GB', tags: ['vip'], revision: 0 });

    const [message] = await waitForMessages(feed, customerId, (m) => m.length >= 1);
    expect(message!.key).toBe(customerId);
    const headers = validateHeaders(message!.headers);
    expect(headers.ok).toBe(true);
    expect(message!.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'crm.customer.registered.v1',
      ce_source: '/crm/customers',
      ce_subject: customerId,
      crm_correlation_id: 'corr-relay-1',
      crm_stream_revision: '0',
      'content-type': 'application/json',
    });
    const payload = payloadOf(message!);
    expect(validate('crm.customer.registered.v1', payload).ok).toBe(true);
    expect(payload).toEqual({
      customerId,
      contact: { name: { fullName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' }, email: profile.primaryEmail, phone: profile.phones![0], company: 'Analytical Engines Ltd' },
      location: { city: 'London', countryCode: 'GB' },
      tags: ['vip'],
      acquisitionSource: 'referral',
    });
    // Street, postal code, birthday and custom attributes stay in the service.
    expect(message!.value).not.toMatch(/St James|SW1Y|1815-12-10|gold/);
  });

  it('publishes complete contact details after a patch, purchases with their count, tags and consent, in stream order', async () => {
    const { customerId } = (await request(t.http).post('/customers').send(adaBody({ allowDuplicate: true })).expect(201)).body as { customerId: string };
    await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ company: 'Babbage & Co' }).expect(200);
    await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ gender: 'female' }).expect(200); // nothing a subscriber gets
    await request(t.http)
      .post(`/customers/${customerId}/purchases`)
      .send({ orderId: 'SO-1', amount: { value: '129.90', currency: 'EUR' }, items: [{ sku: 'TEA-1', name: 'Earl Grey', quantity: 2, unitPrice: '64.95' }], purchasedAt: '2025-01-31T09:30:00Z' })
      .expect(200);
    await request(t.http).post(`/customers/${customerId}/tags/newsletter`).expect(200);
    await request(t.http).put(`/customers/${customerId}/consents/email`).send({ granted: true, source: 'signup-form' }).expect(200);
    await request(t.http).post(`/customers/${customerId}/deactivate`).send({}).expect(200);

    const messages = await waitForMessages(feed, customerId, (m) => m.length >= 6);
    expect(typesOf(messages)).toEqual([
      'crm.customer.registered.v1',
      'crm.customer.contact-details-updated.v1',
      'crm.customer.purchase-recorded.v1',
      'crm.customer.tagged.v1',
      'crm.customer.consent-given.v1',
      'crm.customer.deactivated.v1',
    ]);
    for (const message of messages) expect(validate(message.headers['ce_type']!, payloadOf(message))).toMatchObject({ ok: true });
    expect(messages.map((m) => m.headers['crm_stream_revision'])).toEqual(['0', '1', '3', '4', '5', '6']);
    expect(payloadOf(messages[1]!)).toMatchObject({ contact: { name: { fullName: 'Ada Lovelace' }, company: 'Babbage & Co' } });
    expect(payloadOf(messages[2]!)).toEqual({
      customerId,
      orderId: 'SO-1',
      amount: { amount: '129.90', currency: 'EUR' },
      items: [{ sku: 'TEA-1', description: 'Earl Grey', quantity: 2, unitPrice: { amount: '64.95', currency: 'EUR' } }],
      purchasedAt: '2025-01-31T09:30:00.000Z',
      purchaseCount: 1,
    });
    expect(payloadOf(messages[4]!)).toMatchObject({ channel: 'email', source: 'signup-form' });

    const profile = await waitForProfile(t, customerId, (p) => p.revision === 6);
    expect(profile).toMatchObject({
      status: 'inactive',
      company: 'Babbage & Co',
      tags: ['vip', 'newsletter'],
      consents: { email: { granted: true, source: 'signup-form' } },
      purchases: { count: 1, totals: { EUR: '129.90' }, lastPurchaseAt: '2025-01-31T09:30:00.000Z' },
    });
  });

  it('reports Kafka in readiness while it publishes', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(JSON.stringify(res.body)).toContain('kafka');
  });
});
