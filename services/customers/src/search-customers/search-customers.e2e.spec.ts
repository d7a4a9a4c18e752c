// GET /customers over the real stack: filters, keyset pagination without duplicates or gaps, validated params.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { adaBody, registerCustomer } from '../infrastructure/__fixtures__/customers-test-app';
import { startReadSideApp, waitForProfile, type ReadSideApp } from '../read-model/__fixtures__/read-side-kit';
import type { CustomerProfileView } from '../read-model/customer-profile.view';
import type { CustomerPage } from './search-customers.controller';

let t: ReadSideApp;
beforeAll(async () => {
  t = await startReadSideApp('search');
});
afterAll(() => t?.close());

const search = async (query: Record<string, string | string[] | number>): Promise<CustomerPage> =>
  (await request(t.http).get('/customers').query(query).expect(200)).body as CustomerPage;

const idsOf = (page: CustomerPage): string[] => page.items.map((item) => item.customerId);

/** Every page of a search, following nextCursor; `between` runs after each page. */
async function allPages(query: Record<string, string | string[] | number>, between: () => Promise<void> = async () => undefined): Promise<CustomerProfileView[]> {
  const items: CustomerProfileView[] = [];
  let cursor: string | null = null;
  do {
    const page: CustomerPage = await search(cursor ? { ...query, cursor } : query);
    items.push(...page.items);
    cursor = page.nextCursor;
    await between();
  } while (cursor !== null);
  return items;
}

async function registerTagged(tag: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 5) {
    const batch = await Promise.all(Array.from({ length: Math.min(5, count - i) }, () => registerCustomer(t, adaBody({ tags: [tag] }))));
    ids.push(...batch.map((r) => r.customerId));
  }
  await Promise.all(ids.map((id) => waitForProfile(t, id)));
  return ids;
}

describe('GET /customers', () => {
  it('pages through every match once, in (createdAt, id) order, while customers are registered between pages', async () => {
    const tag = `page-${randomUUID().slice(0, 8)}`;
    const ids = await registerTagged(tag, 23);
    const late: string[] = [];
    const items = await allPages({ tag, limit: 5 }, async () => {
      if (late.length < 2) late.push(...(await registerTagged(tag, 1)));
    });
    const seen = items.map((item) => item.customerId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
    const sorted = [...items].sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.customerId.localeCompare(y.customerId));
    expect(seen).toEqual(sorted.map((item) => item.customerId));
    // Registered after the first page, so after every row already seen: they come on later pages, never twice.
    expect(seen).toEqual(expect.arrayContaining(late));
  });

  it('finds by text in name, email, phone (any format) and company, with tags, consent, status and time ranges', async () => {
    const tag = `filter-${randomUUID().slice(0, 8)}`;
    const grace = (await registerCustomer(t, adaBody({ name: { given: 'Grace', family: 'Hopper' }, emails: [{ address: `grace.${tag}@navy.example` }], phones: [{ number: '+1 202 555 0147' }], company: 'Eckert-Mauchly', tags: [tag, 'cobol'] }))).customerId;
    const ada = (await registerCustomer(t, adaBody({ tags: [tag] }))).customerId;
    await request(t.http).put(`/customers/${grace}/consents/email`).send({ granted: true, source: 'web-form' }).expect(200);
    await request(t.http).put(`/customers/${ada}/consents/email`).send({ granted: false, source: 'web-form' }).expect(200);
    await request(t.http).post(`/customers/${grace}/purchases`).send({ orderId: 'o-1', amount: { value: '10', currency: 'USD' }, items: [], purchasedAt: '2024-06-01T10:00:00Z' }).expect(200);
    await request(t.http).post(`/customers/${ada}/deactivate`).send({}).expect(200);
    await waitForProfile(t, grace, (p) => p.revision === 2);
    await waitForProfile(t, ada, (p) => p.revision === 2);

    expect(idsOf(await search({ tag, q: 'HOPPER' }))).toEqual([grace]);
    expect(idsOf(await search({ tag, q: `grace.${tag}` }))).toEqual([grace]);
    expect(idsOf(await search({ tag, q: '(202) 555-0147' }))).toEqual([grace]);
    expect(idsOf(await search({ tag, q: 'eckert' }))).toEqual([grace]);
    expect(idsOf(await search({ tag, q: '50%' }))).toEqual([]); // LIKE wildcards are literal
    expect(idsOf(await search({ tag: [tag, 'cobol'] }))).toEqual([grace]);
    expect(idsOf(await search({ tag, consent: 'email' }))).toEqual([grace]);
    expect(new Set(idsOf(await search({ tag })))).toEqual(new Set([grace, ada])); // by default active and inactive
    expect(idsOf(await search({ tag, status: 'inactive' }))).toEqual([ada]);
    expect(new Set(idsOf(await search({ tag, status: ['active', 'erased'] })))).toEqual(new Set([grace]));
    expect(idsOf(await search({ tag, lastPurchaseFrom: '2024-06-01', lastPurchaseTo: '2024-06-02T00:00:00Z' }))).toEqual([grace]);
    expect(idsOf(await search({ tag, lastPurchaseTo: '2024-06-01' }))).toEqual([]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect(idsOf(await search({ tag, status: 'active', createdFrom: '2020-01-01', createdTo: tomorrow }))).toEqual([grace]);
    expect(idsOf(await search({ tag, createdFrom: tomorrow }))).toEqual([]);
  });

  it('answers 400 naming the parameter at fault', async () => {
    const fault = async (query: Record<string, string>): Promise<string[]> => {
      const res = await request(t.http).get('/customers').query(query).expect(400);
      return (res.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    };
    expect(await fault({ limit: '101' })).toEqual(['limit']);
    expect(await fault({ limit: 'ten' })).toEqual(['limit']);
    expect(await fault({ consent: 'fax' })).toEqual(['consent']);
    expect(await fault({ status: 'deleted' })).toEqual(['status']);
    expect(await fault({ createdFrom: 'yesterday' })).toEqual(['createdFrom']);
    expect(await fault({ lastPurchaseTo: '2024-13-01T00:00:00' })).toEqual(['lastPurchaseTo']);
    expect(await fault({ tag: 'no spaces' })).toEqual(['tag']);
    expect(await fault({ cursor: 'bm90LWEtY3Vyc29y' })).toEqual(['cursor']);
    expect(await fault({ sort: 'name' })).toEqual(['sort']);
  });
});
