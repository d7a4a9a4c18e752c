// The board over real PostgreSQL read models: counts and per-currency totals per stage, weighted by the stage
// probability — now, and as of quarter close after later moves, amount changes, a loss and a re-weighting.
import { randomUUID } from 'node:crypto';
import { money, stage } from '../../read-model/__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { pipelineBoard } from './pipeline-board.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_board');
});
afterAll(() => kit?.close());

const QUARTER_CLOSE = '2026-09-30T23:59:59Z';
const eur = (count: number, amount: string, weighted: string) => ({ currency: 'EUR', count, amount, weighted });

describe('pipeline board', () => {
  let pipelineId: string;

  beforeAll(async () => {
    const w = kit.write;
    pipelineId = await w.definePipeline('New business', '2026-07-01T08:00:00Z');
    const o1 = await w.open(pipelineId, '2026-07-02T09:00:00Z', { amount: money('1000.00') });
    const o2 = await w.open(pipelineId, '2026-07-03T09:00:00Z', { amount: money('2000.50'), stageId: 'proposal' });
    const o3 = await w.open(pipelineId, '2026-07-04T09:00:00Z', { amount: money('300', 'USD'), stageId: 'proposal' });
    const o4 = await w.open(pipelineId, '2026-07-05T09:00:00Z', { amount: money('999.99'), stageId: 'negotiation' });
    await w.won(o4, '2026-07-20T09:00:00Z');
    // After quarter close: everything moves.
    await w.move(o1, pipelineId, 'negotiation', '2026-10-05T09:00:00Z');
    await w.opportunity({ type: 'ChangeAmount', data: { opportunityId: o2, amount: money('5000.00'), at: '2026-10-05T10:00:00Z' } });
    await w.lost(o3, '2026-10-05T11:00:00Z');
    await w.pipeline({ type: 'ChangeStageProbability', data: { pipelineId, stageId: 'proposal', winProbability: 0.6, at: '2026-10-06T09:00:00Z' } });
    await w.pipeline({ type: 'AddStage', data: { pipelineId, stage: stage('contract', 0.9), at: '2026-10-07T09:00:00Z' } });
    await w.open(pipelineId, '2026-10-08T09:00:00Z', { amount: money('1000.00'), stageId: 'contract' });
    await kit.settled();
  });

  it('shows each stage with its open opportunities, totals per currency weighted by the current probabilities', async () => {
    const board = await pipelineBoard(kit.db.pool, pipelineId);
    expect(board?.asOf).toBeNull();
    expect(board?.stages).toEqual([
      { stageId: 'qualification', name: 'Qualification', position: 0, winProbability: 0.1, count: 0, totals: [] },
      { stageId: 'proposal', name: 'Proposal', position: 1, winProbability: 0.6, count: 1, totals: [eur(1, '5000.00', '3000.00')] },
      { stageId: 'negotiation', name: 'Negotiation', position: 2, winProbability: 0.8, count: 1, totals: [eur(1, '1000.00', '800.00')] },
      { stageId: 'contract', name: 'Contract', position: 3, winProbability: 0.9, count: 1, totals: [eur(1, '1000.00', '900.00')] },
    ]);
    expect(board?.totals).toEqual([eur(3, '7000.00', '4700.00')]);
  });

  it('as of quarter close, shows the pipeline as it stood then: stages, amounts and probabilities of that time', async () => {
    const board = await pipelineBoard(kit.db.pool, pipelineId, QUARTER_CLOSE);
    expect(board?.asOf).toBe('2026-09-30T23:59:59.000Z');
    expect(board?.stages).toEqual([
      { stageId: 'qualification', name: 'Qualification', position: 0, winProbability: 0.1, count: 1, totals: [eur(1, '1000.00', '100.00')] },
      {
        stageId: 'proposal',
        name: 'Proposal',
        position: 1,
        winProbability: 0.5,
        count: 2,
        totals: [eur(1, '2000.50', '1000.25'), { currency: 'USD', count: 1, amount: '300', weighted: '150' }],
      },
      { stageId: 'negotiation', name: 'Negotiation', position: 2, winProbability: 0.8, count: 0, totals: [] }, // o4 was won in July
    ]);
    expect(board?.totals).toEqual([eur(2, '3000.50', '1100.25'), { currency: 'USD', count: 1, amount: '300', weighted: '150' }]);
  });

  it('as of a time at a change, counts the change (intervals start inclusive); before the pipeline existed, shows no stages', async () => {
    const atMove = await pipelineBoard(kit.db.pool, pipelineId, '2026-10-05T09:00:00Z');
    expect(atMove?.stages.find((s) => s.stageId === 'negotiation')?.totals).toEqual([eur(1, '1000.00', '800.00')]);
    expect((await pipelineBoard(kit.db.pool, pipelineId, '2026-06-30T00:00:00Z'))?.stages).toEqual([]);
  });

  it('answers null for a pipeline the read model does not know', async () => {
    expect(await pipelineBoard(kit.db.pool, randomUUID())).toBeNull();
  });
});
