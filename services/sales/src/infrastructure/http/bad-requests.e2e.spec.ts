// Bad input over HTTP answers 400/413 naming the problem, never 500, and the service keeps serving.
import request from 'supertest';
import { captureLead, definePipeline, leadBody, openOpportunity, pipelineBody, startSalesApp, type SalesTestApp } from '../__fixtures__/sales-test-app';

let t: SalesTestApp;
beforeAll(async () => {
  t = await startSalesApp('bad-requests');
});
afterAll(async () => {
  await t?.close();
});

type ValidationBody = { statusCode: number; errors: { field: string; problems: string[] }[] };
const fields = (body: unknown): string[] => (body as ValidationBody).errors.map((e) => e.field);

describe('bad requests to the sales service', () => {
  it('refuses unknown fields, naming them, also nested ones', async () => {
    const res = await request(t.http).post('/leads').send(leadBody({ score: 99, contact: { name: { fullName: 'Grace', nickname: 'Amazing' } } })).expect(400);
    expect(fields(res.body)).toEqual(expect.arrayContaining(['score', 'contact.name.nickname']));
  });

  it('refuses wrong types and malformed values, field by field', async () => {
    const res = await request(t.http)
      .post('/pipelines')
      .send({ name: 42, stages: [{ id: 'Not A Slug', name: 'Proposal', winProbability: 1.5 }, { id: 'ok', name: '', winProbability: '0.5' }] })
      .expect(400);
    expect(fields(res.body)).toEqual(expect.arrayContaining(['name', 'stages.0.id', 'stages.0.winProbability', 'stages.1.name', 'stages.1.winProbability']));
    const noStages = await request(t.http).post('/pipelines').send(pipelineBody({ stages: [] })).expect(400);
    expect(fields(noStages.body)).toEqual(['stages']);
    const { id: pipelineId } = await definePipeline(t);
    const { id } = await openOpportunity(t, pipelineId);
    const amount = await request(t.http).post(`/opportunities/${id}/amount`).send({ amount: { amount: 1299.9, currency: 'euro' } }).expect(400);
    expect(fields(amount.body)).toEqual(expect.arrayContaining(['amount.amount', 'amount.currency']));
    const date = await request(t.http).post(`/opportunities/${id}/close-date`).send({ expectedCloseDate: '2030-02-30' }).expect(400);
    expect(fields(date.body)).toEqual(['expectedCloseDate']);
    const time = await request(t.http).post('/activities').send({ kind: 'call', subject: 'x', dueAt: 'tomorrow' }).expect(400);
    expect(fields(time.body)).toEqual(['dueAt']);
  });

  it('refuses over-long strings with their limit, and a phone that is no number', async () => {
    const res = await request(t.http)
      .post('/leads')
      .send(leadBody({ source: 's'.repeat(101), interest: 'i'.repeat(1001), contact: { name: { fullName: 'n'.repeat(201) } } }))
      .expect(400);
    expect(fields(res.body)).toEqual(expect.arrayContaining(['source', 'interest', 'contact.name.fullName']));
    expect(JSON.stringify(res.body)).toContain('100');
    const phone = await request(t.http).post('/leads').send(leadBody({ contact: { name: { fullName: 'Grace' }, phone: '12' } })).expect(400);
    expect(fields(phone.body)).toEqual(['contact.phone']);
    const { id } = await captureLead(t);
    const reason = await request(t.http).post(`/leads/${id}/disqualify`).send({ reason: 'r'.repeat(501) }).expect(400);
    expect(fields(reason.body)).toEqual(['reason']);
  });

  it('refuses malformed ids, headers and JSON', async () => {
    await request(t.http).post('/leads/not-a-uuid/qualify').expect(400);
    const key = await request(t.http).post('/leads').set('Idempotency-Key', 'retry-1').send(leadBody()).expect(400);
    expect(key.body).toMatchObject({ code: 'request.invalid_idempotency_key' });
    const ifMatch = await request(t.http).post('/pipelines').set('If-Match', 'W/"1"').send(pipelineBody()).expect(400);
    expect(ifMatch.body).toMatchObject({ code: 'request.invalid_if_match' });
    const json = await request(t.http).post('/leads').set('Content-Type', 'application/json').send('{"source": "web",').expect(400);
    expect(json.body).toMatchObject({ code: 'request.entity.parse.failed' });
  });

  it('answers 413 for a 2 MB body and keeps serving', async () => {
    const res = await request(t.http).post('/leads').set('Content-Type', 'application/json').send(JSON.stringify({ source: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'request.entity.too.large' });
    await captureLead(t);
    await request(t.http).get('/health/live').expect(200);
  });
});
