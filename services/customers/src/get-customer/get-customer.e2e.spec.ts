// GET /customers/:id over the real stack: the projected row, merged ids resolved to the survivor, and a merge
// then unmerge that puts both customers' read-model rows back as they were.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { adaBody, registerCustomer } from '../infrastructure/__fixtures__/customers-test-app';
import { profileRow, startReadSideApp, waitForProfile, type ReadSideApp } from '../read-model/__fixtures__/read-side-kit';

let t: ReadSideApp;
beforeAll(async () => {
  t = await startReadSideApp('get-customer');
});
afterAll(() => t?.close());

/** Two registrations of the same person, with a purchase and a consent each, projected. */
async function twoCustomers(): Promise<{ a: string; b: string }> {
  const { customerId: a } = await registerCustomer(t, adaBody({ name: { given: 'Augusta Ada', family: 'King' }, tags: ['newsletter'], company: undefined }));
  const { customerId: b } = await registerCustomer(t);
  const buy = (id: string, orderId: string, value: string) =>
    request(t.http).post(`/customers/${id}/purchases`).send({ orderId, amount: { value, currency: 'EUR' }, items: [] }).expect(200);
  await buy(a, 'order-a', '5.00');
  await buy(b, 'order-b', '19.99');
  await request(t.http).put(`/customers/${a}/consents/email`).send({ granted: true, source: 'web-form' }).expect(200);
  await request(t.http).put(`/customers/${b}/consents/sms`).send({ granted: false, source: 'call-centre' }).expect(200);
  await waitForProfile(t, a, (p) => p.revision === 2);
  await waitForProfile(t, b, (p) => p.revision === 2);
  return { a, b };
}

/** The stored row without what every new event changes. */
async function rowOf(customerId: string): Promise<Record<string, unknown>> {
  const { revision: _revision, updated_at: _updatedAt, ...row } = (await profileRow(t, customerId)) ?? {};
  return row;
}

describe('GET /customers/:id', () => {
  it('answers the projected customer with its revision as ETag; 404 for an unknown id, 400 for a malformed one', async () => {
    const { customerId } = await registerCustomer(t);
    const profile = await waitForProfile(t, customerId);
    expect(profile).toMatchObject({ customerId, status: 'active', name: { given: 'Ada' }, purchases: { count: 0, totals: {}, lastPurchaseAt: null }, mergedInto: null, erasedAt: null });
    expect(profile.primaryEmail).toMatch(/^ada\..+@example\.com$/);
    expect(profile.phones![0]).toMatch(/^\+4930\d+$/);
    const res = await request(t.http).get(`/customers/${customerId.toUpperCase()}`).expect(200);
    expect(res.headers['etag']).toBe('"0"');
    expect(res.body).not.toHaveProperty('state');

    const unknown = await request(t.http).get(`/customers/${randomUUID()}`).expect(404);
    expect(unknown.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    const bad = await request(t.http).get('/customers/not-a-uuid').expect(400);
    expect(JSON.stringify(bad.body)).toContain('id');
  });

  it('resolves a merged id to the survivor: 200 with the survivor, mergedFrom and Content-Location', async () => {
    const { a, b } = await twoCustomers();
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({}).expect(200);
    const survivor = await waitForProfile(t, a, (p) => p.customerId === b && p.revision === 3);
    expect(survivor).toMatchObject({ customerId: b, mergedFrom: [a], status: 'active', purchases: { count: 2, totals: { EUR: '24.99' } } });
    expect(survivor.tags).toEqual(expect.arrayContaining(['vip', 'newsletter']));
    const res = await request(t.http).get(`/customers/${a}`).expect(200);
    expect(res.headers['content-location']).toBe(`/customers/${b}`);
    expect(res.headers['etag']).toBe('"3"');
    // The merged row itself stays, frozen, for analysts.
    expect(await profileRow(t, a)).toMatchObject({ status: 'merged', merged_into: b, given_name: 'Augusta Ada' });
  });

  it('given a merge then an unmerge, both customers’ rows are back to their prior values', async () => {
    const { a, b } = await twoCustomers();
    const [aBefore, bBefore] = [await rowOf(a), await rowOf(b)];

    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({ fieldChoices: { name: 'merged', emails: 'union' } }).expect(200);
    await waitForProfile(t, b, (p) => p.revision === 3);
    expect(await rowOf(b)).toMatchObject({ given_name: 'Augusta Ada', purchase_count: 2 });
    await request(t.http).post(`/customers/${a}/unmerge`).send({}).expect(200);
    await waitForProfile(t, a, (p) => p.customerId === a && p.revision === 4);
    await waitForProfile(t, b, (p) => p.revision === 4);

    expect(await rowOf(a)).toEqual(aBefore);
    expect(await rowOf(b)).toEqual(bBefore);
  });
});
