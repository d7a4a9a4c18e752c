// Registering customers over HTTP against the real stack: ids, ETags, idempotency, normalisation, duplicates.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import {
  adaBody,
  currentState,
  projectContactIndex,
  readCustomerStream,
  startCustomersApp,
  type CustomersTestApp,
} from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('register');
});
afterAll(() => t?.close());

describe('POST /customers', () => {
  it('registers a customer: 201, its id and revision 0, Location and ETag', async () => {
    const res = await request(t.http).post('/customers').send(adaBody()).expect(201);
    const { customerId, revision } = res.body as { customerId: string; revision: number };
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(revision).toBe(0);
    expect(res.headers['etag']).toBe('"0"');
    expect(res.headers['location']).toBe(`/customers/${customerId}`);
    expect((await readCustomerStream(t, customerId)).map((e) => e.type)).toEqual(['CustomerRegistered']);
  });

  it('takes the id the client gives', async () => {
    const customerId = randomUUID();
    const res = await request(t.http).post('/customers').send(adaBody({ customerId: customerId.toUpperCase() })).expect(201);
    expect(res.body).toEqual({ customerId, revision: 0 });
  });

  it('given a replayed Idempotency-Key, answers as the first time and appends nothing', async () => {
    const key = randomUUID();
    const body = adaBody();
    const first = await request(t.http).post('/customers').set('Idempotency-Key', key).send(body).expect(201);
    const again = await request(t.http).post('/customers').set('Idempotency-Key', key).send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    const { customerId } = first.body as { customerId: string };
    const events = await readCustomerStream(t, customerId);
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ commandId: key, actor: 'anonymous' });
  });

  it('stores emails trimmed and lower-cased, phones in E.164 (national numbers in DEFAULT_PHONE_REGION)', async () => {
    const body = adaBody({
      emails: [{ address: '  Ada.King@Example.COM ' }],
      phones: [{ number: '030 1234567', label: 'home' }, { number: '+1 (201) 555-0123' }],
    });
    const { customerId } = (await request(t.http).post('/customers').send(body).expect(201)).body as { customerId: string };
    const customer = await currentState(t, customerId);
    expect(customer).toMatchObject({
      status: 'active',
      profile: {
        emails: [{ address: 'ada.king@example.com', primary: true }],
        phones: [
          { e164: '+49301234567', primary: true, label: 'home' },
          { e164: '+12015550123', primary: false },
        ],
      },
    });
  });

  it('records who asked and the correlation id in the metadata, never in the stream name', async () => {
    const res = await request(t.http).post('/customers').set('X-Actor-Id', 'agent-7').set('x-correlation-id', 'corr-register-1').send(adaBody()).expect(201);
    const [event] = await readCustomerStream(t, (res.body as { customerId: string }).customerId);
    expect(event!.metadata).toMatchObject({ actor: 'agent-7', correlationId: 'corr-register-1' });
  });

  it('refuses a second customer with the same email or phone: 409 with the existing id, unless allowDuplicate', async () => {
    const body = adaBody();
    const { customerId: existing } = (await request(t.http).post('/customers').send(body).expect(201)).body as { customerId: string };
    await projectContactIndex(t, [existing]);

    const sameEmail = adaBody({ emails: [{ address: String((body['emails'] as { address: string }[])[0]!.address).toUpperCase() }], phones: [] });
    const refused = await request(t.http).post('/customers').send(sameEmail).expect(409);
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_DUPLICATE', details: { existingCustomerId: existing } });
    expect(JSON.stringify(refused.body)).not.toContain('example.com');

    const samePhone = adaBody({ phones: body['phones'] });
    await request(t.http).post('/customers').send(samePhone).expect(409);
    await request(t.http).post('/customers').send({ ...samePhone, allowDuplicate: true }).expect(201);
  });

  it('answers a duplicate merged customer with its survivor', async () => {
    const merged = adaBody();
    const { customerId: a } = (await request(t.http).post('/customers').send(merged).expect(201)).body as { customerId: string };
    const { customerId: b } = (await request(t.http).post('/customers').send(adaBody()).expect(201)).body as { customerId: string };
    await request(t.http).post(`/customers/${a}/merge-into/${b}`).send({}).expect(200);
    await projectContactIndex(t, [a, b]);
    const refused = await request(t.http).post('/customers').send(adaBody({ emails: merged['emails'] })).expect(409);
    expect(refused.body).toMatchObject({ details: { existingCustomerId: b } });
  });

  it('refuses to register an id twice: 409 CUSTOMER_ALREADY_REGISTERED', async () => {
    const customerId = randomUUID();
    await request(t.http).post('/customers').send(adaBody({ customerId })).expect(201);
    const res = await request(t.http).post('/customers').send(adaBody({ customerId })).expect(409);
    expect(res.body).toMatchObject({ code: 'CUSTOMER_ALREADY_REGISTERED', details: { customerId } });
  });

  it('rejects what the domain refuses with 422: two primary emails', async () => {
    const body = adaBody({ emails: [{ address: 'one@example.com', primary: true }, { address: 'two@example.com', primary: true }] });
    const res = await request(t.http).post('/customers').send(body).expect(422);
    expect(res.body).toMatchObject({ code: 'MULTIPLE_PRIMARY_EMAILS' });
  });
});
