// Erasure over HTTP: afterwards no stored byte, history entry or as-of view holds the person's data, while the
// purchase totals survive; linked (merged) customers go too; a retry after a crash still destroys the key.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { stepOf } from '@crm/event-store';
import type { HttpCommand } from '@crm/platform';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { adaBody, currentState, registerCustomer, startCustomersApp, storedEventText, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('erasure');
});
afterAll(() => t?.close());

/** Distinctive values (long enough not to turn up by chance in base64 ciphertext). */
function person() {
  const unique = randomUUID().slice(0, 8);
  const values = {
    given: `Augusta${unique}`,
    family: 'Lovelace-Byron',
    email: `augusta.${unique}@analytical.example`,
    phone: '+49 30 9876543',
    phoneE164: '+49309876543',
    street: 'Piccadilly Terrace',
    city: 'Marylebone',
    birthday: '1815-12-10',
    company: 'Difference Engines',
    attribute: 'platinum-member',
    reason: 'emigrated to Ockham',
  };
  const body = adaBody({
    name: { given: values.given, family: values.family },
    emails: [{ address: values.email }],
    phones: [{ number: values.phone }],
    address: { lines: [values.street], city: values.city, country: 'GB' },
    birthday: values.birthday,
    company: values.company,
    customAttributes: [{ key: 'tier', type: 'string', value: values.attribute }],
  });
  return { body, values, personal: Object.values(values).filter((value) => value !== values.phone) };
}

async function richCustomer(p: ReturnType<typeof person>): Promise<string> {
  const { customerId } = await registerCustomer(t, p.body);
  const at = `/customers/${customerId}`;
  await request(t.http).patch(`${at}/contact-details`).send({ gender: 'female' }).expect(200);
  await request(t.http).post(`${at}/deactivate`).send({ reason: p.values.reason }).expect(200);
  await request(t.http).post(`${at}/reactivate`).expect(200);
  await request(t.http).post(`${at}/purchases`).send({ orderId: `order-${customerId}`, amount: { value: '19.99', currency: 'EUR' }, items: [] }).expect(200);
  await request(t.http).put(`${at}/consents/email`).send({ granted: true, source: 'web-form' }).expect(200);
  return customerId;
}

const expectNone = (text: string, values: readonly string[]) => {
  for (const value of values) expect(text).not.toContain(value);
};

const keyRow = async (customerId: string) =>
  (await t.db.pool.query<{ wrapped: boolean; destroyed: boolean }>(
    'SELECT wrapped_key IS NOT NULL AS wrapped, destroyed_at IS NOT NULL AS destroyed FROM customers.data_keys WHERE customer_id = $1',
    [customerId],
  )).rows[0];

describe('POST /customers/:id/erase', () => {
  it('never stores personal values in clear, and after erasure no view of the events reveals them; totals survive', async () => {
    const p = person();
    const customerId = await richCustomer(p);
    const beforeErasure = new Date().toISOString();
    expectNone(await storedEventText(t, [customerId]), p.personal);
    expect(JSON.stringify(await currentState(t, customerId))).toContain(p.values.given);

    const res = await request(t.http).post(`/customers/${customerId}/erase`).set('X-Actor-Id', 'dpo-1').send({ reason: 'data_subject_request' }).expect(200);
    expect(res.body).toEqual({ customerId, revision: 6, erasedCustomerIds: [customerId] });
    expect(await keyRow(customerId)).toEqual({ wrapped: false, destroyed: true });

    expectNone(await storedEventText(t, [customerId]), p.personal);
    const history = await request(t.http).get(`/customers/${customerId}/history`).expect(200);
    expect(history.body.events).toHaveLength(7);
    expect(history.body.events[6]).toMatchObject({ type: 'CustomerErased', actor: 'dpo-1', data: { reason: 'data_subject_request', requestedBy: 'dpo-1' } });
    expectNone(JSON.stringify(history.body), p.personal);

    const then = await request(t.http).get(`/customers/${customerId}/as-of`).query({ at: beforeErasure }).expect(200);
    expect(then.body.customer).toMatchObject({ status: 'active', purchases: { count: 1, totals: { EUR: '1999' } } });
    expectNone(JSON.stringify(then.body), p.personal);
    expect(await currentState(t, customerId)).toMatchObject({ status: 'erased', purchases: { count: 1, totals: { EUR: '1999' } } });
  });

  it('refuses further commands with 422 CUSTOMER_ERASED, erases again as a no-op, and answers an unknown customer 404', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/erase`).send({ reason: 'retention_policy' }).expect(200);
    await request(t.http).post(`/customers/${customerId}/tags/gold`).expect(422, /CUSTOMER_ERASED/);
    await request(t.http).post('/customers').send(adaBody({ customerId, allowDuplicate: true })).expect(422, /CUSTOMER_ERASED/);
    const again = await request(t.http).post(`/customers/${customerId}/erase`).send({ reason: 'retention_policy' }).expect(200);
    expect(again.body).toEqual({ customerId, revision: 1, erasedCustomerIds: [customerId] });
    await request(t.http).post(`/customers/${randomUUID()}/erase`).send({ reason: 'retention_policy' }).expect(404);
    await request(t.http).post(`/customers/${customerId}/erase`).send({ reason: 'because' }).expect(400);
  });

  it('erases the customers it was merged with, and their copies of its data in the survivor stream', async () => {
    const [pa, pb] = [person(), person()];
    const a = await richCustomer(pa);
    const b = await richCustomer(pb);
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({ fieldChoices: { name: 'merged', address: 'merged' } }).expect(200);
    expect(JSON.stringify(await currentState(t, b))).toContain(pa.values.given);

    const res = await request(t.http).post(`/customers/${a}/erase`).send({ reason: 'data_subject_request' }).expect(200);
    expect(res.body.erasedCustomerIds).toEqual([a, b]);
    expect([await keyRow(a), await keyRow(b)]).toEqual([
      { wrapped: false, destroyed: true },
      { wrapped: false, destroyed: true },
    ]);
    expect(await currentState(t, b)).toMatchObject({ status: 'erased', purchases: { count: 2, totals: { EUR: '3998' } } });
    const everything = [...pa.personal, ...pb.personal];
    expectNone(await storedEventText(t, [a, b]), everything);
    expectNone(JSON.stringify((await request(t.http).get(`/customers/${b}/history`).expect(200)).body), everything);
  });

  it('given a crash between the erased event and the key destruction, destroys the key on retry', async () => {
    const p = person();
    const customerId = await richCustomer(p);
    const request1: HttpCommand = { metadata: { commandId: randomUUID(), actor: 'dpo-1', time: new Date().toISOString() }, at: new Date().toISOString() };
    await t.app
      .get(CustomerCommands)
      .execute({ type: 'EraseCustomer', data: { customerId, reason: 'data_subject_request', at: request1.at } }, stepOf(request1, 'crashed'));
    expect(await keyRow(customerId)).toEqual({ wrapped: true, destroyed: false });

    await request(t.http).post(`/customers/${customerId}/erase`).send({ reason: 'data_subject_request' }).expect(200);
    expect(await keyRow(customerId)).toEqual({ wrapped: false, destroyed: true });
    expectNone(JSON.stringify((await request(t.http).get(`/customers/${customerId}/history`).expect(200)).body), p.personal);
  });
});
