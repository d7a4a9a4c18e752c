// Changing and removing the address over HTTP.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { adaBody, currentState, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('address');
});
afterAll(() => t?.close());

describe('PUT and DELETE /customers/:id/address', () => {
  it('replaces the address, normalising the country; then removes it', async () => {
    const { customerId } = await registerCustomer(t, adaBody({ address: undefined }));
    const address = { lines: ['Ockham Park', ' East Horsley '], city: 'Ockham', postalCode: 'KT24', country: 'gb' };
    const put = await request(t.http).put(`/customers/${customerId}/address`).set('If-Match', '"0"').send(address).expect(200);
    expect(put.body).toEqual({ customerId, revision: 1 });
    expect((await currentState(t, customerId))['profile']).toMatchObject({
      address: { lines: ['Ockham Park', 'East Horsley'], city: 'Ockham', postalCode: 'KT24', country: 'GB' },
    });

    const removed = await request(t.http).delete(`/customers/${customerId}/address`).expect(200);
    expect(removed.headers['etag']).toBe('"2"');
    expect((await currentState(t, customerId))['profile']).not.toHaveProperty('address');
  });

  it('answers an unknown customer with 404', async () => {
    await request(t.http).put(`/customers/${randomUUID()}/address`).send({ lines: ['1 Main St'], city: 'Springfield', country: 'US' }).expect(404);
  });
});
