// The set-based form must leave exactly the rows the handlers leave one event at a time: given two customers'
// interleaved histories (merge, unmerge, erasure included), when projected as one batch and event by event into
// two copies of the table, then the rows are equal; the same for the compacted contact index.
import { fold } from '@crm/event-store';
import { applyEvent, applyEvents, type ProjectionEvent } from '@crm/projections';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { A, adaProfile, after, augustaProfile, B, eur, purchased, registered, t } from '../domain/__fixtures__/customer.fixtures';
import { customerDecider } from '../domain/customer.decider';
import type { CustomerEvent } from '../domain';
import { MasterKey } from '../infrastructure/crypto/master-key';
import { applyContactIndexChanges, contactIndexChanges, contactIndexDdl, customerStream, masterKeyContactHasher } from '../infrastructure';
import { ContactIndexBatch } from './contact-index.batch';
import { customerProfilesProjection } from './customer-profiles.projection';
import { customerProfilesDdl } from './customer-profiles.schema';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('profiles-batch');
});
afterAll(() => db?.drop());

const hasher = masterKeyContactHasher(MasterKey.fromBase64(randomBytes(32).toString('base64')));

/** A's and B's streams: B absorbs A, the merge is undone, it happens again, and then A is erased (B with it). */
function histories(): { a: CustomerEvent[]; b: CustomerEvent[] } {
  let a: CustomerEvent[] = [registered(A, augustaProfile, t(1)), purchased(A, 'order-a', eur('500'), 2)];
  let b: CustomerEvent[] = [registered(B, adaProfile, t(0)), { type: 'ConsentGiven', data: { customerId: B, channel: 'sms', source: 'web', at: t(3) } }];
  const mergeOnce = (at: number) => {
    a = after(a, { type: 'MarkMergedInto', data: { customerId: A, survivorId: B, at: t(at) } });
    const merged = fold(customerDecider, a);
    if (merged.status !== 'merged') throw new Error('A is not merged');
    const { profile, consents, purchases } = merged.beforeMerge;
    b = after(b, { type: 'AbsorbMerge', data: { customerId: B, merged: { customerId: A, profile, consents, orders: purchases.orders }, fieldChoices: { name: 'merged' }, at: t(at + 1) } });
  };
  mergeOnce(10);
  b = after(b, { type: 'RevertMerge', data: { customerId: B, mergedId: A, at: t(20) } });
  a = after(a, { type: 'Unmerge', data: { customerId: A, at: t(21) } });
  a = after(a, { type: 'UpdateContactDetails', data: { customerId: A, emails: [{ address: 'ada.king@example.org', primary: true }], at: t(22) } });
  mergeOnce(30);
  a = after(a, { type: 'EraseCustomer', data: { customerId: A, reason: 'data_subject_request', at: t(40) } });
  b = after(b, { type: 'EraseCustomer', data: { customerId: B, reason: 'data_subject_request', at: t(41) } });
  return { a, b };
}

function recorded(events: readonly CustomerEvent[]): ProjectionEvent[] {
  return events.map((event, revision) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    streamId: customerStream(event.data.customerId),
    revision: BigInt(revision),
    created: new Date(Date.UTC(2025, 0, 1, 10, revision)),
  }));
}

/** The pool as the client of a transaction: autocommit is enough for comparing rows. */
const tx = (): ClientBase => db.pool as unknown as ClientBase;

async function rows(sql: string): Promise<unknown[]> {
  return (await db.pool.query(sql)).rows;
}

describe('customer_profiles projection', () => {
  it('given interleaved histories, leaves the same rows as one batch and as single events', async () => {
    const { a, b } = histories();
    const [ra, rb] = [recorded(a), recorded(b)];
    const interleaved: ProjectionEvent[] = [];
    for (let i = 0; i < Math.max(ra.length, rb.length); i += 1) interleaved.push(...(ra[i] ? [ra[i]!] : []), ...(rb[i] ? [rb[i]!] : []));
    const projection = customerProfilesProjection({ hasher });
    await db.pool.query('CREATE SCHEMA batch; CREATE SCHEMA single; CREATE SCHEMA stepwise');
    for (const schema of ['batch', 'single', 'stepwise']) for (const sql of customerProfilesDdl(`${schema}.customer_profiles`)) await db.pool.query(sql);

    await applyEvents(tx(), projection, { customer_profiles: 'batch.customer_profiles' }, interleaved);
    for (const event of interleaved) await applyEvent(tx(), projection, { customer_profiles: 'single.customer_profiles' }, event);
    // Replays are harmless: every batch of three applied twice.
    for (let i = 0; i < interleaved.length; i += 3) {
      const slice = interleaved.slice(i, i + 3);
      await applyEvents(tx(), projection, { customer_profiles: 'stepwise.customer_profiles' }, slice);
      await applyEvents(tx(), projection, { customer_profiles: 'stepwise.customer_profiles' }, slice);
    }

    const batch = await rows('SELECT * FROM batch.customer_profiles ORDER BY customer_id');
    expect(batch).toHaveLength(2);
    expect(await rows('SELECT * FROM single.customer_profiles ORDER BY customer_id')).toEqual(batch);
    expect(await rows('SELECT * FROM stepwise.customer_profiles ORDER BY customer_id')).toEqual(batch);
    expect(batch).toEqual([
      expect.objectContaining({ customer_id: A, status: 'erased', given_name: null, purchase_count: 1, merged_into: B, revision: String(a.length - 1) }),
      expect.objectContaining({ customer_id: B, status: 'erased', emails: null, purchase_count: 1, purchase_totals: { EUR: '5.00' } }), // A's order
    ]);
  });

  it('given the same changes, the compacted contact index equals the one applied change by change', async () => {
    const { a, b } = histories();
    const upToUnmerge = [...a.slice(0, a.findIndex((e) => e.type === 'CustomerErased')), ...b.slice(0, 4)];
    await db.pool.query(contactIndexDdl('batch.contact_index'));
    await db.pool.query(contactIndexDdl('single.contact_index'));
    for (const history of [upToUnmerge, [...a, ...b]]) {
      const batch = new ContactIndexBatch();
      for (const event of history) {
        batch.add(contactIndexChanges(event));
        await applyContactIndexChanges(db.pool, contactIndexChanges(event), hasher, 'single.contact_index');
      }
      await batch.write(db.pool, hasher, 'batch.contact_index');
      const index = (schema: string) => rows(`SELECT customer_id, kind, encode(value_hmac, 'hex') AS h FROM ${schema}.contact_index ORDER BY 1, 2, 3`);
      expect(await index('batch')).toEqual(await index('single'));
    }
    expect(await rows('SELECT * FROM batch.contact_index')).toEqual([]); // both erased
  });

  it('given rows already indexed, a batch that keeps some values leaves their rows untouched and replaces the rest', async () => {
    await db.pool.query(`CREATE SCHEMA kept; ${contactIndexDdl('kept.contact_index')}`);
    const first = new ContactIndexBatch();
    first.add([{ op: 'replace', customerId: A, kind: 'email', values: ['x@example.org', 'y@example.org'] }]);
    first.add([{ op: 'replace', customerId: B, kind: 'phone', values: ['+4930111'] }]);
    await first.write(db.pool, hasher, 'kept.contact_index');
    const versions = async () =>
      new Map((await db.pool.query<{ h: string; v: string }>(`SELECT encode(value_hmac, 'hex') AS h, xmin::text AS v FROM kept.contact_index`)).rows.map((r) => [r.h, r.v]));
    const before = await versions();

    const second = new ContactIndexBatch();
    second.add([{ op: 'remove', customerId: A }]); // merged away, then unmerged with other emails, in one batch
    second.add([{ op: 'replace', customerId: A, kind: 'email', values: ['y@example.org', 'z@example.org'] }]);
    second.add([{ op: 'remove', customerId: B }]);
    await second.write(db.pool, hasher, 'kept.contact_index');

    const after = await versions();
    const [y, z] = [hasher.hash('email', 'y@example.org'), hasher.hash('email', 'z@example.org')].map((b) => b.toString('hex'));
    expect([...after.keys()].sort()).toEqual([y, z].sort());
    expect(after.get(y as string)).toBe(before.get(y as string)); // kept: the same row version, not deleted and inserted again
  });
});
