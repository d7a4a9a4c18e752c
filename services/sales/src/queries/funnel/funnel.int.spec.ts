// The conversion funnel over real PostgreSQL read models: a cohort of leads by capture time, followed through
// qualification, conversion into an opportunity and a win; rates relative to the step before.
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { funnel, type FunnelStepName } from './funnel.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_funnel');
});
afterAll(() => kit?.close());

const Q3 = { from: '2026-07-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };
const steps = (...counts: [number, number, number, number]) => (rates: [number | null, number | null, number | null]) =>
  (['lead', 'qualified', 'opportunity', 'won'] as FunnelStepName[]).map((step, i) => ({ step, count: counts[i], rate: i === 0 ? null : rates[i - 1] }));

describe('funnel', () => {
  let p1: string;

  beforeAll(async () => {
    const w = kit.write;
    p1 = await w.definePipeline('New business', '2026-06-01T09:00:00Z');
    const p2 = await w.definePipeline('Partners', '2026-06-01T09:00:00Z');
    const qualify = (leadId: string, at: string) => w.lead({ type: 'QualifyLead', data: { leadId, at } });
    await w.captureLead('2026-07-01T09:00:00Z'); // captured only
    await qualify(await w.captureLead('2026-07-02T09:00:00Z'), '2026-07-03T09:00:00Z');
    const disqualified = await w.captureLead('2026-07-03T09:00:00Z');
    await qualify(disqualified, '2026-07-04T09:00:00Z');
    await w.lead({ type: 'DisqualifyLead', data: { leadId: disqualified, reason: 'No budget', at: '2026-07-05T09:00:00Z' } }); // still "ever qualified"
    await w.convertLead(await w.captureLead('2026-07-04T09:00:00Z'), p1, '2026-07-10T09:00:00Z'); // converted without explicit qualification
    const winner = await w.captureLead('2026-07-05T09:00:00Z');
    await qualify(winner, '2026-07-06T09:00:00Z');
    await w.won(await w.convertLead(winner, p1, '2026-07-11T09:00:00Z'), '2026-08-01T09:00:00Z');
    await w.won(await w.convertLead(await w.captureLead('2026-07-06T09:00:00Z'), p2, '2026-07-12T09:00:00Z'), '2026-08-02T09:00:00Z');
    await w.won(await w.convertLead(await w.captureLead('2026-06-30T23:59:59Z'), p1, '2026-07-12T09:00:00Z'), '2026-08-03T09:00:00Z'); // before the period
    await w.lost(await w.convertLead(await w.captureLead('2026-09-30T23:59:59Z'), p1, '2026-10-02T09:00:00Z'), '2026-10-03T09:00:00Z');
    await kit.settled();
  });

  it('counts the cohort captured in the period at each step, with the rate from the step before and overall', async () => {
    const result = await funnel(kit.db.pool, Q3);
    expect(result.steps).toEqual(steps(7, 6, 4, 2)([0.8571, 0.6667, 0.5]));
    expect(result.overallRate).toBe(0.2857);
  });

  it('with a pipeline, counts only its opportunities and wins', async () => {
    const result = await funnel(kit.db.pool, { ...Q3, pipelineId: p1 });
    expect(result.steps).toEqual(steps(7, 6, 3, 1)([0.8571, 0.5, 0.3333]));
    expect(result.overallRate).toBe(0.1429);
  });

  it('gives zeros and no rates for a period without leads', async () => {
    const result = await funnel(kit.db.pool, { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' });
    expect(result.steps).toEqual(steps(0, 0, 0, 0)([null, null, null]));
    expect(result.overallRate).toBeNull();
  });
});
