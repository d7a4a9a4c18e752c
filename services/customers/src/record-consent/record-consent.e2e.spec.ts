// Consent given and withdrawn per channel over HTTP.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { currentState, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('consent');
});
afterAll(() => t?.close());

describe('PUT /customers/:id/consents/:channel', () => {
  it('records consent given and withdrawn with source and time', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).put(`/customers/${customerId}/consents/email`).send({ granted: true, source: 'web-form', at: '2025-01-02T10:00:00Z' }).expect(200);
    await request(t.http).put(`/customers/${customerId}/consents/sms`).send({ granted: false, source: 'call-centre' }).expect(200);
    const again = await request(t.http).put(`/customers/${customerId}/consents/email`).send({ granted: true, source: 'import' }).expect(200);
    expect(again.body).toEqual({ customerId, revision: 2 });
    expect((await currentState(t, customerId))['consents']).toMatchObject({
      email: { status: 'given', source: 'web-form', at: '2025-01-02T10:00:00.000Z' },
      sms: { status: 'withdrawn', source: 'call-centre' },
    });
  });

  it('refuses a capture time in the future (400) and an unknown customer (404)', async () => {
    const { customerId } = await registerCustomer(t);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await request(t.http).put(`/customers/${customerId}/consents/email`).send({ granted: true, source: 'web', at: future }).expect(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'at' }] });
    await request(t.http).put(`/customers/${randomUUID()}/consents/email`).send({ granted: false, source: 'web' }).expect(404);
  });
});
