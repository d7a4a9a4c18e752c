// sales_pipelines on the real event store and PostgreSQL: pipeline events in, pipeline, stage and probability
// history rows out; a rebuild gives the same rows; redelivered events change nothing.
import { salesPipelinesProjection } from './pipelines.projection';
import { stage } from './__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from './__fixtures__/read-model-kit';

let kit: ReadModelKit;
const projection = salesPipelinesProjection();
beforeAll(async () => {
  kit = await startReadModelKit('sales_pipelines', [projection]);
});
afterAll(() => kit?.close());

const at = (day: number, hour = 9): string => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const date = (day: number, hour = 9): Date => new Date(at(day, hour));

describe('sales_pipelines projection', () => {
  let pipelineId: string;

  it('given a pipeline defined, renamed, re-weighted, extended and reordered, then rows show it now and its probabilities over time', async () => {
    pipelineId = await kit.write.definePipeline('New business', at(1));
    await kit.write.pipeline({ type: 'RenamePipeline', data: { pipelineId, name: 'New business EU', at: at(2) } });
    await kit.write.pipeline({ type: 'RenameStage', data: { pipelineId, stageId: 'proposal', name: 'Offer sent', at: at(3) } });
    await kit.write.pipeline({ type: 'ChangeStageProbability', data: { pipelineId, stageId: 'proposal', winProbability: 0.4, at: at(4) } });
    await kit.write.pipeline({ type: 'AddStage', data: { pipelineId, stage: stage('contract', 0.9), at: at(5) } });
    await kit.write.pipeline({ type: 'ReorderStages', data: { pipelineId, stageIds: ['qualification', 'negotiation', 'proposal', 'contract'], at: at(6) } });
    await kit.settled();

    expect(await kit.rows('pipelines', 'pipeline_id')).toEqual([
      expect.objectContaining({ pipeline_id: pipelineId, name: 'New business EU', stage_count: 4, defined_at: date(1), updated_at: date(6), revision: '5' }),
    ]);
    const stages = await kit.db.pool.query('SELECT stage_id, position, name, win_probability, added_at FROM sales.pipeline_stages WHERE pipeline_id = $1 ORDER BY position', [pipelineId]);
    expect(stages.rows).toEqual([
      { stage_id: 'qualification', position: 0, name: 'Qualification', win_probability: 0.1, added_at: date(1) },
      { stage_id: 'negotiation', position: 1, name: 'Negotiation', win_probability: 0.8, added_at: date(1) },
      { stage_id: 'proposal', position: 2, name: 'Offer sent', win_probability: 0.4, added_at: date(1) },
      { stage_id: 'contract', position: 3, name: 'Contract', win_probability: 0.9, added_at: date(5) },
    ]);
    const history = await kit.db.pool.query(
      'SELECT stage_id, win_probability, valid_from, valid_to FROM sales.stage_probability_history WHERE pipeline_id = $1 ORDER BY stage_id, valid_from',
      [pipelineId],
    );
    expect(history.rows).toEqual([
      { stage_id: 'contract', win_probability: 0.9, valid_from: date(5), valid_to: null },
      { stage_id: 'negotiation', win_probability: 0.8, valid_from: date(1), valid_to: null },
      { stage_id: 'proposal', win_probability: 0.5, valid_from: date(1), valid_to: date(4) },
      { stage_id: 'proposal', win_probability: 0.4, valid_from: date(4), valid_to: null },
      { stage_id: 'qualification', win_probability: 0.1, valid_from: date(1), valid_to: null },
    ]);
  });

  it('gives the same rows when events are delivered again, and when rebuilt from the events', async () => {
    await kit.write.definePipeline('Renewals', at(7), [stage('renewal-due', 0.6)]);
    await kit.settled();
    const snapshot = async () => ({
      pipelines: await kit.rows('pipelines', 'pipeline_id'),
      stages: await kit.rows('pipeline_stages', 'pipeline_id, stage_id'),
      history: await kit.rows('stage_probability_history', 'pipeline_id, stage_id, revision'),
    });
    const before = await snapshot();
    expect(before.pipelines).toHaveLength(2);

    expect(await kit.redeliver(projection)).toBe(7);
    expect(await snapshot()).toEqual(before);

    const rebuilt = await kit.runners[0]!.rebuild();
    expect(rebuilt.replaced).toBe(1);
    expect(await snapshot()).toEqual(before);
  });
});
