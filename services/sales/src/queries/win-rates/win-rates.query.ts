// Win rate and sales-cycle length of the opportunities closed in [from, to), by owner or by pipeline:
// win rate = won / (won + lost); cycle = days from opening to winning, averaged over the won ones (lost deals end
// when someone gives up, which says little about how long selling takes). A reopened and closed-again opportunity
// counts once, as it ended, with the time from its first opening.
import { rate, type Queryable } from '../figures';

export const WIN_RATE_GROUPS = ['owner', 'pipeline'] as const;
export type WinRateGroup = (typeof WIN_RATE_GROUPS)[number];

export interface WinRateRow {
  /** The owner id or the pipeline id; null: opportunities without an owner. */
  key: string | null;
  /** The pipeline name, when grouped by pipeline. */
  name?: string | null;
  won: number;
  lost: number;
  /** won / (won + lost), 4 decimals. */
  winRate: number | null;
  /** Average days from opened to won, 2 decimals; null when none was won. */
  averageCycleDays: number | null;
}

export interface WinRates {
  groupBy: WinRateGroup;
  from: string;
  to: string;
  pipelineId: string | null;
  groups: WinRateRow[];
}

export interface WinRateQuery {
  groupBy: WinRateGroup;
  from: string;
  to: string;
  pipelineId?: string;
}

const KEY: Record<WinRateGroup, string> = { owner: 'o.owner_id', pipeline: 'o.pipeline_id' };

export async function winRates(db: Queryable, { groupBy, from, to, pipelineId }: WinRateQuery): Promise<WinRates> {
  const { rows } = await db.query<{ key: string | null; name: string | null; won: number; lost: number; cycle_days: string | null }>(
    `SELECT ${KEY[groupBy]} AS key, ${groupBy === 'pipeline' ? 'max(p.name)' : 'NULL::text'} AS name,
            count(*) FILTER (WHERE o.status = 'won')::int AS won,
            count(*) FILTER (WHERE o.status = 'lost')::int AS lost,
            round((avg(extract(epoch FROM o.closed_at - o.opened_at)) FILTER (WHERE o.status = 'won') / 86400)::numeric, 2)::text AS cycle_days
       FROM sales.opportunities o LEFT JOIN sales.pipelines p ON p.pipeline_id = o.pipeline_id
      WHERE o.status IN ('won', 'lost') AND o.closed_at >= $1::timestamptz AND o.closed_at < $2::timestamptz
        AND ($3::text IS NULL OR o.pipeline_id = $3)
      GROUP BY 1 ORDER BY 1 NULLS LAST`,
    [from, to, pipelineId ?? null],
  );
  const groups = rows.map((row) => ({
    key: row.key,
    ...(groupBy === 'pipeline' && { name: row.name }),
    won: row.won,
    lost: row.lost,
    winRate: rate(row.won, row.won + row.lost),
    averageCycleDays: row.cycle_days === null ? null : Number(row.cycle_days),
  }));
  return { groupBy, from, to, pipelineId: pipelineId ?? null, groups };
}
