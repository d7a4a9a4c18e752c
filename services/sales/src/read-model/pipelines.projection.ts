// Projection `sales_pipelines`: each pipeline event folded with the domain's evolve into sales.pipelines, its stages
// rewritten in sales.pipeline_stages, and a changed win probability closing one interval of
// sales.stage_probability_history and opening the next.
import { defineProjection, type ProjectionDefinition, type ProjectionEvent, type TableNames } from '@crm/projections';
import type { ClientBase } from 'pg';
import { idOfStream, pipelineDecider, SALES_STREAM_PREFIXES, type PipelineEvent, type PipelineEventType, type PipelineState, type Stage } from '../domain';
import { READ_SCHEMA } from './columns';
import { eventTime, foldEvent, type TimeFields } from './folding';
import { PIPELINE_TABLES, pipelineTablesDdl, SALES_PIPELINES, type PipelineTable } from './pipelines.schema';

/** Bump when the handlers or the tables change: the next start rebuilds into new tables, readers keep the old. */
export const SALES_PIPELINES_VERSION = 1;

const TIME: TimeFields<PipelineEvent> = {
  PipelineDefined: 'definedAt',
  PipelineRenamed: 'at',
  StageRenamed: 'at',
  StageProbabilityChanged: 'at',
  StageAdded: 'at',
  StagesReordered: 'at',
};

export const PIPELINE_EVENT_TYPES = Object.keys(TIME) as PipelineEventType[];

type Tables = TableNames<PipelineTable>;

async function apply(tx: ClientBase, recorded: ProjectionEvent, tables: Tables): Promise<void> {
  const pipelineId = idOfStream('pipeline', recorded.streamId);
  const folded = await foldEvent<PipelineState, PipelineEvent>(tx, { table: tables.pipelines, key: 'pipeline_id', id: pipelineId, decider: pipelineDecider }, recorded);
  if (folded === undefined || folded.after.status !== 'defined') return; // nothing to show before the definition
  const { before, after, revision } = folded;
  const at = eventTime(TIME, recorded);
  await tx.query(
    `INSERT INTO ${tables.pipelines} (pipeline_id, name, stage_count, defined_at, updated_at, revision, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (pipeline_id) DO UPDATE SET name = EXCLUDED.name, stage_count = EXCLUDED.stage_count, updated_at = EXCLUDED.updated_at,
       revision = EXCLUDED.revision, state = EXCLUDED.state`,
    [pipelineId, after.name, after.stages.length, after.definedAt, at, revision.toString(), JSON.stringify(after)],
  );
  // A stage keeps the time it was added; name, place and probability follow the pipeline.
  await tx.query(
    `INSERT INTO ${tables.pipeline_stages} (pipeline_id, stage_id, position, name, win_probability, added_at)
     SELECT $1, s.stage_id, s.position, s.name, s.win_probability, $6
       FROM unnest($2::text[], $3::int[], $4::text[], $5::float8[]) AS s(stage_id, position, name, win_probability)
     ON CONFLICT (pipeline_id, stage_id) DO UPDATE SET position = EXCLUDED.position, name = EXCLUDED.name, win_probability = EXCLUDED.win_probability`,
    [pipelineId, after.stages.map((s) => s.id), after.stages.map((_, i) => i), after.stages.map((s) => s.name), after.stages.map((s) => s.winProbability), at],
  );
  const changed = probabilityChanges(before, after.stages);
  if (changed.length === 0) return;
  await tx.query(
    `WITH changed AS (SELECT * FROM unnest($2::text[], $3::float8[]) AS c(stage_id, win_probability)),
     closed AS (
       UPDATE ${tables.stage_probability_history} h SET valid_to = GREATEST(h.valid_from, $4::timestamptz)
         FROM changed c WHERE h.pipeline_id = $1 AND h.stage_id = c.stage_id AND h.valid_to IS NULL
       RETURNING h.stage_id, h.valid_to)
     INSERT INTO ${tables.stage_probability_history} (pipeline_id, stage_id, revision, win_probability, valid_from)
     SELECT $1, c.stage_id, $5, c.win_probability, GREATEST($4::timestamptz, closed.valid_to) FROM changed c LEFT JOIN closed USING (stage_id)`,
    [pipelineId, changed.map((s) => s.id), changed.map((s) => s.winProbability), at, revision.toString()],
  );
}

/** Stages that are new or whose probability differs from the state before the event. */
function probabilityChanges(before: PipelineState, stages: readonly Stage[]): Stage[] {
  const previous = new Map((before.status === 'defined' ? before.stages : []).map((s) => [s.id, s.winProbability]));
  return stages.filter((s) => previous.get(s.id) !== s.winProbability);
}

export function salesPipelinesProjection(): ProjectionDefinition<PipelineTable, PipelineEvent> {
  return defineProjection<PipelineTable, PipelineEvent>({
    name: SALES_PIPELINES,
    version: SALES_PIPELINES_VERSION,
    readSchema: READ_SCHEMA,
    tables: PIPELINE_TABLES,
    createTables: pipelineTablesDdl,
    handlers: Object.fromEntries(PIPELINE_EVENT_TYPES.map((type) => [type, apply])),
    filter: { streamNamePrefixes: [SALES_STREAM_PREFIXES.pipeline], eventTypes: PIPELINE_EVENT_TYPES },
  });
}
