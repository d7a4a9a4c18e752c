// Updating contact details and the address over HTTP: patches, ETag and If-Match, and the races they decide.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { currentState, readCustomerStream, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
beforeAll(async () => {
  t = await startCustomersApp('contact_details');
});
afterAll(() => t?.close());

describe('PATCH /customers/:id/contact-details', () => {
  it('changes the fields given, clears those given as null, and answers the new revision as ETag', async () => {
    const { customerId } = await registerCustomer(t);
    const res = await request(t.http)
      .patch(`/customers/${customerId}/contact-details`)
      .set('If-Match', '"0"')
      .send({ name: { given: 'Augusta Ada', family: 'King' }, phones: [{ number: '+49 30 7654321', label: 'mobile' }], company: null })
      .expect(200);
    expect(res.body).toEqual({ customerId, revision: 1 });
    expect(res.headers['etag']).toBe('"1"');
    const customer = await currentState(t, customerId);
    expect(customer['profile']).toMatchObject({ name: { given: 'Augusta Ada', family: 'King' }, phones: [{ e164: '+49307654321', primary: true, label: 'mobile' }] });
    expect(customer['profile']).not.toHaveProperty('company');
  });

  it('appends nothing when nothing changes', async () => {
    const { customerId } = await registerCustomer(t);
    const res = await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ birthday: '1815-12-10' }).expect(200);
    expect(res.body).toEqual({ customerId, revision: 0 });
  });

  it('given two concurrent updates with the same If-Match, accepts exactly one and answers the other 409', async () => {
    const { customerId } = await registerCustomer(t);
    const update = (company: string) =>
      request(t.http).patch(`/customers/${customerId}/contact-details`).set('If-Match', '"0"').send({ company });
    const answers = await Promise.all([update('Babbage & Co'), update('Difference Engines plc')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const conflict = answers.find((a) => a.status === 409)!;
    expect(conflict.body).toMatchObject({ code: 'stream.wrong_expected_version', details: { expectedVersion: '0', actualVersion: '1' } });
    expect(await readCustomerStream(t, customerId)).toHaveLength(2);
  });

  it('given a stale If-Match, answers 409 without deciding; If-Match * asks only that the customer exists', async () => {
    const { customerId } = await registerCustomer(t);
    await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ company: 'Babbage & Co' }).expect(200);
    await request(t.http).patch(`/customers/${customerId}/contact-details`).set('If-Match', '"0"').send({ gender: 'female' }).expect(409);
    await request(t.http).patch(`/customers/${customerId}/contact-details`).set('If-Match', '*').send({ gender: 'female' }).expect(200);
    await request(t.http).patch(`/customers/${randomUUID()}/contact-details`).set('If-Match', '*').send({ gender: 'female' }).expect(409);
  });

  it('answers an unknown customer with 404, and a deactivated one with 422 CUSTOMER_INACTIVE', async () => {
    const missing = randomUUID();
    const notFound = await request(t.http).patch(`/customers/${missing}/contact-details`).send({ company: 'X' }).expect(404);
    expect(notFound.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', details: { customerId: missing } });
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/deactivate`).send({}).expect(200);
    const inactive = await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ company: 'X' }).expect(422);
    expect(inactive.body).toMatchObject({ code: 'CUSTOMER_INACTIVE' });
  });
});
