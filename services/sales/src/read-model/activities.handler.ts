// Activity events in the sales_opportunities projection: folded with the domain's evolve into sales.activities; a
// user's action on an activity about an opportunity (not a reminder firing) also counts as activity on it.
import type { ProjectionEvent } from '@crm/projections';
import type { ClientBase } from 'pg';
import { activityDecider, idOfStream, type ActivityEvent, type ActivityEventType, type ActivityState } from '../domain';
import { eventTime, foldEvent, sameCase, upsertRow, type TimeFields } from './folding';
import type { OpportunityTables } from './opportunities.schema';

const TIME: TimeFields<ActivityEvent> = {
  ActivityScheduled: 'scheduledAt',
  ActivityRescheduled: 'at',
  ActivityCompleted: 'at',
  ActivityCancelled: 'at',
  ActivityReminderDue: 'at',
};

export const ACTIVITY_EVENT_TYPES = Object.keys(TIME) as ActivityEventType[];

/** Events that are a user's doing; the scheduler's ActivityReminderDue is not. */
const byUser = (type: string): boolean => type !== 'ActivityReminderDue';

export async function applyActivityEvent(tx: ClientBase, recorded: ProjectionEvent, tables: OpportunityTables): Promise<void> {
  const activityId = idOfStream('activity', recorded.streamId);
  const target = { table: tables.activities, key: 'activity_id', id: activityId, decider: activityDecider };
  const folded = await foldEvent<ActivityState, ActivityEvent>(tx, target, recorded);
  if (folded === undefined || folded.after.status === 'new') return;
  const { after: a, revision } = folded;
  const at = eventTime(TIME, recorded);
  const opportunityId = sameCase(a.opportunityId);
  await upsertRow(
    tx,
    tables.activities,
    'activity_id',
    {
      activity_id: activityId,
      kind: a.kind,
      subject: a.subject,
      status: a.status,
      due_at: a.dueAt,
      remind_at: a.reminder?.at ?? null,
      reminder_fired: a.reminder?.fired ?? false,
      owner_id: a.ownerId ?? null,
      opportunity_id: opportunityId,
      lead_id: sameCase(a.leadId),
      customer_id: a.customerId ?? null,
      scheduled_at: a.scheduledAt,
      closed_at: a.closedAt ?? null,
      outcome: a.outcome ?? null,
      touched_at: byUser(recorded.type) ? at : a.scheduledAt,
      revision: revision.toString(),
      state: JSON.stringify(a),
    },
    ['touched_at'],
  );
  if (opportunityId !== null && byUser(recorded.type)) {
    await tx.query(`UPDATE ${tables.opportunities} SET last_activity_at = GREATEST(last_activity_at, $2::timestamptz) WHERE opportunity_id = $1`, [
      opportunityId,
      at,
    ]);
  }
}
