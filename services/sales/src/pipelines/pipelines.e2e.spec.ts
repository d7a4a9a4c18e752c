// Pipelines over HTTP on the real stack: define, rename, add, reorder and change stages; ETags and If-Match.
import request from 'supertest';
import { definePipeline, pipelineBody, startSalesApp, type SalesTestApp } from '../infrastructure/__fixtures__/sales-test-app';

describe('pipelines over HTTP', () => {
  let t: SalesTestApp;
  beforeAll(async () => {
    t = await startSalesApp('pipelines');
  });
  afterAll(async () => {
    await t.close();
  });

  it('defines a pipeline: 201 with Location and ETag, and GET answers its stages in order', async () => {
    const res = await request(t.http).post('/pipelines').send(pipelineBody({ name: 'Fleet licences' })).expect(201);
    const { pipelineId, revision } = res.body as { pipelineId: string; revision: number };
    expect(revision).toBe(0);
    expect(res.headers['location']).toBe(`/pipelines/${pipelineId}`);
    expect(res.headers['etag']).toBe('"0"');
    const got = await request(t.http).get(`/pipelines/${pipelineId}`).expect(200);
    expect(got.body).toMatchObject({ pipelineId, name: 'Fleet licences', status: 'defined', revision: 0 });
    expect((got.body as { stages: { id: string }[] }).stages.map((s) => s.id)).toEqual(['qualification', 'proposal', 'negotiation']);
  });

  it('renames, adds a stage at a position, reorders and changes a stage', async () => {
    const { id } = await definePipeline(t);
    await request(t.http).patch(`/pipelines/${id}`).send({ name: 'Renamed' }).expect(200, { pipelineId: id, revision: 1 });
    await request(t.http).post(`/pipelines/${id}/stages`).send({ id: 'demo', name: 'Demo', winProbability: 0.3, position: 1 }).expect(200);
    await request(t.http)
      .put(`/pipelines/${id}/stages/order`)
      .send({ stageIds: ['qualification', 'proposal', 'demo', 'negotiation'] })
      .expect(200);
    const changed = await request(t.http).patch(`/pipelines/${id}/stages/demo`).send({ name: 'Live demo', winProbability: 0.35 }).expect(200);
    expect(changed.body).toEqual({ pipelineId: id, stageId: 'demo', revision: 5 });
    const got = await request(t.http).get(`/pipelines/${id}`).expect(200);
    expect(got.body).toMatchObject({
      name: 'Renamed',
      revision: 5,
      stages: [{ id: 'qualification' }, { id: 'proposal' }, { id: 'demo', name: 'Live demo', winProbability: 0.35 }, { id: 'negotiation' }],
    });
    const history = await request(t.http).get(`/pipelines/${id}/history`).expect(200);
    expect((history.body as { events: { type: string }[] }).events.map((e) => e.type)).toEqual([
      'PipelineDefined',
      'PipelineRenamed',
      'StageAdded',
      'StagesReordered',
      'StageRenamed',
      'StageProbabilityChanged',
    ]);
  });

  it('answers 409 for a stale If-Match and 422 for a stage the pipeline does not have', async () => {
    const { id } = await definePipeline(t);
    await request(t.http).patch(`/pipelines/${id}`).set('If-Match', '"0"').send({ name: 'First' }).expect(200);
    const stale = await request(t.http).patch(`/pipelines/${id}`).set('If-Match', '"0"').send({ name: 'Second' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'stream.wrong_expected_version' });
    const unknown = await request(t.http).patch(`/pipelines/${id}/stages/closing`).send({ name: 'Closing' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_STAGE', details: { pipelineId: id, stageId: 'closing' } });
    const missing = await request(t.http).get(`/pipelines/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`).expect(404);
    expect(missing.body).toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
  });
});
