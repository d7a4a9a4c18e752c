// Projection `sales_opportunities`: opportunity events folded with the domain's evolve into sales.opportunities,
// each change of what the board shows closing one interval of sales.opportunity_history and opening the next, and
// activity events into sales.activities (activities.handler.ts).
import { defineProjection, type ProjectionDefinition, type ProjectionEvent } from '@crm/projections';
import type { ClientBase } from 'pg';
import {
  idOfStream,
  opportunityDecider,
  SALES_STREAM_PREFIXES,
  type ActivityEvent,
  type OpenedOpportunity,
  type OpportunityEvent,
  type OpportunityEventType,
  type OpportunityState,
} from '../domain';
import { ACTIVITY_EVENT_TYPES, applyActivityEvent } from './activities.handler';
import { READ_SCHEMA } from './columns';
import { eventTime, foldEvent, sameCase, upsertRow, type TimeFields } from './folding';
import { OPPORTUNITY_TABLES, opportunityTablesDdl, SALES_OPPORTUNITIES, type OpportunityTable, type OpportunityTables } from './opportunities.schema';

/** Bump when the handlers or the tables change: the next start rebuilds into new tables, readers keep the old. */
export const SALES_OPPORTUNITIES_VERSION = 1;

const TIME: TimeFields<OpportunityEvent> = {
  OpportunityOpened: 'openedAt',
  OpportunityStageChanged: 'at',
  OpportunityAmountChanged: 'at',
  OpportunityCloseDateChanged: 'at',
  OpportunityReassigned: 'at',
  OpportunityWon: 'at',
  OpportunityLost: 'at',
  OpportunityReopened: 'at',
  OpportunityCustomerLinked: 'at',
};

export const OPPORTUNITY_EVENT_TYPES = Object.keys(TIME) as OpportunityEventType[];

/** The columns the board and the history show, in the order of both tables. */
function boardOf(o: OpenedOpportunity) {
  return {
    pipeline_id: sameCase(o.pipelineId),
    status: o.status,
    stage_id: o.stage.id,
    stage_name: o.stage.name,
    stage_probability: o.stage.winProbability,
    amount: o.amount.amount,
    currency: o.amount.currency,
    expected_close_date: o.expectedCloseDate ?? null,
    owner_id: o.ownerId ?? null,
  };
}

async function applyOpportunityEvent(tx: ClientBase, recorded: ProjectionEvent, tables: OpportunityTables): Promise<void> {
  const opportunityId = idOfStream('opportunity', recorded.streamId);
  const target = { table: tables.opportunities, key: 'opportunity_id', id: opportunityId, decider: opportunityDecider };
  const folded = await foldEvent<OpportunityState, OpportunityEvent>(tx, target, recorded);
  if (folded === undefined || folded.after.status === 'new') return;
  const { before, after, revision, isNew } = folded;
  const at = eventTime(TIME, recorded);
  const board = boardOf(after);
  await upsertRow(
    tx,
    tables.opportunities,
    'opportunity_id',
    {
      opportunity_id: opportunityId,
      ...board,
      title: after.title,
      customer_id: after.customerId ?? null,
      lead_id: sameCase(after.leadId),
      opened_at: after.openedAt,
      closed_at: after.closedAt ?? null,
      lost_reason: after.lostReason ?? null,
      last_activity_at: at,
      updated_at: at,
      revision: revision.toString(),
      state: JSON.stringify(after),
    },
    ['last_activity_at'],
  );
  // Activities recorded before the opportunity was (an activity may name an opportunity opened later).
  if (isNew) {
    await tx.query(
      `UPDATE ${tables.opportunities} SET last_activity_at = GREATEST(last_activity_at, (SELECT max(touched_at) FROM ${tables.activities} WHERE opportunity_id = $1))
        WHERE opportunity_id = $1`,
      [opportunityId],
    );
  }
  if (before.status !== 'new' && JSON.stringify(boardOf(before)) === JSON.stringify(board)) return;
  // A new interval starts; time never runs backwards within one opportunity's history.
  const closed = await tx.query<{ valid_to: Date }>(
    `UPDATE ${tables.opportunity_history} SET valid_to = GREATEST(valid_from, $2::timestamptz) WHERE opportunity_id = $1 AND valid_to IS NULL RETURNING valid_to`,
    [opportunityId, at],
  );
  const from = closed.rows[0]?.valid_to ?? at;
  const columns = ['opportunity_id', 'revision', ...Object.keys(board), 'valid_from'];
  await tx.query(`INSERT INTO ${tables.opportunity_history} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, [
    opportunityId,
    revision.toString(),
    ...Object.values(board),
    from,
  ]);
}

export function salesOpportunitiesProjection(): ProjectionDefinition<OpportunityTable, OpportunityEvent | ActivityEvent> {
  const handlers = Object.fromEntries([
    ...OPPORTUNITY_EVENT_TYPES.map((type) => [type, applyOpportunityEvent] as const),
    ...ACTIVITY_EVENT_TYPES.map((type) => [type, applyActivityEvent] as const),
  ]);
  return defineProjection<OpportunityTable, OpportunityEvent | ActivityEvent>({
    name: SALES_OPPORTUNITIES,
    version: SALES_OPPORTUNITIES_VERSION,
    readSchema: READ_SCHEMA,
    tables: OPPORTUNITY_TABLES,
    createTables: opportunityTablesDdl,
    handlers,
    filter: {
      streamNamePrefixes: [SALES_STREAM_PREFIXES.opportunity, SALES_STREAM_PREFIXES.activity],
      eventTypes: [...OPPORTUNITY_EVENT_TYPES, ...ACTIVITY_EVENT_TYPES],
    },
  });
}
