// Recording purchases over HTTP: amounts in minor units at the currency's precision, idempotent by order id.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { currentState, readCustomerStream, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('purchases');
});
afterAll(() => t?.close());

const purchase = (orderId: string, value: string, currency = 'EUR') => ({
  orderId,
  amount: { value, currency },
  items: [{ sku: 'BOOK-1', name: 'Notes on the Analytical Engine', quantity: 2, unitPrice: value === '0' ? '0' : '6.17' }],
  purchasedAt: '2025-01-31T09:30:00+01:00',
});

describe('POST /customers/:id/purchases', () => {
  it('records a purchase and keeps count and totals per currency; the same order again appends nothing', async () => {
    const { customerId } = await registerCustomer(t);
    expect((await request(t.http).post(`/customers/${customerId}/purchases`).send(purchase('order-1', '12.34')).expect(200)).body).toEqual({
      customerId,
      revision: 1,
    });
    await request(t.http).post(`/customers/${customerId}/purchases`).send(purchase('order-1', '12.34')).expect(200);
    await request(t.http).post(`/customers/${customerId}/purchases`).send(purchase('order-2', '0.66')).expect(200);
    await request(t.http).post(`/customers/${customerId}/purchases`).send({ ...purchase('order-3', '1200', 'jpy'), items: [] }).expect(200);

    expect(await currentState(t, customerId)).toMatchObject({
      purchases: { count: 3, totals: { EUR: '1300', JPY: '1200' }, lastPurchaseAt: '2025-01-31T08:30:00.000Z' },
    });
    const [, recorded] = await readCustomerStream(t, customerId);
    expect(recorded!.data).toMatchObject({ amount: { minor: '1234', currency: 'EUR' }, items: [{ unitPrice: { minor: '617', currency: 'EUR' } }] });
    expect(await readCustomerStream(t, customerId)).toHaveLength(4);
  });

  it('records purchases of a deactivated customer, and answers an unknown one with 404', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/deactivate`).expect(200);
    await request(t.http).post(`/customers/${customerId}/purchases`).send(purchase('order-1', '5.00')).expect(200);
    await request(t.http).post(`/customers/${randomUUID()}/purchases`).send(purchase('order-1', '5.00')).expect(404);
  });
});
