// Opportunities over HTTP on the real stack: every command's happy path, the customer check against the local
// customers read model, stages only of the pipeline, If-Match races and replayed Idempotency-Keys.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { opportunityStream } from '../domain';
import {
  definePipeline,
  knowCustomer,
  openOpportunity,
  opportunityBody,
  readSalesStream,
  startSalesApp,
  type SalesTestApp,
} from '../infrastructure/__fixtures__/sales-test-app';

let t: SalesTestApp;
let pipelineId: string;
beforeAll(async () => {
  t = await startSalesApp('opportunities');
  pipelineId = (await definePipeline(t)).id;
});
afterAll(async () => {
  await t?.close();
});

const types = async (opportunityId: string): Promise<string[]> => (await readSalesStream(t, opportunityStream(opportunityId))).map((e) => e.type);

describe('opportunities over HTTP', () => {
  it('opens for an active customer at the first stage, then moves, re-prices, re-dates, reassigns and wins it', async () => {
    const { id, customerId } = await openOpportunity(t, pipelineId);
    const opened = await request(t.http).get(`/opportunities/${id}`).expect(200);
    expect(opened.body).toMatchObject({ opportunityId: id, customerId, pipelineId, status: 'open', stage: { id: 'qualification' }, revision: 0 });
    await request(t.http).post(`/opportunities/${id}/stage`).send({ stageId: 'negotiation' }).expect(200, { opportunityId: id, revision: 1 });
    await request(t.http).post(`/opportunities/${id}/amount`).send({ amount: { amount: '52000.50', currency: 'EUR' } }).expect(200);
    await request(t.http).post(`/opportunities/${id}/close-date`).send({ expectedCloseDate: '2031-01-15' }).expect(200);
    await request(t.http).post(`/opportunities/${id}/close-date`).send({ expectedCloseDate: null }).expect(200);
    await request(t.http).post(`/opportunities/${id}/owner`).send({ ownerId: 'auth0|owner-2' }).expect(200);
    const won = await request(t.http).post(`/opportunities/${id}/won`).expect(200);
    expect(won.headers['etag']).toBe('"6"');
    const state = await request(t.http).get(`/opportunities/${id}`).expect(200);
    expect(state.body).toMatchObject({ status: 'won', stage: { id: 'negotiation' }, amount: { amount: '52000.50' }, ownerId: 'auth0|owner-2' });
    expect(state.body).not.toHaveProperty('expectedCloseDate');
    expect(await types(id)).toEqual([
      'OpportunityOpened',
      'OpportunityStageChanged',
      'OpportunityAmountChanged',
      'OpportunityCloseDateChanged',
      'OpportunityCloseDateChanged',
      'OpportunityReassigned',
      'OpportunityWon',
    ]);
  });

  it('is lost for a reason and reopened at the stage it was lost at, or at another', async () => {
    const { id } = await openOpportunity(t, pipelineId, { stageId: 'proposal' });
    await request(t.http).post(`/opportunities/${id}/lost`).send({ reason: 'Chose a competitor' }).expect(200);
    expect((await request(t.http).get(`/opportunities/${id}`).expect(200)).body).toMatchObject({ status: 'lost', lostReason: 'Chose a competitor' });
    await request(t.http).post(`/opportunities/${id}/reopen`).send({}).expect(200);
    expect((await request(t.http).get(`/opportunities/${id}`).expect(200)).body).toMatchObject({ status: 'open', stage: { id: 'proposal' } });
    await request(t.http).post(`/opportunities/${id}/lost`).send({ reason: 'Budget cut' }).expect(200);
    await request(t.http).post(`/opportunities/${id}/reopen`).send({ stageId: 'qualification' }).expect(200);
    expect((await request(t.http).get(`/opportunities/${id}`).expect(200)).body).toMatchObject({ status: 'open', stage: { id: 'qualification' } });
  });

  it('refuses a lost without a reason (400) and a stage the pipeline does not have (422)', async () => {
    const { id } = await openOpportunity(t, pipelineId);
    const noReason = await request(t.http).post(`/opportunities/${id}/lost`).send({}).expect(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const blank = await request(t.http).post(`/opportunities/${id}/lost`).send({ reason: '   ' }).expect(400);
    expect(JSON.stringify(blank.body)).toContain('reason');
    const unknown = await request(t.http).post(`/opportunities/${id}/stage`).send({ stageId: 'closing' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_STAGE', details: { opportunityId: id, stageId: 'closing' } });
    expect(await types(id)).toEqual(['OpportunityOpened']);
  });

  it('opens only for a known, active customer', async () => {
    const unknown = await request(t.http).post('/opportunities').send(opportunityBody(pipelineId, randomUUID())).expect(422);
    expect(unknown.body).toMatchObject({ code: 'CUSTOMER_NOT_ACTIVE', details: { status: 'unknown' } });
    const merged = randomUUID();
    await knowCustomer(t, merged, 'merged', randomUUID());
    const refused = await request(t.http).post('/opportunities').send(opportunityBody(pipelineId, merged)).expect(422);
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_NOT_ACTIVE', details: { customerId: merged, status: 'merged' } });
    const missingPipeline = await request(t.http).post('/opportunities').send(opportunityBody(randomUUID(), merged)).expect(404);
    expect(missingPipeline.body).toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
  });

  it('answers one of two concurrent stage moves with the same If-Match with 409', async () => {
    const { id } = await openOpportunity(t, pipelineId);
    const move = (stageId: string) => request(t.http).post(`/opportunities/${id}/stage`).set('If-Match', '"0"').send({ stageId });
    const answers = await Promise.all([move('proposal'), move('negotiation')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body).toMatchObject({ code: 'stream.wrong_expected_version' });
    expect(await types(id)).toEqual(['OpportunityOpened', 'OpportunityStageChanged']);
  });

  it('appends nothing for a replayed Idempotency-Key, also when the If-Match it carried is stale by now', async () => {
    const { id } = await openOpportunity(t, pipelineId);
    const key = randomUUID();
    const first = await request(t.http).post(`/opportunities/${id}/stage`).set('Idempotency-Key', key).set('If-Match', '"0"').send({ stageId: 'proposal' }).expect(200);
    const replay = await request(t.http).post(`/opportunities/${id}/stage`).set('Idempotency-Key', key).set('If-Match', '"0"').send({ stageId: 'proposal' }).expect(200);
    expect(replay.body).toEqual(first.body);
    const openKey = randomUUID();
    const customerId = randomUUID();
    await knowCustomer(t, customerId);
    const opened = await request(t.http).post('/opportunities').set('Idempotency-Key', openKey).send(opportunityBody(pipelineId, customerId)).expect(201);
    const again = await request(t.http).post('/opportunities').set('Idempotency-Key', openKey).send(opportunityBody(pipelineId, customerId)).expect(201);
    expect(again.body).toEqual(opened.body);
    expect(await types(id)).toEqual(['OpportunityOpened', 'OpportunityStageChanged']);
    expect(await types((opened.body as { opportunityId: string }).opportunityId)).toEqual(['OpportunityOpened']);
  });

  it('moves to a stage added to the pipeline after opening, named as the pipeline names it now', async () => {
    const { id: ownPipeline } = await definePipeline(t);
    const { id } = await openOpportunity(t, ownPipeline);
    await request(t.http).post(`/pipelines/${ownPipeline}/stages`).send({ id: 'demo', name: 'Demo', winProbability: 0.3, position: 1 }).expect(200);
    await request(t.http).patch(`/pipelines/${ownPipeline}/stages/qualification`).send({ name: 'Qualified' }).expect(200);
    await request(t.http).post(`/opportunities/${id}/stage`).send({ stageId: 'demo' }).expect(200);
    const [, changed] = await readSalesStream(t, opportunityStream(id));
    expect(changed?.data).toMatchObject({ from: { id: 'qualification', name: 'Qualified' }, to: { id: 'demo', name: 'Demo', winProbability: 0.3 } });
  });
});
