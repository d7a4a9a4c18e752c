// The customer as of a time, over HTTP: its stream replayed up to the events stored by then.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('as_of');
});
afterAll(() => t?.close());

const storedAt = async (customerId: string): Promise<string[]> =>
  ((await request(t.http).get(`/customers/${customerId}/history`).expect(200)).body.events as { at: string }[]).map((e) => e.at);

describe('GET /customers/:id/as-of?at=', () => {
  it('folds the events stored up to the time given', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ company: 'Babbage & Co' }).expect(200);
    await request(t.http).post(`/customers/${customerId}/deactivate`).expect(200);
    const [registeredAt, updatedAt, deactivatedAt] = await storedAt(customerId);

    const asOf = async (at: string) => (await request(t.http).get(`/customers/${customerId}/as-of`).query({ at }).expect(200)).body;
    expect(await asOf(registeredAt!)).toMatchObject({ customerId, revision: 0, customer: { status: 'active', profile: { company: 'Analytical Engines Ltd' } } });
    expect(await asOf(updatedAt!)).toMatchObject({ revision: 1, customer: { status: 'active', profile: { company: 'Babbage & Co' } } });
    expect(await asOf(deactivatedAt!)).toMatchObject({ revision: 2, customer: { status: 'inactive' } });
    expect(await asOf(new Date(Date.now() + 60_000).toISOString())).toMatchObject({ revision: 2 });
  });

  it('answers 404 for a time before the registration and for an unknown customer, 400 for a bad time', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).get(`/customers/${customerId}/as-of`).query({ at: '2000-01-01T00:00:00Z' }).expect(404, /CUSTOMER_NOT_FOUND/);
    await request(t.http).get(`/customers/${randomUUID()}/as-of`).query({ at: new Date().toISOString() }).expect(404);
    await request(t.http).get(`/customers/${customerId}/as-of`).query({ at: 'yesterday' }).expect(400, /at/);
    await request(t.http).get(`/customers/${customerId}/as-of`).expect(400);
  });
});
