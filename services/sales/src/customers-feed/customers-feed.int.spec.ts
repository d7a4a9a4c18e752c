// The customers feed on real PostgreSQL (no Kafka): known customers, conversion answers, merges and erasures
// through the follow-ups and the conversion_links projection; every event delivered twice appends nothing more.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@crm/testing';
import { CONVERSION_LINK_VIEWS } from '../conversion/conversion-links.projection';
import { CONVERSION_SAGA_ACTOR } from '../conversion/conversion-commands';
import { claimFollowUps, FOLLOW_UPS_TABLE } from './customer-follow-ups';
import { CustomerFollowUpsWorker } from './customer-follow-ups.worker';
import {
  consumed,
  contact,
  convertLead,
  deliver,
  leadEvents,
  opportunityEvents,
  quietLog,
  startSagaKit,
  customerOfOpportunity,
  waitForOpportunityCustomer,
  type SagaKit,
} from './__fixtures__/saga-kit';

let kit: SagaKit;
let worker: CustomerFollowUpsWorker;

beforeAll(async () => {
  kit = await startSagaKit('sales_feed');
  worker = new CustomerFollowUpsWorker({ pool: kit.db.pool, sales: kit.sales, log: quietLog });
});
afterAll(async () => {
  await kit?.close();
});

const registered = (customerId: string, leadId?: string) =>
  consumed('crm.customer.registered.v1', { customerId, contact: contact(), tags: [], ...(leadId !== undefined && { leadId }) });

async function statusOf(customerId: string): Promise<{ status: string; survivor_id: string | null } | undefined> {
  const { rows } = await kit.db.pool.query<{ status: string; survivor_id: string | null }>(
    'SELECT status, survivor_id FROM sales.known_customers WHERE customer_id = $1',
    [customerId],
  );
  return rows[0];
}

/** Runs the worker until `done` holds (the projection may need a moment to show the latest link). */
async function followUpsUntil(done: () => Promise<boolean>, description: string): Promise<void> {
  await waitFor(
    async () => {
      await worker.runOnce();
      return (await done()) ? true : null;
    },
    { description, timeoutMs: 15_000 },
  );
}

describe('conversion answers', () => {
  it('customer.registered with the lead id links the lead and its opportunity; the same event again appends nothing', async () => {
    const { leadId, opportunityId } = await convertLead(kit);
    const customerId = randomUUID();
    const event = registered(customerId, leadId);

    await expect(deliver(kit, event)).resolves.toBe('linked');

    const lead = await leadEvents(kit, leadId);
    expect(lead.at(-1)).toMatchObject({ type: 'LeadCustomerLinked', data: { leadId, customerId, how: 'registered' } });
    expect(lead.at(-1)?.metadata).toMatchObject({ causationId: event.id, correlationId: event.correlationId, actor: CONVERSION_SAGA_ACTOR });
    const opportunity = await opportunityEvents(kit, opportunityId ?? '');
    expect(opportunity.at(-1)).toMatchObject({ type: 'OpportunityCustomerLinked', data: { opportunityId, customerId, leadId } });
    expect(await statusOf(customerId)).toEqual({ status: 'active', survivor_id: null });

    await expect(deliver(kit, event)).resolves.toBe('linked');
    expect(await leadEvents(kit, leadId)).toHaveLength(lead.length);
    expect(await opportunityEvents(kit, opportunityId ?? '')).toHaveLength(opportunity.length);
  });

  it('customer.lead-linked links to the existing customer; a lead this service never converted gives nothing to link', async () => {
    const customerId = randomUUID();
    await deliver(kit, registered(customerId));
    const { leadId } = await convertLead(kit, { withOpportunity: false });

    await expect(deliver(kit, consumed('crm.customer.lead-linked.v1', { customerId, leadId }))).resolves.toBe('linked');
    expect((await leadEvents(kit, leadId)).at(-1)).toMatchObject({ type: 'LeadCustomerLinked', data: { customerId, how: 'linked-existing' } });

    const stranger = randomUUID();
    await expect(deliver(kit, consumed('crm.customer.lead-linked.v1', { customerId, leadId: stranger }))).resolves.toBe('unknown-lead');
    expect(await leadEvents(kit, stranger)).toEqual([]);
  });

  it('a lead linked to another customer refuses a second answer: counted as refused, nothing appended', async () => {
    const { leadId } = await convertLead(kit, { withOpportunity: false });
    await deliver(kit, registered(randomUUID(), leadId));
    const before = await leadEvents(kit, leadId);

    await expect(deliver(kit, consumed('crm.customer.lead-linked.v1', { customerId: randomUUID(), leadId }))).resolves.toBe('refused');
    expect(await leadEvents(kit, leadId)).toHaveLength(before.length);
  });
});

describe('known customers', () => {
  it('follows deactivation, reactivation, merge and unmerge; an erased customer stays erased', async () => {
    const customerId = randomUUID();
    const survivorId = randomUUID();
    await deliver(kit, registered(customerId));
    await deliver(kit, consumed('crm.customer.deactivated.v1', { customerId }));
    expect(await statusOf(customerId)).toEqual({ status: 'inactive', survivor_id: null });
    await deliver(kit, consumed('crm.customer.reactivated.v1', { customerId }));
    await deliver(kit, consumed('crm.customer.merged.v1', { customerId, survivorId }));
    expect(await statusOf(customerId)).toEqual({ status: 'merged', survivor_id: survivorId });
    await deliver(kit, consumed('crm.customer.unmerged.v1', { customerId, survivorId }));
    expect(await statusOf(customerId)).toEqual({ status: 'active', survivor_id: null });
    const { rows } = await kit.db.pool.query(`SELECT 1 FROM ${FOLLOW_UPS_TABLE} WHERE customer_id = $1 AND kind = 'merge'`, [customerId]);
    expect(rows).toHaveLength(0);

    await deliver(kit, consumed('crm.customer.erased.v1', { customerId }));
    await deliver(kit, consumed('crm.customer.reactivated.v1', { customerId }));
    expect(await statusOf(customerId)).toEqual({ status: 'erased', survivor_id: null });
  });
});

describe('merges', () => {
  it("moves the merged customer's opportunities to the survivor, also one linked after the merge arrived", async () => {
    const merged = randomUUID();
    const survivor = randomUUID();
    const first = await convertLead(kit);
    await deliver(kit, registered(merged, first.leadId));
    await waitForOpportunityCustomer(kit, first.opportunityId ?? '', merged);

    const merge = consumed('crm.customer.merged.v1', { customerId: merged, survivorId: survivor });
    await deliver(kit, merge);
    await followUpsUntil(async () => (await customerOfOpportunity(kit, first.opportunityId ?? '')) === survivor, 'first moved');
    const moved = await opportunityEvents(kit, first.opportunityId ?? '');
    expect(moved.at(-1)).toMatchObject({ type: 'OpportunityCustomerLinked', data: { customerId: survivor, previousCustomerId: merged } });
    expect(moved.at(-1)?.metadata).toMatchObject({ causationId: merge.id });

    // The customers service decided this link before the merge; sales hears of it after.
    const late = await convertLead(kit);
    await deliver(kit, consumed('crm.customer.lead-linked.v1', { customerId: merged, leadId: late.leadId }));
    await followUpsUntil(async () => (await customerOfOpportunity(kit, late.opportunityId ?? '')) === survivor, 'late one moved');

    await deliver(kit, merge);
    await worker.runOnce();
    expect(await opportunityEvents(kit, first.opportunityId ?? '')).toHaveLength(moved.length);
  });
});

describe('erasures', () => {
  it("erases the contact data of the erased customer's leads and destroys their keys, once", async () => {
    const customerId = randomUUID();
    const linked = await convertLead(kit, { withOpportunity: false });
    await deliver(kit, registered(customerId, linked.leadId));
    // Converted to the customer and still waiting for the answer: the same person's data.
    const waiting = await convertLead(kit, { existingCustomerId: customerId, withOpportunity: false });
    await waitFor(
      async () => {
        const { rows } = await kit.db.pool.query(`SELECT 1 FROM ${CONVERSION_LINK_VIEWS.convertedLeads} WHERE customer_id = $1`, [customerId]);
        return rows.length === 1 ? true : null;
      },
      { description: 'the link projected' },
    );

    const erased = consumed('crm.customer.erased.v1', { customerId });
    await deliver(kit, erased);
    for (const { leadId } of [linked, waiting]) {
      await followUpsUntil(async () => (await leadEvents(kit, leadId)).at(-1)?.type === 'LeadContactErased', `lead ${leadId} erased`);
      expect(await kit.keyring.isDestroyed(leadId)).toBe(true);
      const events = await leadEvents(kit, leadId);
      expect(events.at(-1)?.data).toMatchObject({ reason: 'customer_erased' });
      expect(events.find((e) => e.type === 'LeadCaptured')?.data).not.toHaveProperty('contact');
    }

    const count = (await leadEvents(kit, linked.leadId)).length;
    await deliver(kit, erased);
    await worker.runOnce();
    expect(await leadEvents(kit, linked.leadId)).toHaveLength(count);
  });
});

describe('the follow-up worker', () => {
  it('leaves a follow-up another replica holds until its lease runs out (a crash mid-pass), then does it', async () => {
    const customerId = randomUUID();
    const survivorId = randomUUID();
    const { leadId, opportunityId } = await convertLead(kit);
    await deliver(kit, registered(customerId, leadId));
    await waitForOpportunityCustomer(kit, opportunityId ?? '', customerId);
    await deliver(kit, consumed('crm.customer.merged.v1', { customerId, survivorId }));

    const held = (await claimFollowUps(kit.db.pool, 100, 2_000)).find((f) => f.customerId === customerId); // the replica that then crashes
    expect(held).toMatchObject({ customerId, kind: 'merge', survivorId });
    await worker.runOnce();
    expect(await customerOfOpportunity(kit, opportunityId ?? '')).toBe(customerId);
    await followUpsUntil(async () => (await customerOfOpportunity(kit, opportunityId ?? '')) === survivorId, 'moved after the lease');
  });

  it('moves nothing once the merge was undone before the worker came to it', async () => {
    const customerId = randomUUID();
    const { leadId, opportunityId } = await convertLead(kit);
    await deliver(kit, registered(customerId, leadId));
    await waitForOpportunityCustomer(kit, opportunityId ?? '', customerId);
    await deliver(kit, consumed('crm.customer.merged.v1', { customerId, survivorId: randomUUID() }));
    await deliver(kit, consumed('crm.customer.unmerged.v1', { customerId, survivorId: randomUUID() }));

    await worker.runOnce();
    expect(await customerOfOpportunity(kit, opportunityId ?? '')).toBe(customerId);
  });

  it('keeps a failed follow-up with its error and tries it again later', async () => {
    const customerId = randomUUID();
    const { leadId, opportunityId } = await convertLead(kit);
    await deliver(kit, registered(customerId, leadId));
    await waitForOpportunityCustomer(kit, opportunityId ?? '', customerId);
    const failing = Object.create(kit.sales) as typeof kit.sales;
    failing.opportunity = () => Promise.reject(new Error('event store unreachable'));
    const flaky = new CustomerFollowUpsWorker({ pool: kit.db.pool, sales: failing, log: quietLog });

    await deliver(kit, consumed('crm.customer.merged.v1', { customerId, survivorId: randomUUID() }));
    await waitFor(async () => ((await flaky.runOnce()) > 0 ? true : null), { description: 'the follow-up claimed' });

    const { rows } = await kit.db.pool.query<{ last_error: string; later: boolean }>(
      `SELECT last_error, due_at > now() AS later FROM ${FOLLOW_UPS_TABLE} WHERE customer_id = $1 AND kind = 'merge'`,
      [customerId],
    );
    expect(rows[0]).toEqual({ last_error: 'event store unreachable', later: true });
    expect(await customerOfOpportunity(kit, opportunityId ?? '')).toBe(customerId);
  });
});
