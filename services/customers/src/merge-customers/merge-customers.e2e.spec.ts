// Merging and unmerging over HTTP: both customers return to exactly their prior state; a process that stopped
// half-way is completed by a retry.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { stepOf } from '@crm/event-store';
import type { HttpCommand } from '@crm/platform';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { adaBody, currentState, readCustomerStream, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('merge');
});
afterAll(() => t?.close());

/** Two registrations of the same person, with purchases and consents on both. */
async function twoCustomers(): Promise<{ a: string; b: string }> {
  const { customerId: a } = await registerCustomer(t, adaBody({ name: { given: 'Augusta Ada', family: 'King' }, tags: ['newsletter'], company: undefined }));
  const { customerId: b } = await registerCustomer(t);
  const buy = (id: string, orderId: string, value: string) =>
    request(t.http).post(`/customers/${id}/purchases`).send({ orderId, amount: { value, currency: 'EUR' }, items: [] }).expect(200);
  await buy(a, 'order-a', '5.00');
  await buy(b, 'order-b', '19.99');
  await request(t.http).put(`/customers/${a}/consents/email`).send({ granted: true, source: 'web-form' }).expect(200);
  await request(t.http).put(`/customers/${b}/consents/sms`).send({ granted: false, source: 'call-centre' }).expect(200);
  return { a, b };
}

/** What a request with this Idempotency-Key would have done as its first steps. */
const asRequest = (key: string): HttpCommand => ({ metadata: { commandId: key, actor: 'test', time: new Date().toISOString() }, at: new Date().toISOString() });

describe('POST /customers/:id/merge-into/:survivorId, then POST /customers/:id/unmerge', () => {
  it('merges A into B with the field choices, freezes A, and unmerges both back to exactly their prior state', async () => {
    const { a, b } = await twoCustomers();
    const [aBefore, bBefore] = [await currentState(t, a), await currentState(t, b)];

    const merged = await request(t.http).post(`/customers/${a}/merge-into/${b}`).set('If-Match', '"2"').send({ fieldChoices: { name: 'merged' } }).expect(200);
    expect(merged.body).toEqual({ customerId: a, survivorId: b, revision: 3, survivorRevision: 3 });
    expect(merged.headers['etag']).toBe('"3"');
    expect(await currentState(t, a)).toMatchObject({ status: 'merged', survivorId: b });
    expect(await currentState(t, b)).toMatchObject({
      profile: { name: { given: 'Augusta Ada', family: 'King' }, tags: ['vip', 'newsletter'], company: 'Analytical Engines Ltd' },
      purchases: { count: 2, totals: { EUR: '2499' } },
      consents: { email: { status: 'given' }, sms: { status: 'withdrawn' } },
    });

    const refused = await request(t.http).post(`/customers/${a}/tags/gold`).expect(422);
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_MERGED', details: { customerId: a, survivorId: b } });

    const unmerged = await request(t.http).post(`/customers/${a}/unmerge`).expect(200);
    expect(unmerged.body).toEqual({ customerId: a, survivorId: b, revision: 4, survivorRevision: 4 });
    expect(await currentState(t, a)).toEqual(aBefore);
    expect(await currentState(t, b)).toEqual(bBefore);
  });

  it('answers a replayed merge with the original result and appends nothing', async () => {
    const { a, b } = await twoCustomers();
    const key = randomUUID();
    const first = await request(t.http).post(`/customers/${a}/merge-into/${b}`).set('Idempotency-Key', key).send({}).expect(200);
    const again = await request(t.http).post(`/customers/${a}/merge-into/${b}`).set('Idempotency-Key', key).send({}).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await readCustomerStream(t, b)).map((e) => e.type).filter((type) => type === 'CustomerMergeAbsorbed')).toHaveLength(1);
  });

  it('given a merge that stopped after freezing A, completes it on a retry with the same key', async () => {
    const { a, b } = await twoCustomers();
    const key = randomUUID();
    const commands = t.app.get(CustomerCommands);
    await commands.execute({ type: 'MarkMergedInto', data: { customerId: a, survivorId: b, at: new Date().toISOString() } }, stepOf(asRequest(key), 'mark-merged'));
    expect(await currentState(t, b)).toMatchObject({ absorbed: {} });

    await request(t.http).post(`/customers/${a}/merge-into/${b}`).set('Idempotency-Key', key).send({}).expect(200);
    expect(await currentState(t, b)).toMatchObject({ absorbed: { [a]: expect.any(Object) }, purchases: { count: 2 } });
    expect((await readCustomerStream(t, a)).filter((e) => e.type === 'CustomerMergedInto')).toHaveLength(1);
  });

  it('given an unmerge that stopped after reverting B, completes it on a retry', async () => {
    const { a, b } = await twoCustomers();
    const [aBefore, bBefore] = [await currentState(t, a), await currentState(t, b)];
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({}).expect(200);
    const key = randomUUID();
    await t.app
      .get(CustomerCommands)
      .execute({ type: 'RevertMerge', data: { customerId: b, mergedId: a, at: new Date().toISOString() } }, stepOf(asRequest(key), 'revert'));

    const res = await request(t.http).post(`/customers/${a}/unmerge`).set('Idempotency-Key', key).expect(200);
    expect(res.body).toMatchObject({ customerId: a, survivorId: b });
    expect(await currentState(t, a)).toEqual(aBefore);
    expect(await currentState(t, b)).toEqual(bBefore);
  });

  it('refuses with 422 before freezing A when B cannot absorb it, and merging into itself', async () => {
    const { a, b } = await twoCustomers();
    await request(t.http).post(`/customers/${b}/deactivate`).expect(200);
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({}).expect(422, /CUSTOMER_INACTIVE/);
    expect(await currentState(t, a)).toMatchObject({ status: 'active' });
    await request(t.http).post(`/customers/${a}/merge-into/${a}`).send({}).expect(422, /CANNOT_MERGE_INTO_SELF/);
  });

  it('refuses a field choice a field cannot take (400) and an unknown survivor (404)', async () => {
    const { a, b } = await twoCustomers();
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({ fieldChoices: { name: 'union' } }).expect(400);
    await request(t.http).post(`/customers/${a}/merge-into/${randomUUID()}`).send({}).expect(404);
  });

  it('refuses to unmerge a customer that is not merged: 422 NOT_MERGED', async () => {
    const { a } = await twoCustomers();
    await request(t.http).post(`/customers/${a}/unmerge`).expect(422, /NOT_MERGED/);
  });
});
