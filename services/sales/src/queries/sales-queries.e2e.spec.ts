// The sales queries over HTTP on the real stack: commands go in through the command API, the projections follow,
// and every query route answers from the read models; parameters at fault answer 400 naming them.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { waitFor } from '@crm/testing';
import { captureLead, definePipeline, openOpportunity, scheduleActivity, startSalesApp, type SalesTestApp } from '../infrastructure/__fixtures__/sales-test-app';
import type { Funnel } from './funnel/funnel.query';
import type { PipelineBoard } from './pipeline-board/pipeline-board.query';

let t: SalesTestApp;
let pipelineId: string;
let startedAt: string;
beforeAll(async () => {
  t = await startSalesApp('sales_queries');
  startedAt = new Date(Date.now() - 1000).toISOString();
  pipelineId = (await definePipeline(t)).id;
});
afterAll(() => t?.close());

const get = (path: string, query: Record<string, string | number> = {}) => request(t.http).get(path).query(query);

/** GET until the answer satisfies `until` (the read models follow the commands within milliseconds). */
async function eventually<T>(path: string, query: Record<string, string | number>, until: (body: T) => boolean): Promise<T> {
  return waitFor(
    async () => {
      const res = await get(path, query);
      return res.status === 200 && until(res.body as T) ? (res.body as T) : null;
    },
    { description: `GET ${path} to show the commands`, timeoutMs: 30_000 },
  );
}

describe('sales queries over HTTP', () => {
  it('shows opened opportunities on the board, now and not before they were opened, and in the forecast', async () => {
    const first = await openOpportunity(t, pipelineId);
    await openOpportunity(t, pipelineId);
    await request(t.http).post(`/opportunities/${first.id}/stage`).send({ stageId: 'proposal' }).expect(200);
    const board = await eventually<PipelineBoard>(`/pipelines/${pipelineId}/board`, {}, (b) => b.totals[0]?.count === 2 && b.stages[1]?.count === 1);
    expect(board.stages.map((s) => [s.stageId, s.count])).toEqual([['qualification', 1], ['proposal', 1], ['negotiation', 0]]);
    expect(board.totals).toEqual([{ currency: 'EUR', count: 2, amount: '96000.00', weighted: '28800.00' }]);

    const before = await get(`/pipelines/${pipelineId}/board`, { asOf: startedAt }).expect(200);
    expect((before.body as PipelineBoard).totals).toEqual([]);

    const forecast = await get('/forecast', { pipelineId, from: '2030-08', to: '2030-09' }).expect(200);
    expect(forecast.body).toMatchObject({ months: [{ month: '2030-08', totals: [] }, { month: '2030-09', totals: [{ currency: 'EUR', count: 2, weighted: '28800.00' }] }] });
  });

  it('installs the analysts’ views at start and reports each projection’s lag as a metric', async () => {
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS views FROM pg_views WHERE schemaname = 'sales_analytics'`);
    expect(rows[0]).toEqual({ views: 7 });
    const metrics = (await get('/metrics').expect(200)).text;
    for (const projection of ['sales_pipelines', 'sales_opportunities', 'sales_leads']) {
      expect(metrics).toMatch(new RegExp(`^crm_projection_lag_events\\{[^}]*projection="${projection}"`, 'm'));
    }
  });

  it('answers the funnel, win rates, stale opportunities and due activities', async () => {
    await captureLead(t);
    const { id } = await openOpportunity(t, pipelineId, { ownerId: 'auth0|closer' });
    await request(t.http).post(`/opportunities/${id}/won`).expect(200);
    const period = { from: startedAt, to: new Date(Date.now() + 60_000).toISOString() };
    const funnel = await eventually<Funnel>('/funnel', period, (f) => f.steps[0]?.count === 1);
    expect(funnel.steps.map((s) => s.count)).toEqual([1, 0, 0, 0]);
    const rates = await eventually<{ groups: unknown[] }>('/win-rates', { groupBy: 'owner', ...period }, (r) => r.groups.length === 1);
    expect(rates.groups).toEqual([{ key: 'auth0|closer', won: 1, lost: 0, winRate: 1, averageCycleDays: expect.any(Number) }]);

    const stale = await get('/opportunities/stale', { days: 1 }).expect(200);
    expect(stale.body).toMatchObject({ days: 1, items: [], nextCursor: null });

    const activity = await scheduleActivity(t);
    const due = await eventually<{ items: { activityId: string; overdue: boolean }[] }>(
      '/activities/due',
      { until: new Date(Date.now() + 48 * 3_600_000).toISOString(), ownerId: 'auth0|owner-1' },
      (d) => d.items.length === 1,
    );
    expect(due.items).toEqual([expect.objectContaining({ activityId: activity.id, overdue: false })]);
  });

  it('answers 404 for a pipeline it does not know, and 400 naming each parameter at fault', async () => {
    const missing = await get(`/pipelines/${randomUUID()}/board`).expect(404);
    expect(missing.body).toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
    const fault = async (path: string, query: Record<string, string> = {}): Promise<string[]> => {
      const res = await get(path, query).expect(400);
      return (res.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    };
    expect(await fault('/pipelines/not-a-uuid/board')).toEqual(['id']);
    expect(await fault(`/pipelines/${pipelineId}/board`, { asOf: 'yesterday' })).toEqual(['asOf']);
    expect(await fault('/forecast', { from: '2026-13' })).toEqual(['from']);
    expect(await fault('/forecast', { from: '2026-07', to: '2026-06' })).toEqual(['to']);
    expect(await fault('/forecast', { from: '2026-01', to: '2029-01' })).toEqual(['to']);
    expect(await fault('/funnel')).toEqual(['from', 'to']);
    expect(await fault('/funnel', { from: '2026-07-01', to: '2026-07-01', pipelineId: 'x' })).toEqual(['pipelineId']);
    expect(await fault('/funnel', { from: '2026-07-01', to: '2026-06-01' })).toEqual(['to']);
    expect(await fault('/win-rates', { groupBy: 'team', from: '2026-07-01', to: '2026-08-01' })).toEqual(['groupBy']);
    expect(await fault('/opportunities/stale', { days: '0' })).toEqual(['days']);
    expect(await fault('/opportunities/stale', { limit: '101' })).toEqual(['limit']);
    expect(await fault('/activities/due', { cursor: 'bm90LWEtY3Vyc29y' })).toEqual(['cursor']);
    expect(await fault('/activities/due', { until: '2026-02-30' })).toEqual(['until']);
    expect(await fault('/activities/due', { sort: 'owner' })).toEqual(['sort']);
  });
});
