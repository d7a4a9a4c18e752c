// The pipeline board: per stage, in board order, the open opportunities' count and totals per currency, weighted
// by the stage's win probability. Now: from sales.opportunities with the stages' current probabilities. As of a
// past time: from the intervals of sales.opportunity_history valid then, with the probabilities valid then — so
// the board at quarter close stays what it was, whatever moved since.
import { totalColumns, totalOf, type CurrencyTotal, type Queryable, type TotalRow } from '../figures';

export interface BoardStage {
  stageId: string;
  name: string;
  /** Board order, 0 first; stages of opportunities the pipeline does not list (yet) come last. */
  position: number;
  winProbability: number;
  count: number;
  totals: CurrencyTotal[];
}

export interface PipelineBoard {
  pipelineId: string;
  name: string;
  /** The time the board shows; null for now. */
  asOf: string | null;
  stages: BoardStage[];
  /** All stages together, per currency. */
  totals: CurrencyTotal[];
}

/** Live: each pipeline stage current; as of: stages added by then, with the probability valid then. */
const STAGES_NOW = `SELECT stage_id, position, name, win_probability FROM sales.pipeline_stages WHERE pipeline_id = $1`;
const STAGES_AS_OF = `SELECT s.stage_id, s.position, s.name, COALESCE(p.win_probability, s.win_probability) AS win_probability
  FROM sales.pipeline_stages s
  LEFT JOIN sales.stage_probability_history p ON p.pipeline_id = s.pipeline_id AND p.stage_id = s.stage_id
   AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)
 WHERE s.pipeline_id = $1 AND s.added_at <= $2`;

/** Rows aliased `o` with stage and amount columns, and the probability they are weighted with. */
const OPEN_NOW = `sales.opportunities o
  LEFT JOIN sales.pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.stage_id = o.stage_id
 WHERE o.pipeline_id = $1 AND o.status = 'open'`;
const OPEN_AS_OF = `sales.opportunity_history o
  LEFT JOIN sales.stage_probability_history s ON s.pipeline_id = o.pipeline_id AND s.stage_id = o.stage_id
   AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2)
 WHERE o.pipeline_id = $1 AND o.status = 'open' AND o.valid_from <= $2 AND (o.valid_to IS NULL OR o.valid_to > $2)`;

type StageRow = { stage_id: string; position: number; name: string; win_probability: number };
type CellRow = TotalRow & { stage_id: string; stage_name: string; stage_probability: number };

/** The board, or null when the pipeline is not in the read model. */
export async function pipelineBoard(db: Queryable, pipelineId: string, asOf?: string): Promise<PipelineBoard | null> {
  const pipeline = await db.query<{ name: string }>('SELECT name FROM sales.pipelines WHERE pipeline_id = $1', [pipelineId]);
  const name = pipeline.rows[0]?.name;
  if (name === undefined) return null;
  const values = asOf === undefined ? [pipelineId] : [pipelineId, asOf];
  const [stages, cells, totals] = await Promise.all([
    db.query<StageRow>(`${asOf === undefined ? STAGES_NOW : STAGES_AS_OF} ORDER BY position`, values),
    db.query<CellRow>(
      `SELECT o.stage_id, max(o.stage_name) AS stage_name, max(o.stage_probability) AS stage_probability,
              ${totalColumns('COALESCE(s.win_probability, o.stage_probability)')}
         FROM ${asOf === undefined ? OPEN_NOW : OPEN_AS_OF}
        GROUP BY o.stage_id, o.currency ORDER BY o.stage_id, o.currency`,
      values,
    ),
    db.query<TotalRow>(
      `SELECT ${totalColumns('COALESCE(s.win_probability, o.stage_probability)')}
         FROM ${asOf === undefined ? OPEN_NOW : OPEN_AS_OF} GROUP BY o.currency ORDER BY o.currency`,
      values,
    ),
  ]);
  const columns = new Map<string, BoardStage>(
    stages.rows.map((s) => [s.stage_id, { stageId: s.stage_id, name: s.name, position: s.position, winProbability: s.win_probability, count: 0, totals: [] }]),
  );
  for (const cell of cells.rows) {
    let column = columns.get(cell.stage_id);
    if (column === undefined) {
      // The pipeline projection has not caught up with a stage the opportunity already has: show it as recorded.
      column = { stageId: cell.stage_id, name: cell.stage_name, position: columns.size, winProbability: cell.stage_probability, count: 0, totals: [] };
      columns.set(cell.stage_id, column);
    }
    column.count += cell.count;
    column.totals.push(totalOf(cell));
  }
  return { pipelineId, name, asOf: asOf === undefined ? null : new Date(asOf).toISOString(), stages: [...columns.values()], totals: totals.rows.map(totalOf) };
}
