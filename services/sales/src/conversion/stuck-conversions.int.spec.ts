// The stuck-conversions query over the conversion_links projection on real PostgreSQL: a conversion without an
// answer shows after the bound, a retry restarts the clock, the customers service's answer takes it off the list.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@crm/testing';
import { consumed, contact, convertLead, deliver, envelope, startSagaKit, type SagaKit } from '../customers-feed/__fixtures__/saga-kit';
import { CONVERSION_LINK_VIEWS } from './conversion-links.projection';
import { stuckConversions } from './stuck-conversions.query';

let kit: SagaKit;

beforeAll(async () => {
  kit = await startSagaKit('sales_stuck');
});
afterAll(async () => {
  await kit?.close();
});

async function projected(leadId: string, until: (row: { attempts: number; linked_at: Date | null }) => boolean = () => true): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await kit.db.pool.query<{ attempts: number; linked_at: Date | null }>(
        `SELECT attempts, linked_at FROM ${CONVERSION_LINK_VIEWS.convertedLeads} WHERE lead_id = $1`,
        [leadId],
      );
      return rows[0] !== undefined && until(rows[0]) ? true : null;
    },
    { description: `lead ${leadId} in converted_leads` },
  );
}

const stuckIds = async (olderThanMs: number, now = new Date()) =>
  (await stuckConversions(kit.db.pool, { olderThanMs, limit: 100, now })).items.map((item) => item.leadId);

it('lists a conversion without an answer once it has waited longer than the bound, oldest first', async () => {
  const first = await convertLead(kit);
  const second = await convertLead(kit, { existingCustomerId: randomUUID(), withOpportunity: false });
  await projected(first.leadId);
  await projected(second.leadId);

  expect(await stuckIds(60 * 60_000)).not.toContain(first.leadId);
  const inAnHour = new Date(Date.now() + 60 * 60_000 + 1_000);
  const ids = await stuckIds(60 * 60_000, inAnHour);
  expect(ids.indexOf(first.leadId)).toBeGreaterThanOrEqual(0);
  expect(ids.indexOf(first.leadId)).toBeLessThan(ids.indexOf(second.leadId));

  const page = await stuckConversions(kit.db.pool, { olderThanMs: 0, limit: 100, now: inAnHour });
  expect(page.items.find((item) => item.leadId === first.leadId)).toMatchObject({
    opportunityId: first.opportunityId,
    target: 'new-customer',
    requestedCustomerId: null,
    attempts: 1,
  });
  expect(page.items.find((item) => item.leadId === second.leadId)).toMatchObject({ target: 'existing-customer', opportunityId: null });
});

it('pages with nextAfter', async () => {
  await convertLead(kit);
  const last = await convertLead(kit);
  await projected(last.leadId);
  const later = new Date(Date.now() + 1_000);
  const all = await stuckIds(0, later);
  const firstPage = await stuckConversions(kit.db.pool, { olderThanMs: 0, limit: 1, now: later });
  expect(firstPage.items.map((i) => i.leadId)).toEqual(all.slice(0, 1));
  const secondPage = await stuckConversions(kit.db.pool, { olderThanMs: 0, limit: 1, now: later, after: firstPage.nextAfter ?? undefined });
  expect(secondPage.items.map((i) => i.leadId)).toEqual(all.slice(1, 2));
});

it('counts the bound from the latest retry, and drops the conversion once its customer is linked', async () => {
  const { leadId } = await convertLead(kit);
  await projected(leadId);
  const retriedAt = new Date(Date.now() + 10 * 60_000).toISOString();
  await kit.sales.lead({ type: 'RetryConversion', data: { leadId, at: retriedAt } }, envelope());
  await projected(leadId, (row) => row.attempts === 2);

  expect(await stuckIds(5 * 60_000, new Date(Date.now() + 6 * 60_000))).not.toContain(leadId);
  const afterRetry = (await stuckConversions(kit.db.pool, { olderThanMs: 5 * 60_000, limit: 100, now: new Date(Date.now() + 16 * 60_000) })).items;
  expect(afterRetry.find((item) => item.leadId === leadId)).toMatchObject({ attempts: 2, lastAttemptAt: retriedAt });

  await deliver(kit, consumed('crm.customer.registered.v1', { customerId: randomUUID(), contact: contact(), tags: [], leadId }));
  await projected(leadId, (row) => row.linked_at !== null);
  expect(await stuckIds(0, new Date(Date.now() + 60 * 60_000))).not.toContain(leadId);
});
