// The weighted forecast: open opportunities by the month of their expected close date, per currency, each amount
// weighted by its stage's current win probability. Every month of the range is listed, empty ones too; open
// opportunities without an expected close date are counted apart ("undated"), since they belong to no month.
import { totalColumns, totalOf, type CurrencyTotal, type Queryable, type TotalRow } from '../figures';

export interface ForecastMonth {
  /** YYYY-MM. */
  month: string;
  totals: CurrencyTotal[];
}

export interface Forecast {
  pipelineId: string | null;
  from: string;
  to: string;
  months: ForecastMonth[];
  undated: CurrencyTotal[];
}

export interface ForecastRange {
  /** First month, YYYY-MM (inclusive). */
  from: string;
  /** Last month, YYYY-MM (inclusive). */
  to: string;
  pipelineId?: string;
}

/** Months since year 0 of a YYYY-MM, for arithmetic. */
export const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

export const monthAt = (index: number): string => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The months from `from` to `to`, both YYYY-MM and inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let index = monthIndex(from); index <= monthIndex(to); index += 1) months.push(monthAt(index));
  return months;
}

const OPEN = `sales.opportunities o
  LEFT JOIN sales.pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.stage_id = o.stage_id
 WHERE o.status = 'open' AND ($1::text IS NULL OR o.pipeline_id = $1)`;
const WEIGHT = 'COALESCE(s.win_probability, o.stage_probability)';

export async function forecast(db: Queryable, { from, to, pipelineId }: ForecastRange): Promise<Forecast> {
  const [dated, undated] = await Promise.all([
    db.query<TotalRow & { month: string }>(
      `SELECT to_char(o.expected_close_date, 'YYYY-MM') AS month, ${totalColumns(WEIGHT)}
         FROM ${OPEN} AND o.expected_close_date >= $2::date AND o.expected_close_date < ($3::date + interval '1 month')
        GROUP BY 1, o.currency ORDER BY 1, o.currency`,
      [pipelineId ?? null, `${from}-01`, `${to}-01`],
    ),
    db.query<TotalRow>(`SELECT ${totalColumns(WEIGHT)} FROM ${OPEN} AND o.expected_close_date IS NULL GROUP BY o.currency ORDER BY o.currency`, [pipelineId ?? null]),
  ]);
  const months = monthsBetween(from, to).map((month) => ({ month, totals: dated.rows.filter((row) => row.month === month).map(totalOf) }));
  return { pipelineId: pipelineId ?? null, from, to, months, undated: undated.rows.map(totalOf) };
}
