// The audit trail over HTTP: every event with who, when and under which correlation, paginated.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('history');
});
afterAll(() => t?.close());

describe('GET /customers/:id/history', () => {
  it('lists the events decrypted, with actor, correlation and causation, oldest first', async () => {
    const key = randomUUID();
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/tags/gold`).set('Idempotency-Key', key).set('X-Actor-Id', 'agent-7').set('x-correlation-id', 'corr-42').expect(200);

    const res = await request(t.http).get(`/customers/${customerId}/history`).expect(200);
    expect(res.body).toMatchObject({ customerId, nextFromRevision: null });
    const [registered, tagged] = res.body.events as Record<string, unknown>[];
    expect(registered).toMatchObject({ revision: 0, type: 'CustomerRegistered', actor: 'anonymous', data: { customerId, name: { given: 'Ada', family: 'Lovelace' } } });
    expect(tagged).toMatchObject({
      revision: 1,
      type: 'CustomerTagged',
      actor: 'agent-7',
      correlationId: 'corr-42',
      causationId: key,
      commandId: key,
      data: { customerId, tag: 'gold' },
    });
    expect(Date.parse(String(tagged!['at']))).toBeGreaterThanOrEqual(Date.parse(String(registered!['at'])));
    expect(tagged!['acceptedAt']).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
  });

  it('pages with fromRevision and limit', async () => {
    const { customerId } = await registerCustomer(t);
    for (const tag of ['a1', 'a2', 'a3', 'a4']) await request(t.http).post(`/customers/${customerId}/tags/${tag}`).expect(200);
    const first = await request(t.http).get(`/customers/${customerId}/history`).query({ limit: 2 }).expect(200);
    expect(first.body.events.map((e: { revision: number }) => e.revision)).toEqual([0, 1]);
    expect(first.body.nextFromRevision).toBe(2);
    const last = await request(t.http).get(`/customers/${customerId}/history`).query({ fromRevision: 4, limit: 2 }).expect(200);
    expect(last.body).toMatchObject({ events: [{ revision: 4, data: { tag: 'a4' } }], nextFromRevision: null });
  });

  it('answers an unknown customer with 404 and a bad page with 400', async () => {
    await request(t.http).get(`/customers/${randomUUID()}/history`).expect(404, /CUSTOMER_NOT_FOUND/);
    await request(t.http).get(`/customers/${randomUUID()}/history`).query({ limit: 0 }).expect(400, /limit/);
    await request(t.http).get(`/customers/${randomUUID()}/history`).query({ fromRevision: 'x' }).expect(400, /fromRevision/);
  });
});
