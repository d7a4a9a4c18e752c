// Win rates and cycle lengths over real PostgreSQL read models: opportunities closed in the period, by owner and
// by pipeline; a reopened deal counts once, as it ended.
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { winRates } from './win-rates.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_win_rates');
});
afterAll(() => kit?.close());

const Q3 = { from: '2026-07-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };

describe('win rates', () => {
  let p1: string;
  let p2: string;

  beforeAll(async () => {
    const w = kit.write;
    p1 = await w.definePipeline('New business', '2026-05-01T09:00:00Z');
    p2 = await w.definePipeline('Renewals', '2026-05-01T09:00:00Z');
    const ulla = { ownerId: 'ulla' };
    await w.won(await w.open(p1, '2026-07-01T09:00:00Z', ulla), '2026-07-11T09:00:00Z'); // 10 days
    await w.won(await w.open(p1, '2026-07-01T09:00:00Z', ulla), '2026-07-06T21:00:00Z'); // 5.5 days
    await w.lost(await w.open(p1, '2026-07-02T09:00:00Z', ulla), '2026-07-20T09:00:00Z');
    const reopened = await w.open(p1, '2026-07-01T09:00:00Z', ulla);
    await w.lost(reopened, '2026-07-05T09:00:00Z');
    await w.opportunity({ type: 'Reopen', data: { opportunityId: reopened, pipeline: await w.definitionOf(p1), at: '2026-07-06T09:00:00Z' } });
    await w.won(reopened, '2026-07-21T09:00:00Z'); // 20 days from its first opening
    await w.lost(await w.open(p2, '2026-07-01T09:00:00Z', { ownerId: 'bert' }), '2026-07-03T09:00:00Z');
    await w.won(await w.open(p2, '2026-06-01T09:00:00Z'), '2026-07-01T09:00:00Z'); // unassigned, 30 days
    await w.won(await w.open(p1, '2026-06-01T09:00:00Z', ulla), '2026-06-20T09:00:00Z'); // closed before the period
    await w.open(p1, '2026-07-01T09:00:00Z', ulla); // still open
    await kit.settled();
  });

  it('by owner: won, lost, won / closed, and the average days from opening to winning', async () => {
    expect((await winRates(kit.db.pool, { groupBy: 'owner', ...Q3 })).groups).toEqual([
      { key: 'bert', won: 0, lost: 1, winRate: 0, averageCycleDays: null },
      { key: 'ulla', won: 3, lost: 1, winRate: 0.75, averageCycleDays: 11.83 },
      { key: null, won: 1, lost: 0, winRate: 1, averageCycleDays: 30 },
    ]);
  });

  it('by pipeline, with its name; and by owner within one pipeline', async () => {
    const byPipeline = (await winRates(kit.db.pool, { groupBy: 'pipeline', ...Q3 })).groups;
    expect([...byPipeline].sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { key: p1, name: 'New business', won: 3, lost: 1, winRate: 0.75, averageCycleDays: 11.83 },
      { key: p2, name: 'Renewals', won: 1, lost: 1, winRate: 0.5, averageCycleDays: 30 },
    ]);
    expect((await winRates(kit.db.pool, { groupBy: 'owner', ...Q3, pipelineId: p2 })).groups).toEqual([
      { key: 'bert', won: 0, lost: 1, winRate: 0, averageCycleDays: null },
      { key: null, won: 1, lost: 0, winRate: 1, averageCycleDays: 30 },
    ]);
  });
});
