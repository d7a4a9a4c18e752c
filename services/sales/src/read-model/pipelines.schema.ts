// Tables of the sales_pipelines projection: pipelines, their current stages (the board's columns) and the history
// of each stage's win probability (for weighted figures as of a past time).
import { column, revisionColumn, stateColumn, tableDdl, type TableDoc } from './columns';

export const SALES_PIPELINES = 'sales_pipelines';
export const PIPELINE_TABLES = ['pipelines', 'pipeline_stages', 'stage_probability_history'] as const;
export type PipelineTable = (typeof PIPELINE_TABLES)[number];

export const PIPELINES: TableDoc = {
  name: 'pipelines',
  comment: 'One row per sales pipeline, projected from the pipeline events (projection sales_pipelines).',
  columns: [
    column('pipeline_id', 'text PRIMARY KEY', 'The pipeline id (lower-case uuid); its event stream is pipeline-<id>.'),
    column('name', 'text NOT NULL', 'The pipeline name as last renamed.'),
    column('stage_count', 'integer NOT NULL', 'Number of stages.'),
    column('defined_at', 'timestamptz NOT NULL', 'When the pipeline was defined.'),
    column('updated_at', 'timestamptz NOT NULL', 'Business time of the last event applied.'),
    revisionColumn('pipeline'),
    stateColumn('pipeline'),
  ],
};

export const PIPELINE_STAGES: TableDoc = {
  name: 'pipeline_stages',
  comment: 'The current stages of each pipeline, in board order (projection sales_pipelines). Stages are never removed.',
  columns: [
    column('pipeline_id', 'text NOT NULL', 'The pipeline.'),
    column('stage_id', 'text NOT NULL', 'The stage id: a slug that never changes (opportunities refer to it).'),
    column('position', 'integer NOT NULL', 'Place on the board, 0 first.'),
    column('name', 'text NOT NULL', 'The stage name as last renamed.'),
    column('win_probability', 'double precision NOT NULL', 'The current probability (0 to 1) that an opportunity in this stage is won: the weight of forecasts.'),
    column('added_at', 'timestamptz NOT NULL', 'When the stage became part of the pipeline (its definition, or StageAdded).'),
  ],
};

export const STAGE_PROBABILITY_HISTORY: TableDoc = {
  name: 'stage_probability_history',
  comment:
    "Each stage's win probability over time, one row per value (projection sales_pipelines): the probability at time T is the row with valid_from <= T < valid_to (valid_to NULL: still current).",
  columns: [
    column('pipeline_id', 'text NOT NULL', 'The pipeline.'),
    column('stage_id', 'text NOT NULL', 'The stage.'),
    column('revision', 'bigint NOT NULL', 'Revision of the pipeline event that set this value.'),
    column('win_probability', 'double precision NOT NULL', 'The probability from valid_from on.'),
    column('valid_from', 'timestamptz NOT NULL', 'When this value took effect (inclusive).'),
    column('valid_to', 'timestamptz', 'When it was replaced (exclusive); NULL while current.'),
  ],
};

export function pipelineTablesDdl(tables: { readonly [K in PipelineTable]: string }): string[] {
  return [
    ...tableDdl(tables.pipelines, PIPELINES),
    ...tableDdl(tables.pipeline_stages, PIPELINE_STAGES, ['PRIMARY KEY (pipeline_id, stage_id)']),
    ...tableDdl(tables.stage_probability_history, STAGE_PROBABILITY_HISTORY, ['PRIMARY KEY (pipeline_id, stage_id, revision)']),
    `CREATE INDEX ON ${tables.stage_probability_history} (pipeline_id, valid_from)`,
  ];
}
