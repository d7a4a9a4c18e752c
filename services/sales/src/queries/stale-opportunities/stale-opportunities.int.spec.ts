// Stale opportunities over real PostgreSQL read models: open ones idle for more than N days before now — a stage
// move or an activity resets the clock, a reminder firing does not — oldest first, page by page.
import { money } from '../../read-model/__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { decodeCursor } from '../keyset';
import { staleOpportunities, type StaleQuery } from './stale-opportunities.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_stale');
});
afterAll(() => kit?.close());

const NOW = new Date('2026-08-01T12:00:00Z'); // 14 days before: 2026-07-18T12:00:00Z
const stale = (query: Partial<StaleQuery> = {}) => staleOpportunities(kit.db.pool, { days: 14, now: NOW, limit: 20, ...query });
const ids: Record<string, string> = {};
const names = (items: readonly { opportunityId: string }[]) => items.map((item) => Object.keys(ids).find((name) => ids[name] === item.opportunityId));

describe('stale opportunities', () => {
  let p2: string;

  beforeAll(async () => {
    const w = kit.write;
    const p1 = await w.definePipeline('New business', '2026-06-01T09:00:00Z');
    p2 = await w.definePipeline('Renewals', '2026-06-01T09:00:00Z');
    ids['idle'] = await w.open(p1, '2026-07-01T09:00:00Z', { amount: money('1200.00'), expectedCloseDate: '2026-09-30', ownerId: 'ulla' });
    ids['moved'] = await w.open(p1, '2026-07-01T09:00:00Z');
    await w.move(ids['moved'], p1, 'proposal', '2026-07-20T09:00:00Z');
    ids['called'] = await w.open(p1, '2026-07-01T09:00:00Z');
    await w.schedule('2026-07-25T09:00:00Z', { dueAt: '2026-07-26T09:00:00Z', opportunityId: ids['called'] });
    ids['reminded'] = await w.open(p1, '2026-07-01T10:00:00Z');
    const call = await w.schedule('2026-07-02T09:00:00Z', { dueAt: '2026-07-31T09:00:00Z', remindAt: '2026-07-30T09:00:00Z', opportunityId: ids['reminded'] });
    await w.activity({ type: 'FireReminder', data: { activityId: call, remindAt: '2026-07-30T09:00:00Z', at: '2026-07-30T09:00:00Z' } });
    ids['at-cutoff'] = await w.open(p1, '2026-07-18T12:00:00Z');
    ids['before-cutoff'] = await w.open(p1, '2026-07-18T11:59:59Z');
    ids['won'] = await w.open(p1, '2026-06-01T09:00:00Z');
    await w.won(ids['won'], '2026-06-10T09:00:00Z');
    ids['renewal'] = await w.open(p2, '2026-07-05T09:00:00Z', { ownerId: 'bert' });
    await kit.settled();
  });

  it('lists open opportunities with no event and no user activity for more than N days, longest idle first', async () => {
    const page = await stale();
    expect(page.cutoff).toBe('2026-07-18T12:00:00.000Z');
    expect(names(page.items)).toEqual(['idle', 'reminded', 'renewal', 'before-cutoff']);
    expect(page.items[0]).toEqual({
      opportunityId: ids['idle'],
      pipelineId: expect.any(String),
      title: 'Fleet licence',
      stage: { id: 'qualification', name: 'Qualification' },
      amount: { amount: '1200.00', currency: 'EUR' },
      expectedCloseDate: '2026-09-30',
      ownerId: 'ulla',
      customerId: expect.any(String),
      lastActivityAt: '2026-07-01T09:00:00.000Z',
      idleDays: 31,
    });
    expect(page.items[1]?.lastActivityAt).toBe('2026-07-02T09:00:00.000Z'); // the call was scheduled; the reminder does not count
    expect(page.nextCursor).toBeNull();
    expect(names((await stale({ days: 30 })).items)).toEqual(['idle', 'reminded']);
  });

  it('narrows to an owner or a pipeline', async () => {
    expect(names((await stale({ ownerId: 'bert' })).items)).toEqual(['renewal']);
    expect(names((await stale({ pipelineId: p2 })).items)).toEqual(['renewal']);
  });

  it('pages with a cursor after the last row, without repeats or gaps', async () => {
    const first = await stale({ limit: 2 });
    expect(names(first.items)).toEqual(['idle', 'reminded']);
    const after = decodeCursor(first.nextCursor ?? '');
    expect(after).toEqual({ time: expect.stringMatching(/^2026-07-02T09:00:00/), id: ids['reminded'] });
    const second = await stale({ limit: 2, after: after ?? undefined });
    expect(names(second.items)).toEqual(['renewal', 'before-cutoff']);
    expect(second.nextCursor).toBeNull();
  });
});
