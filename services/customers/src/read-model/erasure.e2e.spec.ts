// Erasure on the read side, over the real stack: afterwards no read-model table, no stored event and no Kafka
// message published after it holds any of the customer's personal values — not even a relay replaying the whole
// store from the start — while the purchase totals stay.
import type { EventStore } from '@crm/event-store';
import { EventRelay } from '@crm/messaging';
import { testInfra, uniqueTopicPrefix, deleteTopicsWithPrefix } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adaBody } from '../infrastructure/__fixtures__/customers-test-app';
import { CUSTOMER_EVENT_STORE, CUSTOMER_STREAM_PREFIX, DataKeyring } from '../infrastructure';
import { customersMapper } from '../integration/customers-relay';
import { CustomerIntegrationFeed } from '../integration/customer-integration-feed';
import { profileRow, readTopic, startReadSideApp, typesOf, waitForMessages, waitForProfile, type ReadSideApp, type TopicMessage } from './__fixtures__/read-side-kit';

let t: ReadSideApp;
let feed: Awaited<ReturnType<typeof readTopic>>;
beforeAll(async () => {
  t = await startReadSideApp('erasure');
  feed = await readTopic(t.topic);
});
afterAll(async () => {
  await feed?.stop();
  await t?.close();
});

const unique = randomUUID().slice(0, 8);
const digits = String(parseInt(unique, 16) % 9_000_000 + 1_000_000);
/** Zelda, registered twice (X and Y) and merged: every value below is personal and must disappear. */
const zelda = {
  name: { given: `Zelda${unique}`, family: 'Quuxworth' },
  emails: [{ address: `zelda.${unique}@erasure.example` }],
  phones: [{ number: `+49 30 ${digits}` }],
  address: { lines: [`7 Obscure Lane ${unique}`], city: `Quuxtown${unique}`, postalCode: `QX${unique.slice(0, 4)}`, country: 'DE' },
  company: `Quuxworth Widgets ${unique}`,
  tags: ['erasure-test'],
};
const yorick = { ...zelda, name: { given: `Yorick${unique}`, family: 'Quuxworth' }, emails: [{ address: `yorick.${unique}@erasure.example` }], phones: [] };
const personalValues = [
  zelda.name.given,
  yorick.name.given,
  'quuxworth',
  zelda.emails[0]!.address,
  yorick.emails[0]!.address,
  `+4930${digits}`,
  `4930${digits}`,
  zelda.address.lines[0]!,
  zelda.address.city,
  zelda.address.postalCode,
  zelda.company,
].map((value) => value.toLowerCase());

/** The personal values found in the text (case-insensitive). */
const leaks = (text: string): string[] => personalValues.filter((value) => text.toLowerCase().includes(value));

/** Every row of every table in these schemas, each column as text. */
async function tableText(schemaPattern: string): Promise<string> {
  const { rows: tables } = await t.db.pool.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname ~ $1`,
    [schemaPattern],
  );
  expect(tables.length).toBeGreaterThan(0);
  const parts: string[] = [];
  for (const { name } of tables) {
    const { rows } = await t.db.pool.query<{ row: string }>(`SELECT r::text AS row FROM ${name} r`);
    parts.push(...rows.map((r) => `${name} ${r.row}`));
  }
  return parts.join('\n');
}

const messageText = (messages: readonly TopicMessage[]): string => messages.map((m) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`).join('\n');

describe('erasure on the read side', () => {
  it('leaves no personal value in the read model, the stored events or later Kafka messages; purchase totals stay', async () => {
    const register = async (profile: Record<string, unknown>) =>
      ((await request(t.http).post('/customers').send(adaBody({ ...profile, allowDuplicate: true })).expect(201)).body as { customerId: string }).customerId;
    const x = await register(zelda);
    const y = await register(yorick);
    await request(t.http).post(`/customers/${x}/purchases`).send({ orderId: 'o-x', amount: { value: '42.00', currency: 'EUR' }, items: [] }).expect(200);
    await request(t.http).post(`/customers/${y}/purchases`).send({ orderId: 'o-y', amount: { value: '8.00', currency: 'EUR' }, items: [] }).expect(200);
    await request(t.http).put(`/customers/${x}/consents/email`).send({ granted: true, source: 'web-form' }).expect(200);
    await request(t.http).post(`/customers/${x}/merge-into/${y}`).send({ fieldChoices: { name: 'merged', emails: 'union', phones: 'union' } }).expect(200);

    // Before: the values are in the read model and on Kafka (as they may be until the erasure).
    const survivor = await waitForProfile(t, y, (p) => p.revision === 2);
    expect(survivor).toMatchObject({ name: { given: zelda.name.given }, purchases: { count: 2, totals: { EUR: '50.00' } } });
    expect(leaks(await tableText('^customers$|^customer_profiles_v\\d+$'))).not.toEqual([]);
    await waitForMessages(feed, x, (m) => typesOf(m).includes('crm.customer.merged.v1'));
    await waitForMessages(feed, y, (m) => typesOf(m).includes('crm.customer.contact-details-updated.v1'));
    expect(leaks(messageText(feed.messages))).not.toEqual([]);
    const publishedBefore = feed.messages.length;

    const erased = await request(t.http).post(`/customers/${x}/erase`).send({ reason: 'data_subject_request' }).expect(200);
    expect(erased.body).toMatchObject({ erasedCustomerIds: [x, y] });

    await waitForMessages(feed, x, (m) => typesOf(m).includes('crm.customer.erased.v1'));
    await waitForMessages(feed, y, (m) => typesOf(m).includes('crm.customer.erased.v1'));
    const erasedY = await waitForProfile(t, y, (p) => p.status === 'erased');
    const erasedX = await waitForProfile(t, x, (p) => p.status === 'erased');

    // The API: no personal data, the non-personal history kept.
    expect(erasedY).toMatchObject({ name: null, primaryEmail: null, emails: null, phones: null, company: null, city: null, purchases: { count: 2, totals: { EUR: '50.00' } } });
    expect(erasedX).toMatchObject({ mergedInto: y, purchases: { count: 1, totals: { EUR: '42.00' } } });
    expect(await profileRow(t, y)).toMatchObject({ purchase_count: 2, purchase_totals: { EUR: '50.00' }, search_text: null });

    // A relay replaying the whole store now, through the decrypting store, publishes nothing personal either.
    const replayPrefix = uniqueTopicPrefix('erasure-replay');
    const replayTopic = `${replayPrefix}crm.customers.v1`;
    const keyring = t.app.get(DataKeyring);
    const replay = new EventRelay({
      name: `replay-${unique}`,
      store: new CustomerIntegrationFeed(t.app.get<EventStore>(CUSTOMER_EVENT_STORE), keyring),
      database: { connectionString: t.db.url },
      bus: { brokers: testInfra().kafkaBrokers, clientId: 'erasure-replay' },
      source: '/crm/customers',
      streamNamePrefixes: [CUSTOMER_STREAM_PREFIX],
      map: customersMapper(replayTopic),
      topics: [{ name: replayTopic, partitions: 1, replicationFactor: 1 }],
    });
    await replay.start(); // creates the topic
    const replayed = await readTopic(replayTopic);
    try {
      const fromX = await waitForMessages(replayed, x, (m) => typesOf(m).includes('crm.customer.erased.v1'));
      const fromY = await waitForMessages(replayed, y, (m) => typesOf(m).includes('crm.customer.erased.v1'));
      expect(typesOf(fromX)).toEqual(['crm.customer.purchase-recorded.v1', 'crm.customer.consent-given.v1', 'crm.customer.merged.v1', 'crm.customer.erased.v1']);
      expect(typesOf(fromY)).toEqual(['crm.customer.purchase-recorded.v1', 'crm.customer.consent-given.v1', 'crm.customer.erased.v1']); // X's consent, taken by the merge
      expect(leaks(messageText(replayed.messages))).toEqual([]);
    } finally {
      await replay.stop();
      await replayed.stop();
      await deleteTopicsWithPrefix(replayPrefix);
    }

    // The scans.
    expect(leaks(await tableText('^customers$|^customers_analytics$|^customer_profiles_v\\d+$|^projections$|^messaging$'))).toEqual([]);
    const { rows } = await t.db.pool.query<{ text: string }>(`SELECT string_agg(stream_id || ' ' || data::text || ' ' || metadata::text, E'\\n') AS text FROM event_store.events`);
    expect(rows[0]!.text).toContain(x);
    expect(leaks(rows[0]!.text)).toEqual([]);
    expect(leaks(messageText(feed.messages.slice(publishedBefore)))).toEqual([]);
    expect(typesOf(feed.messages.slice(publishedBefore)).sort()).toEqual(['crm.customer.erased.v1', 'crm.customer.erased.v1']);
  });
});
