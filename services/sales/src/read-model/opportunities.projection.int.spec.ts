// sales_opportunities on the real event store and PostgreSQL: opportunity and activity events in, current rows and
// history intervals out; a rebuild gives the same rows; redelivered events change nothing.
import { randomUUID } from 'node:crypto';
import { salesOpportunitiesProjection } from './opportunities.projection';
import { salesPipelinesProjection } from './pipelines.projection';
import { money } from './__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from './__fixtures__/read-model-kit';

let kit: ReadModelKit;
const projection = salesOpportunitiesProjection();
beforeAll(async () => {
  kit = await startReadModelKit('sales_opportunities', [projection, salesPipelinesProjection()]);
});
afterAll(() => kit?.close());

const at = (day: number, hour = 9): string => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const date = (day: number, hour = 9): Date => new Date(at(day, hour));

const HISTORY_COLUMNS = `status, stage_id, amount::text AS amount, currency, expected_close_date::text AS close_date, owner_id, valid_from, valid_to`;

describe('sales_opportunities projection', () => {
  let pipelineId: string;
  let won: string;
  let reopened: string;

  it('given an opportunity moved, re-priced, reassigned and won, then its row is current and its history has one interval per change', async () => {
    pipelineId = await kit.write.definePipeline('New business', at(1, 8));
    won = await kit.write.open(pipelineId, at(1), { amount: money('1000.00'), expectedCloseDate: '2026-03-15', ownerId: 'ulla' });
    await kit.write.move(won, pipelineId, 'proposal', at(3));
    await kit.write.opportunity({ type: 'ChangeAmount', data: { opportunityId: won, amount: money('1500.00'), at: at(5) } });
    await kit.write.opportunity({ type: 'Reassign', data: { opportunityId: won, ownerId: 'bert', at: at(6) } });
    await kit.write.won(won, at(10));
    await kit.settled();

    const [row] = await kit.db.pool.query(`SELECT *, amount::text AS amount FROM sales.opportunities WHERE opportunity_id = $1`, [won]).then((r) => r.rows);
    expect(row).toEqual(
      expect.objectContaining({
        status: 'won',
        stage_id: 'proposal',
        stage_probability: 0.5,
        amount: '1500.00',
        currency: 'EUR',
        owner_id: 'bert',
        opened_at: date(1),
        closed_at: date(10),
        last_activity_at: date(10),
        revision: '4',
      }),
    );
    const history = await kit.db.pool.query(`SELECT ${HISTORY_COLUMNS} FROM sales.opportunity_history WHERE opportunity_id = $1 ORDER BY valid_from`, [won]);
    const interval = (status: string, stageId: string, amount: string, owner: string, from: number, to: number | null) => ({
      status,
      stage_id: stageId,
      amount,
      currency: 'EUR',
      close_date: '2026-03-15',
      owner_id: owner,
      valid_from: date(from),
      valid_to: to === null ? null : date(to),
    });
    expect(history.rows).toEqual([
      interval('open', 'qualification', '1000.00', 'ulla', 1, 3),
      interval('open', 'proposal', '1000.00', 'ulla', 3, 5),
      interval('open', 'proposal', '1500.00', 'ulla', 5, 6),
      interval('open', 'proposal', '1500.00', 'bert', 6, 10),
      interval('won', 'proposal', '1500.00', 'bert', 10, null),
    ]);
  });

  it('given activities about an opportunity, then the activity row follows them and the opportunity’s last activity moves — but not for a reminder', async () => {
    reopened = await kit.write.open(pipelineId, at(2));
    await kit.write.lost(reopened, at(4));
    await kit.write.opportunity({ type: 'Reopen', data: { opportunityId: reopened, pipeline: await kit.write.definitionOf(pipelineId), stageId: 'negotiation', at: at(8) } });
    const call = await kit.write.schedule(at(9), { dueAt: at(12), remindAt: at(11), opportunityId: reopened.toUpperCase(), ownerId: 'ulla' });
    await kit.write.activity({ type: 'CompleteActivity', data: { activityId: call, outcome: 'Agreed on terms', at: at(12, 15) } });
    const later = await kit.write.schedule(at(13), { dueAt: at(20), remindAt: at(14), opportunityId: reopened });
    await kit.write.activity({ type: 'FireReminder', data: { activityId: later, remindAt: at(14), at: at(14) } });
    await kit.settled();

    const { rows } = await kit.db.pool.query('SELECT status, stage_id, closed_at, lost_reason, last_activity_at FROM sales.opportunities WHERE opportunity_id = $1', [reopened]);
    expect(rows).toEqual([{ status: 'open', stage_id: 'negotiation', closed_at: null, lost_reason: null, last_activity_at: date(13) }]);
    const activities = await kit.db.pool.query(
      'SELECT activity_id, status, due_at, remind_at, reminder_fired, opportunity_id, closed_at, outcome, touched_at FROM sales.activities WHERE opportunity_id = $1 ORDER BY due_at',
      [reopened],
    );
    expect(activities.rows).toEqual([
      { activity_id: call, status: 'completed', due_at: date(12), remind_at: date(11), reminder_fired: false, opportunity_id: reopened, closed_at: date(12, 15), outcome: 'Agreed on terms', touched_at: date(12, 15) },
      { activity_id: later, status: 'open', due_at: date(20), remind_at: date(14), reminder_fired: true, opportunity_id: reopened, closed_at: null, outcome: null, touched_at: date(13) },
    ]);
    const history = await kit.db.pool.query(`SELECT status, stage_id, valid_from, valid_to FROM sales.opportunity_history WHERE opportunity_id = $1 ORDER BY valid_from`, [reopened]);
    expect(history.rows).toEqual([
      { status: 'open', stage_id: 'qualification', valid_from: date(2), valid_to: date(4) },
      { status: 'lost', stage_id: 'qualification', valid_from: date(4), valid_to: date(8) },
      { status: 'open', stage_id: 'negotiation', valid_from: date(8), valid_to: null },
    ]);
  });

  it('given an activity recorded before the opportunity it names is projected, then the opportunity starts with that activity time', async () => {
    const opportunityId = randomUUID();
    await kit.write.schedule(at(6), { dueAt: at(7), opportunityId });
    await kit.write.open(pipelineId, at(5), { opportunityId });
    await kit.settled();
    const { rows } = await kit.db.pool.query('SELECT opened_at, last_activity_at FROM sales.opportunities WHERE opportunity_id = $1', [opportunityId]);
    expect(rows).toEqual([{ opened_at: date(5), last_activity_at: date(6) }]);
  });

  it('gives the same rows when events are delivered again, and when rebuilt from the events', async () => {
    const snapshot = async () => ({
      opportunities: await kit.rows('opportunities', 'opportunity_id'),
      history: await kit.rows('opportunity_history', 'opportunity_id, revision'),
      activities: await kit.rows('activities', 'activity_id'),
    });
    const before = await snapshot();
    expect(before.opportunities).toHaveLength(3);
    expect(before.history).toHaveLength(9);

    expect(await kit.redeliver(projection)).toBe(14);
    expect(await snapshot()).toEqual(before);

    await kit.runners[0]!.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
