// Due and overdue activities over real PostgreSQL read models: open ones due by `until`, overdue when due before
// now, completed and cancelled ones left out, a reschedule followed, page by page.
import { startReadModelKit, type ReadModelKit } from '../../read-model/__fixtures__/read-model-kit';
import { decodeCursor } from '../keyset';
import { dueActivities, type DueQuery } from './due-activities.query';

let kit: ReadModelKit;
beforeAll(async () => {
  kit = await startReadModelKit('sales_due');
});
afterAll(() => kit?.close());

const NOW = new Date('2026-08-01T12:00:00Z');
const UNTIL = new Date('2026-08-02T12:00:00Z');
const due = (query: Partial<DueQuery> = {}) => dueActivities(kit.db.pool, { now: NOW, until: UNTIL, limit: 20, ...query });
const ids: Record<string, string> = {};
const names = (items: readonly { activityId: string }[]) => items.map((item) => Object.keys(ids).find((name) => ids[name] === item.activityId));

describe('due activities', () => {
  beforeAll(async () => {
    const w = kit.write;
    const at = '2026-07-01T09:00:00Z';
    ids['overdue-days'] = await w.schedule(at, { dueAt: '2026-07-30T09:00:00Z', ownerId: 'ulla' });
    ids['overdue-minute'] = await w.schedule(at, { dueAt: '2026-08-01T11:59:00Z', ownerId: 'bert' });
    ids['due-now'] = await w.schedule(at, { dueAt: '2026-08-01T12:00:00Z', ownerId: 'ulla' });
    ids['due-tomorrow'] = await w.schedule(at, { dueAt: '2026-08-02T10:00:00Z', remindAt: '2026-08-02T09:00:00Z', ownerId: 'ulla' });
    ids['later'] = await w.schedule(at, { dueAt: '2026-08-05T09:00:00Z', ownerId: 'ulla' });
    ids['done'] = await w.schedule(at, { dueAt: '2026-07-29T09:00:00Z', ownerId: 'ulla' });
    await w.activity({ type: 'CompleteActivity', data: { activityId: ids['done'], at: '2026-07-29T10:00:00Z' } });
    ids['cancelled'] = await w.schedule(at, { dueAt: '2026-07-28T09:00:00Z', ownerId: 'ulla' });
    await w.activity({ type: 'CancelActivity', data: { activityId: ids['cancelled'], at: '2026-07-27T10:00:00Z' } });
    ids['moved-earlier'] = await w.schedule(at, { dueAt: '2026-08-10T09:00:00Z', ownerId: 'bert' });
    await w.activity({ type: 'RescheduleActivity', data: { activityId: ids['moved-earlier'], dueAt: '2026-07-31T09:00:00Z', at: '2026-07-20T09:00:00Z' } });
    await kit.settled();
  });

  it('lists open activities due by `until`, soonest first, overdue when due before now', async () => {
    const page = await due();
    expect(names(page.items)).toEqual(['overdue-days', 'moved-earlier', 'overdue-minute', 'due-now', 'due-tomorrow']);
    expect(page.items.map((item) => item.overdue)).toEqual([true, true, true, false, false]);
    expect(page.items[4]).toEqual({
      activityId: ids['due-tomorrow'],
      kind: 'call',
      subject: 'Call about the offer',
      dueAt: '2026-08-02T10:00:00.000Z',
      overdue: false,
      remindAt: '2026-08-02T09:00:00.000Z',
      ownerId: 'ulla',
      opportunityId: null,
      leadId: null,
      customerId: null,
    });
  });

  it('narrows to an owner, and to overdue ones with until = now', async () => {
    expect(names((await due({ ownerId: 'ulla' })).items)).toEqual(['overdue-days', 'due-now', 'due-tomorrow']);
    expect(names((await due({ until: NOW })).items)).toEqual(['overdue-days', 'moved-earlier', 'overdue-minute', 'due-now']);
  });

  it('pages with a cursor after the last row', async () => {
    const pages: string[][] = [];
    let after = undefined as ReturnType<typeof decodeCursor> | undefined;
    for (;;) {
      const page = await due({ limit: 2, after: after ?? undefined });
      pages.push(names(page.items) as string[]);
      if (page.nextCursor === null) break;
      after = decodeCursor(page.nextCursor);
    }
    expect(pages).toEqual([['overdue-days', 'moved-earlier'], ['overdue-minute', 'due-now'], ['due-tomorrow']]);
  });
});
