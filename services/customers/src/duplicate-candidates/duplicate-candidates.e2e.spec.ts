// Duplicates over the real stack: the registration check reads the contact index the projection keeps, and
// GET /customers/:id/duplicates finds the fuzzy candidates.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { adaBody, registerCustomer } from '../infrastructure/__fixtures__/customers-test-app';
import { startReadSideApp, waitForProfile, type ReadSideApp } from '../read-model/__fixtures__/read-side-kit';
import type { DuplicateCandidates } from './duplicate-candidates.controller';

let t: ReadSideApp;
beforeAll(async () => {
  t = await startReadSideApp('duplicates');
});
afterAll(() => t?.close());

const candidatesOf = async (customerId: string, query: Record<string, string> = {}): Promise<DuplicateCandidates> =>
  (await request(t.http).get(`/customers/${customerId}/duplicates`).query(query).expect(200)).body as DuplicateCandidates;

describe('duplicates', () => {
  it('given a projected customer, refuses the same email or phone with 409 and its id, unless allowDuplicate', async () => {
    const unique = randomUUID().slice(0, 8);
    const body = adaBody({ emails: [{ address: `Dup.${unique}@Example.com` }], phones: [{ number: `+49 30 ${unique.replace(/\D/g, '').padEnd(7, '7')}` }] });
    const first = (await request(t.http).post('/customers').send(body).expect(201)).body as { customerId: string };
    await waitForProfile(t, first.customerId);

    const sameEmail = await request(t.http).post('/customers').send(adaBody({ emails: [{ address: ` dup.${unique}@example.COM` }] })).expect(409);
    expect(sameEmail.body).toMatchObject({ code: 'CUSTOMER_DUPLICATE', details: { existingCustomerId: first.customerId } });
    const phones = body['phones'] as { number: string }[];
    const samePhone = adaBody({ phones: [{ number: phones[0]!.number.replace('+49 ', '0').replace(/ /g, '') }] });
    await request(t.http).post('/customers').send(samePhone).expect(409);
    const allowed = await request(t.http).post('/customers').send({ ...samePhone, allowDuplicate: true }).expect(201);

    // The one let in is a candidate of the first: same phone, same name and company.
    const second = (allowed.body as { customerId: string }).customerId;
    await waitForProfile(t, second);
    const found = await candidatesOf(first.customerId);
    expect(found.candidates).toEqual([
      expect.objectContaining({ customerId: second, score: 1, reasons: ['similar-name', 'same-company', 'same-city', 'same-email-or-phone'] }),
    ]);
  });

  it('finds people with similar names at the same company or in the same city, scored by Jaro–Winkler', async () => {
    const company = `Engines ${randomUUID().slice(0, 8)}`;
    const city = `Town ${randomUUID().slice(0, 8)}`;
    const subject = (await registerCustomer(t, adaBody({ company, address: { lines: ['1 Road'], city: 'Elsewhere', country: 'GB' } }))).customerId;
    const atCompany = (await registerCustomer(t, adaBody({ name: { given: 'Ada', family: 'Lovelase' }, company }))).customerId;
    const inCity = (await registerCustomer(t, adaBody({ name: { given: 'Ada', family: 'Lovelace King' }, company: 'Other', address: { lines: ['2 Road'], city, country: 'GB' } }))).customerId;
    const sameNameElsewhere = (await registerCustomer(t, adaBody({ company: 'Unrelated', address: { lines: ['3 Road'], city: 'Paris', country: 'FR' } }))).customerId;
    const otherName = (await registerCustomer(t, adaBody({ name: { given: 'Charles', family: 'Babbage' }, company }))).customerId;
    await request(t.http).put(`/customers/${subject}/address`).send({ lines: ['1 Road'], city, country: 'GB' }).expect(200);
    for (const id of [atCompany, inCity, sameNameElsewhere, otherName]) await waitForProfile(t, id);
    await waitForProfile(t, subject, (p) => p.city === city);

    const found = await candidatesOf(subject);
    expect(found.threshold).toBe(0.85);
    const byId = Object.fromEntries(found.candidates.map((c) => [c.customerId, c]));
    expect(Object.keys(byId).sort()).toEqual([atCompany, inCity].sort());
    expect(byId[atCompany]).toMatchObject({ reasons: ['similar-name', 'same-company'], company });
    expect(byId[inCity]).toMatchObject({ reasons: ['similar-name', 'same-city'], city });
    expect(byId[atCompany]!.score).toBeGreaterThan(0.9);
    expect((await candidatesOf(subject, { threshold: '0.99' })).candidates).toEqual([]);

    await request(t.http).get(`/customers/${randomUUID()}/duplicates`).expect(404);
    const bad = await request(t.http).get(`/customers/${subject}/duplicates`).query({ threshold: '2' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('threshold');
  });
});
