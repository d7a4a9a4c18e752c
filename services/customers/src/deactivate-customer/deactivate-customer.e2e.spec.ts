// Deactivating and reactivating over HTTP.
import request from 'supertest';
import { currentState, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('deactivate');
});
afterAll(() => t?.close());

describe('POST /customers/:id/deactivate and /reactivate', () => {
  it('deactivates with a reason, and reactivates', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/deactivate`).send({ reason: 'moved abroad' }).expect(200);
    expect(await currentState(t, customerId)).toMatchObject({ status: 'inactive', deactivation: { reason: 'moved abroad' } });
    const res = await request(t.http).post(`/customers/${customerId}/reactivate`).expect(200);
    expect(res.body).toEqual({ customerId, revision: 2 });
    expect(await currentState(t, customerId)).toMatchObject({ status: 'active' });
  });

  it('refuses to deactivate twice (422 ALREADY_DEACTIVATED) and to reactivate an active customer (422 NOT_DEACTIVATED)', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/reactivate`).expect(422, /NOT_DEACTIVATED/);
    await request(t.http).post(`/customers/${customerId}/deactivate`).expect(200);
    await request(t.http).post(`/customers/${customerId}/deactivate`).expect(422, /ALREADY_DEACTIVATED/);
  });
});
