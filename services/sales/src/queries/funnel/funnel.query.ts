// The conversion funnel of the leads captured in [from, to) — a cohort, followed to wherever each lead got since:
//   lead → qualified (ever qualified, or converted: a conversion implies it) → opportunity (its conversion opened
//   one) → won (that opportunity is won now).
// Each step counts a subset of the one before, and its rate is relative to it. With a pipeline, the last two steps
// count only opportunities in it (leads belong to no pipeline, so the first two do not change).
import { rate, type Queryable } from '../figures';

export const FUNNEL_STEPS = ['lead', 'qualified', 'opportunity', 'won'] as const;
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

export interface FunnelStep {
  step: FunnelStepName;
  count: number;
  /** count / the previous step's count (4 decimals); null for the first step or after an empty one. */
  rate: number | null;
}

export interface Funnel {
  from: string;
  to: string;
  pipelineId: string | null;
  steps: FunnelStep[];
  /** won / lead. */
  overallRate: number | null;
}

export interface FunnelRange {
  from: string;
  to: string;
  pipelineId?: string;
}

/** The lead's opportunities (the one its conversion opened), in the pipeline asked for. */
const ITS_OPPORTUNITY = `SELECT 1 FROM sales.opportunities o
  WHERE (o.lead_id = l.lead_id OR o.opportunity_id = l.opportunity_id) AND ($3::text IS NULL OR o.pipeline_id = $3)`;

const FUNNEL_SQL = `
WITH cohort AS (
  SELECT l.qualified_at IS NOT NULL OR l.converted_at IS NOT NULL AS qualified,
         EXISTS (${ITS_OPPORTUNITY}) AS opportunity,
         EXISTS (${ITS_OPPORTUNITY} AND o.status = 'won') AS won
    FROM sales.leads l
   WHERE l.captured_at >= $1::timestamptz AND l.captured_at < $2::timestamptz)
SELECT count(*)::int AS lead,
       count(*) FILTER (WHERE qualified OR opportunity)::int AS qualified,
       count(*) FILTER (WHERE opportunity)::int AS opportunity,
       count(*) FILTER (WHERE won)::int AS won
  FROM cohort`;

export async function funnel(db: Queryable, { from, to, pipelineId }: FunnelRange): Promise<Funnel> {
  const { rows } = await db.query<Record<FunnelStepName, number>>(FUNNEL_SQL, [from, to, pipelineId ?? null]);
  const counts = rows[0] ?? { lead: 0, qualified: 0, opportunity: 0, won: 0 };
  const steps = FUNNEL_STEPS.map((step, index) => {
    const previous = index === 0 ? undefined : FUNNEL_STEPS[index - 1];
    return { step, count: counts[step], rate: previous === undefined ? null : rate(counts[step], counts[previous]) };
  });
  return { from, to, pipelineId: pipelineId ?? null, steps, overallRate: rate(counts.won, counts.lead) };
}
