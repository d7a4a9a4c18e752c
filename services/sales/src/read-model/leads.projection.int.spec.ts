// sales_leads on the real event store and PostgreSQL: lead events in, funnel dates out, never a personal value;
// a rebuild gives the same rows; redelivered events change nothing.
import { randomUUID } from 'node:crypto';
import { salesLeadsProjection } from './leads.projection';
import { startReadModelKit, type ReadModelKit } from './__fixtures__/read-model-kit';

let kit: ReadModelKit;
const projection = salesLeadsProjection();
beforeAll(async () => {
  kit = await startReadModelKit('sales_leads', [projection]);
});
afterAll(() => kit?.close());

const at = (day: number, hour = 9): string => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const date = (day: number, hour = 9): Date => new Date(at(day, hour));

const leadRow = async (leadId: string) => (await kit.db.pool.query('SELECT * FROM sales.leads WHERE lead_id = $1', [leadId])).rows[0] as Record<string, unknown>;

describe('sales_leads projection', () => {
  it('given a lead qualified, disqualified and qualified again, then it keeps its first qualification and last disqualification', async () => {
    const leadId = await kit.write.captureLead(at(1), { ownerId: 'ulla', source: 'fair-2026' });
    await kit.write.lead({ type: 'QualifyLead', data: { leadId, at: at(2) } });
    await kit.write.lead({ type: 'DisqualifyLead', data: { leadId, reason: 'No budget at Cobol Corp this year', at: at(3) } });
    await kit.write.lead({ type: 'QualifyLead', data: { leadId, at: at(4) } });
    await kit.settled();
    expect(await leadRow(leadId)).toEqual(
      expect.objectContaining({
        source: 'fair-2026',
        owner_id: 'ulla',
        status: 'qualified',
        captured_at: date(1),
        qualified_at: date(2),
        disqualified_at: date(3),
        converted_at: null,
        updated_at: date(4),
        revision: '3',
      }),
    );
  });

  it('given a lead converted and linked to the customer the customers service named, then the row has the opportunity and the customer', async () => {
    const pipelineId = await kit.write.definePipeline('New business', at(1));
    const leadId = await kit.write.captureLead(at(1));
    const customerId = randomUUID();
    const opportunityId = await kit.write.convertLead(leadId, pipelineId, at(5), { customerId });
    await kit.settled();
    expect(await leadRow(leadId)).toEqual(
      expect.objectContaining({
        status: 'customer-linked',
        qualified_at: null,
        converted_at: date(5),
        conversion_target: 'new-customer',
        opportunity_id: opportunityId,
        customer_id: customerId,
        linked_at: date(5),
      }),
    );
  });

  it('holds no personal value of any lead, in any column or in the stored state', async () => {
    const erased = await kit.write.captureLead(at(2));
    await kit.write.lead({ type: 'EraseLeadContact', data: { leadId: erased, reason: 'data_subject_request', at: at(6) } });
    await kit.settled();
    expect(await leadRow(erased)).toEqual(expect.objectContaining({ status: 'captured', erased_at: date(6) }));
    const text = JSON.stringify(await kit.rows('leads', 'lead_id'));
    for (const personal of ['Grace', 'grace@example.com', 'Cobol', 'electric vans', 'No budget']) expect({ personal, found: text.includes(personal) }).toEqual({ personal, found: false });
  });

  it('gives the same rows when events are delivered again, and when rebuilt from the events', async () => {
    const before = await kit.rows('leads', 'lead_id');
    expect(before).toHaveLength(3);
    expect(await kit.redeliver(projection)).toBe(9);
    expect(await kit.rows('leads', 'lead_id')).toEqual(before);
    await kit.runners[0]!.rebuild();
    expect(await kit.rows('leads', 'lead_id')).toEqual(before);
  });
});
