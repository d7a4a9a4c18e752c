// Due and overdue activities: open ones due at or before `until`, soonest first, one keyset page at a time; each
// says whether it is overdue (due before `now`) or still to come.
import type { ActivityKind } from '../../domain';
import type { Queryable } from '../figures';
import { pageOf, type Keyset, type Page } from '../keyset';

export interface DueActivity {
  activityId: string;
  kind: ActivityKind;
  subject: string;
  dueAt: string;
  overdue: boolean;
  remindAt: string | null;
  ownerId: string | null;
  opportunityId: string | null;
  leadId: string | null;
  customerId: string | null;
}

export interface DueQuery {
  until: Date;
  now: Date;
  ownerId?: string;
  limit: number;
  after?: Keyset;
}

export type DuePage = Page<DueActivity> & { until: string; now: string };

type Row = {
  activity_id: string;
  kind: ActivityKind;
  subject: string;
  due_at: Date;
  remind_at: Date | null;
  owner_id: string | null;
  opportunity_id: string | null;
  lead_id: string | null;
  customer_id: string | null;
  cursor_time: string;
};

export async function dueActivities(db: Queryable, query: DueQuery): Promise<DuePage> {
  const values: unknown[] = [query.until.toISOString(), query.ownerId ?? null];
  let keyset = '';
  if (query.after) {
    values.push(query.after.time, query.after.id);
    keyset = 'AND (due_at, activity_id) > ($3::timestamptz, $4)';
  }
  values.push(query.limit + 1);
  const { rows } = await db.query<Row>(
    `SELECT activity_id, kind, subject, due_at, remind_at, owner_id, opportunity_id, lead_id, customer_id, to_json(due_at)#>>'{}' AS cursor_time
       FROM sales.activities
      WHERE status = 'open' AND due_at <= $1::timestamptz AND ($2::text IS NULL OR owner_id = $2) ${keyset}
      ORDER BY due_at, activity_id
      LIMIT $${values.length}`,
    values,
  );
  const page = pageOf(rows, query.limit, (row) => row.activity_id, (row) => ({
    activityId: row.activity_id,
    kind: row.kind,
    subject: row.subject,
    dueAt: row.due_at.toISOString(),
    overdue: row.due_at.getTime() < query.now.getTime(),
    remindAt: row.remind_at?.toISOString() ?? null,
    ownerId: row.owner_id,
    opportunityId: row.opportunity_id,
    leadId: row.lead_id,
    customerId: row.customer_id,
  }));
  return { until: query.until.toISOString(), now: query.now.toISOString(), ...page };
}
