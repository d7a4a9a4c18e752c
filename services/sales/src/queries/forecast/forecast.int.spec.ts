// The weighted forecast over real PostgreSQL read models: open opportunities by month of expected close, per
// currency, weighted by their pipeline's current stage probabilities; closed, out-of-range and undated apart.
import { money } from '../../read-model/__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { forecast } from './forecast.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_forecast');
});
afterAll(() => kit?.close());

const total = (currency: string, count: number, amount: string, weighted: string) => ({ currency, count, amount, weighted });

describe('forecast', () => {
  let p1: string;
  let p2: string;

  beforeAll(async () => {
    const w = kit.write;
    const at = '2026-06-01T09:00:00Z';
    p1 = await w.definePipeline('New business', at);
    p2 = await w.definePipeline('Renewals', at);
    const a = await w.open(p1, at, { amount: money('1000.00'), expectedCloseDate: '2026-09-01' });
    await w.opportunity({ type: 'ChangeCloseDate', data: { opportunityId: a, expectedCloseDate: '2026-07-15', at: '2026-06-02T09:00:00Z' } });
    await w.open(p1, at, { amount: money('2000.00'), stageId: 'proposal', expectedCloseDate: '2026-07-31' });
    await w.open(p1, at, { amount: money('500.00', 'USD'), stageId: 'negotiation', expectedCloseDate: '2026-08-01' });
    await w.open(p2, at, { amount: money('4000.00'), stageId: 'proposal', expectedCloseDate: '2026-08-10' });
    await w.open(p1, at, { amount: money('100.00'), stageId: 'proposal' });
    await w.lost(await w.open(p1, at, { amount: money('700.00'), stageId: 'proposal', expectedCloseDate: '2026-07-20' }), '2026-06-03T09:00:00Z');
    await w.open(p1, at, { amount: money('50.00'), expectedCloseDate: '2026-10-01' });
    await w.open(p1, at, { amount: money('60.00'), expectedCloseDate: '2026-06-30' });
    await kit.settled();
  });

  it('sums open opportunities per month and currency with amount × stage probability, listing empty months and undated ones apart', async () => {
    expect(await forecast(kit.db.pool, { from: '2026-07', to: '2026-09' })).toEqual({
      pipelineId: null,
      from: '2026-07',
      to: '2026-09',
      months: [
        { month: '2026-07', totals: [total('EUR', 2, '3000.00', '1100.00')] },
        { month: '2026-08', totals: [total('EUR', 1, '4000.00', '2000.00'), total('USD', 1, '500.00', '400.00')] },
        { month: '2026-09', totals: [] },
      ],
      undated: [total('EUR', 1, '100.00', '50.00')],
    });
  });

  it('narrows to one pipeline, and weighs with the stage probabilities as they are now', async () => {
    await kit.write.pipeline({ type: 'ChangeStageProbability', data: { pipelineId: p1, stageId: 'proposal', winProbability: 0.25, at: '2026-06-10T09:00:00Z' } });
    await kit.settled();
    const result = await forecast(kit.db.pool, { from: '2026-07', to: '2026-08', pipelineId: p1 });
    expect(result.months).toEqual([
      { month: '2026-07', totals: [total('EUR', 2, '3000.00', '600.00')] },
      { month: '2026-08', totals: [total('USD', 1, '500.00', '400.00')] },
    ]);
    expect(result.undated).toEqual([total('EUR', 1, '100.00', '25.00')]);
    // The other pipeline's proposal stage keeps its own probability.
    expect((await forecast(kit.db.pool, { from: '2026-08', to: '2026-08', pipelineId: p2 })).months[0]?.totals).toEqual([total('EUR', 1, '4000.00', '2000.00')]);
  });
});
