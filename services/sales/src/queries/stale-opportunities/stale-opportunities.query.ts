// Stale opportunities: open ones with no event of their own (stage move, amount change, …) and no activity about
// them for more than `days` days before `now`, longest-idle first, one keyset page at a time.
import type { Money } from '../../domain';
import type { Queryable } from '../figures';
import { pageOf, type Keyset, type Page } from '../keyset';

export const DEFAULT_STALE_DAYS = 14;

export interface StaleOpportunity {
  opportunityId: string;
  pipelineId: string;
  title: string;
  stage: { id: string; name: string };
  amount: Money;
  expectedCloseDate: string | null;
  ownerId: string | null;
  customerId: string | null;
  lastActivityAt: string;
  /** Whole days since the last activity. */
  idleDays: number;
}

export interface StaleQuery {
  days: number;
  now: Date;
  pipelineId?: string;
  ownerId?: string;
  limit: number;
  after?: Keyset;
}

export type StalePage = Page<StaleOpportunity> & { days: number; cutoff: string };

type Row = {
  opportunity_id: string;
  pipeline_id: string;
  title: string;
  stage_id: string;
  stage_name: string;
  amount: string;
  currency: string;
  expected_close_date: string | null;
  owner_id: string | null;
  customer_id: string | null;
  last_activity_at: Date;
  cursor_time: string;
};

const DAY_MS = 86_400_000;

export async function staleOpportunities(db: Queryable, query: StaleQuery): Promise<StalePage> {
  const cutoff = new Date(query.now.getTime() - query.days * DAY_MS).toISOString();
  const values: unknown[] = [cutoff, query.pipelineId ?? null, query.ownerId ?? null];
  let keyset = '';
  if (query.after) {
    values.push(query.after.time, query.after.id);
    keyset = 'AND (last_activity_at, opportunity_id) > ($4::timestamptz, $5)';
  }
  values.push(query.limit + 1);
  const { rows } = await db.query<Row>(
    `SELECT opportunity_id, pipeline_id, title, stage_id, stage_name, amount::text AS amount, currency, expected_close_date::text AS expected_close_date,
            owner_id, customer_id, last_activity_at, to_json(last_activity_at)#>>'{}' AS cursor_time
       FROM sales.opportunities
      WHERE status = 'open' AND last_activity_at < $1::timestamptz
        AND ($2::text IS NULL OR pipeline_id = $2) AND ($3::text IS NULL OR owner_id = $3) ${keyset}
      ORDER BY last_activity_at, opportunity_id
      LIMIT $${values.length}`,
    values,
  );
  const page = pageOf(rows, query.limit, (row) => row.opportunity_id, (row) => ({
    opportunityId: row.opportunity_id,
    pipelineId: row.pipeline_id,
    title: row.title,
    stage: { id: row.stage_id, name: row.stage_name },
    amount: { amount: row.amount, currency: row.currency },
    expectedCloseDate: row.expected_close_date,
    ownerId: row.owner_id,
    customerId: row.customer_id,
    lastActivityAt: row.last_activity_at.toISOString(),
    idleDays: Math.floor((query.now.getTime() - row.last_activity_at.getTime()) / DAY_MS),
  }));
  return { days: query.days, cutoff, ...page };
}
