// Tagging and untagging over HTTP.
import request from 'supertest';
import { adaBody, currentState, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('tags');
});
afterAll(() => t?.close());

describe('POST and DELETE /customers/:id/tags/:tag', () => {
  it('tags and untags; doing either twice changes nothing', async () => {
    const { customerId } = await registerCustomer(t);
    expect((await request(t.http).post(`/customers/${customerId}/tags/gold`).expect(200)).body).toEqual({ customerId, revision: 1 });
    expect((await request(t.http).post(`/customers/${customerId}/tags/gold`).expect(200)).body).toEqual({ customerId, revision: 1 });
    expect((await currentState(t, customerId))['profile']).toMatchObject({ tags: ['vip', 'gold'] });
    expect((await request(t.http).delete(`/customers/${customerId}/tags/vip`).expect(200)).body).toEqual({ customerId, revision: 2 });
    expect((await request(t.http).delete(`/customers/${customerId}/tags/vip`).expect(200)).body).toEqual({ customerId, revision: 2 });
    expect((await currentState(t, customerId))['profile']).toMatchObject({ tags: ['gold'] });
  });

  it('refuses a 51st tag with 422 TAG_LIMIT', async () => {
    const { customerId } = await registerCustomer(t, adaBody({ tags: Array.from({ length: 50 }, (_, i) => `tag-${i}`) }));
    const res = await request(t.http).post(`/customers/${customerId}/tags/one-more`).expect(422);
    expect(res.body).toMatchObject({ code: 'TAG_LIMIT', details: { limit: 50 } });
  });
});
