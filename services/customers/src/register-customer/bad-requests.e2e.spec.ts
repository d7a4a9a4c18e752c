// Bad requests never reach the domain: 400 (or 413) naming the field or the problem, and the service keeps serving.
import request from 'supertest';
import { adaBody, registerCustomer, startCustomersApp, type CustomersTestApp } from '../infrastructure/__fixtures__/customers-test-app';

let t: CustomersTestApp;
let customerId: string;
beforeAll(async () => {
  t = await startCustomersApp('bad_requests');
  ({ customerId } = await registerCustomer(t));
});
afterAll(() => t?.close());

type Problems = { errors: { field: string; problems: string[] }[] };
const fieldsOf = (body: unknown): string[] => (body as Problems).errors.map((e) => e.field);
const long = (length: number): string => 'x'.repeat(length);

async function rejected(body: Record<string, unknown>, path = '/customers'): Promise<string[]> {
  const res = await request(t.http).post(path).send(body).expect(400);
  expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed' });
  return fieldsOf(res.body);
}

describe('registration bodies refused with 400, naming the field', () => {
  it.each([
    ['an unknown field', { nickname: 'Ada' }, 'nickname'],
    ['an unknown nested field', { name: { given: 'Ada', middle: 'A' } }, 'name.middle'],
    ['a wrong type', { name: { given: 42 } }, 'name.given'],
    ['a missing name', { name: undefined }, 'name'],
    ['a list that is not one', { tags: 'vip' }, 'tags'],
    ['a bad email', { emails: [{ address: 'ada(at)example.com' }] }, 'emails.0.address'],
    ['a bad phone', { phones: [{ number: '030 1234567' }, { number: '12' }] }, 'phones.1.number'],
    ['letters in a phone', { phones: [{ number: 'call me' }] }, 'phones.0.number'],
    ['a bad birthday', { birthday: '1815-02-30' }, 'birthday'],
    ['a bad country', { address: { lines: ['1 Main St'], city: 'Springfield', country: 'XX' } }, 'address.country'],
    ['no address lines', { address: { lines: [], city: 'Springfield', country: 'US' } }, 'address.lines'],
    ['a bad attribute type', { customAttributes: [{ key: 'size', type: 'colour', value: 'red' }] }, 'customAttributes.0.type'],
    ['a value of the wrong type', { customAttributes: [{ key: 'size', type: 'number', value: '38' }] }, 'customAttributes.0.value'],
    ['a bad tag', { tags: ['no spaces please'] }, 'tags'],
    ['a bad customerId', { customerId: 'customer-1' }, 'customerId'],
  ])('%s', async (_what, override, field) => {
    expect(await rejected(adaBody(override))).toContain(field);
  });

  it.each([
    ['given name', { name: { given: long(101) } }, 'name.given'],
    ['family name', { name: { given: 'Ada', family: long(101) } }, 'name.family'],
    ['company', { company: long(201) }, 'company'],
    ['gender', { gender: long(51) }, 'gender'],
    ['tag', { tags: [long(65)] }, 'tags'],
    ['number of tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
    ['acquisition source', { acquisitionSource: long(101) }, 'acquisitionSource'],
    ['attribute key', { customAttributes: [{ key: `k${long(64)}`, type: 'string', value: 'v' }] }, 'customAttributes.0.key'],
    ['attribute value', { customAttributes: [{ key: 'note', type: 'string', value: long(501) }] }, 'customAttributes.0.value'],
    ['address line', { address: { lines: [long(201)], city: 'Springfield', country: 'US' } }, 'address.lines'],
    ['city', { address: { lines: ['1 Main St'], city: long(101), country: 'US' } }, 'address.city'],
    ['postal code', { address: { lines: ['1 Main St'], city: 'Springfield', postalCode: long(21), country: 'US' } }, 'address.postalCode'],
    ['email', { emails: [{ address: `${long(250)}@example.com` }] }, 'emails.0.address'],
    ['email label', { emails: [{ address: 'a@example.com', label: long(51) }] }, 'emails.0.label'],
    ['number of emails', { emails: Array.from({ length: 11 }, (_, i) => ({ address: `a${i}@example.com` })) }, 'emails'],
  ])('a string or list over its limit: %s', async (_what, override, field) => {
    expect(await rejected(adaBody(override))).toContain(field);
  });
});

describe('other commands refuse bad bodies too', () => {
  it.each([
    ['a currency that is not ISO 4217', { amount: { value: '1.00', currency: 'EURO' } }, 'amount.currency'],
    ['too many decimals for the currency', { amount: { value: '1.234', currency: 'EUR' } }, 'amount.value'],
    ['decimals where the currency has none', { amount: { value: '1.5', currency: 'JPY' } }, 'amount.value'],
    ['an amount that is a number', { amount: { value: 12.5, currency: 'EUR' } }, 'amount.value'],
    ['too many items', { items: Array.from({ length: 101 }, (_, i) => ({ sku: `s${i}`, name: 'n', quantity: 1, unitPrice: '1.00' })) }, 'items'],
    ['a zero quantity', { items: [{ sku: 's', name: 'n', quantity: 0, unitPrice: '1.00' }] }, 'items.0.quantity'],
    ['a time without zone', { purchasedAt: '2025-01-01T10:00:00' }, 'purchasedAt'],
  ])('a purchase with %s', async (_what, override, field) => {
    const body = { orderId: 'o-1', amount: { value: '1.00', currency: 'EUR' }, items: [], ...override };
    expect(await rejected(body, `/customers/${customerId}/purchases`)).toContain(field);
  });

  it('refuses a null where a field cannot be cleared, and a bad path parameter', async () => {
    const res = await request(t.http).patch(`/customers/${customerId}/contact-details`).send({ name: null }).expect(400);
    expect(fieldsOf(res.body)).toContain('name');
    expect(fieldsOf((await request(t.http).post('/customers/not-a-uuid/deactivate').expect(400)).body)).toContain('id');
    expect(fieldsOf((await request(t.http).put(`/customers/${customerId}/consents/fax`).send({ granted: true, source: 'x' }).expect(400)).body)).toContain(
      'channel',
    );
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with 400', async () => {
    const res = await request(t.http).post('/customers').set('Content-Type', 'application/json').send('{"name": {"given": "Ada"').expect(400);
    expect(res.body).toMatchObject({ code: 'request.entity.parse.failed' });
  });

  it('answers a 2 MB body with 413', async () => {
    const res = await request(t.http).post('/customers').send(adaBody({ company: long(2 * 1024 * 1024) })).expect(413);
    expect(res.body).toMatchObject({ code: 'request.entity.too.large' });
  });

  it('answers a bad Idempotency-Key, If-Match or X-Actor-Id with 400', async () => {
    await request(t.http).post('/customers').set('Idempotency-Key', 'once').send(adaBody()).expect(400);
    await request(t.http).post(`/customers/${customerId}/tags/gold`).set('If-Match', 'W/"0"').expect(400);
    const res = await request(t.http).post('/customers').set('X-Actor-Id', 'ada@example.com').send(adaBody()).expect(400);
    expect(JSON.stringify(res.body)).not.toContain('ada@example.com');
  });

  it('keeps serving afterwards', async () => {
    await request(t.http).post('/customers').send(adaBody()).expect(201);
    await request(t.http).get('/health/ready').expect(200);
  });
});
