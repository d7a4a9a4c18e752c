// Leads over HTTP on the real stack: capture (contact encrypted at rest), qualify, disqualify, convert with and
// without an opportunity, retry, erase; idempotency by Idempotency-Key.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { leadStream, opportunityStream } from '../domain';
import {
  captureLead,
  definePipeline,
  leadBody,
  readSalesStream,
  startSalesApp,
  storedEventText,
  type SalesTestApp,
} from '../infrastructure/__fixtures__/sales-test-app';

let t: SalesTestApp;
beforeAll(async () => {
  t = await startSalesApp('leads');
});
afterAll(async () => {
  await t?.close();
});

describe('leads over HTTP', () => {
  it('captures a lead: contact normalised (phone to E.164, email lower case) and stored only as ciphertext', async () => {
    const body = leadBody({ contact: { name: { fullName: 'Grace Hopper' }, email: ' Grace.H@Example.COM ', phone: '030 1234567', company: 'Cobol Corp' } });
    const res = await request(t.http).post('/leads').send(body).expect(201);
    const { leadId } = res.body as { leadId: string };
    expect(res.headers['location']).toBe(`/leads/${leadId}`);
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.headers['etag']).toBe('"0"');
    expect(lead.body).toMatchObject({
      leadId,
      status: 'captured',
      source: 'trade-fair',
      contact: { name: { fullName: 'Grace Hopper' }, email: 'grace.h@example.com', phone: '+49301234567', company: 'Cobol Corp' },
      interest: 'Fleet licence for 40 seats',
      revision: 0,
    });
    const stored = await storedEventText(t, [leadStream(leadId)]);
    expect(stored).toContain('enc:v1:');
    expect(stored).not.toMatch(/Grace|grace\.h@example\.com|49301234567|Cobol|Fleet licence/);
  });

  it('qualifies, disqualifies with a reason, and qualifies again', async () => {
    const { id } = await captureLead(t);
    await request(t.http).post(`/leads/${id}/qualify`).expect(200, { leadId: id, revision: 1 });
    await request(t.http).post(`/leads/${id}/disqualify`).send({ reason: 'No budget this year' }).expect(200, { leadId: id, revision: 2 });
    expect((await request(t.http).get(`/leads/${id}`).expect(200)).body).toMatchObject({ status: 'disqualified', disqualifiedReason: 'No budget this year' });
    const refused = await request(t.http).post(`/leads/${id}/convert`).send({}).expect(422);
    expect(refused.body).toMatchObject({ code: 'LEAD_DISQUALIFIED', details: { leadId: id } });
    await request(t.http).post(`/leads/${id}/qualify`).expect(200, { leadId: id, revision: 3 });
  });

  it('converts to a new customer opening an opportunity without a customer, linked to the lead; a replayed key appends nothing', async () => {
    const { id: leadId } = await captureLead(t);
    const { id: pipelineId } = await definePipeline(t);
    const key = randomUUID();
    const body = { opportunity: { pipelineId, stageId: 'proposal', title: 'Fleet licence', amount: { amount: '48000.00', currency: 'eur' }, expectedCloseDate: '2030-09-30' } };
    const first = await request(t.http).post(`/leads/${leadId}/convert`).set('Idempotency-Key', key).send(body).expect(200);
    const { opportunityId } = first.body as { opportunityId: string };
    expect(first.body).toEqual({ leadId, revision: 1, opportunityId });
    const replay = await request(t.http).post(`/leads/${leadId}/convert`).set('Idempotency-Key', key).send(body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect((await readSalesStream(t, leadStream(leadId))).map((e) => e.type)).toEqual(['LeadCaptured', 'LeadConverted']);
    expect((await readSalesStream(t, opportunityStream(opportunityId))).map((e) => e.type)).toEqual(['OpportunityOpened']);

    const opportunity = await request(t.http).get(`/opportunities/${opportunityId}`).expect(200);
    expect(opportunity.body).toMatchObject({ status: 'open', leadId, pipelineId, stage: { id: 'proposal' }, amount: { amount: '48000.00', currency: 'EUR' } });
    expect(opportunity.body).not.toHaveProperty('customerId');
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ status: 'converted', conversion: { target: { kind: 'new-customer' }, opportunity: { opportunityId } } });
  });

  it('converts to an existing customer, retries the conversion, and refuses another target', async () => {
    const { id: leadId } = await captureLead(t);
    const customerId = randomUUID();
    await request(t.http).post(`/leads/${leadId}/convert`).send({ customerId }).expect(200, { leadId, revision: 1 });
    await request(t.http).post(`/leads/${leadId}/conversion/retry`).expect(200, { leadId, revision: 2 });
    const other = await request(t.http).post(`/leads/${leadId}/convert`).send({ customerId: randomUUID() }).expect(422);
    expect(other.body).toMatchObject({ code: 'LEAD_ALREADY_CONVERTED' });
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    expect((history.body as { events: { type: string }[] }).events.map((e) => e.type)).toEqual(['LeadCaptured', 'LeadConverted', 'LeadConversionRetried']);
  });

  it('refuses a conversion whose opportunity names a stage the pipeline does not have, and opens nothing', async () => {
    const { id: leadId } = await captureLead(t);
    const { id: pipelineId } = await definePipeline(t);
    const opportunityId = randomUUID();
    const res = await request(t.http)
      .post(`/leads/${leadId}/convert`)
      .send({ opportunity: { opportunityId, pipelineId, stageId: 'closing', title: 'Fleet', amount: { amount: '1', currency: 'EUR' } } })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_STAGE' });
    await request(t.http).get(`/opportunities/${opportunityId}`).expect(404);
    expect((await request(t.http).get(`/leads/${leadId}`).expect(200)).body).toMatchObject({ status: 'captured' });
  });

  it('erases a lead: its contact is gone from state and history, and it refuses what would write about the person', async () => {
    const { id: leadId } = await captureLead(t);
    await request(t.http).post(`/leads/${leadId}/disqualify`).send({ reason: 'Asked not to be called' }).expect(200);
    await request(t.http).post(`/leads/${leadId}/erase`).send({ reason: 'data_subject_request' }).expect(200, { leadId, revision: 2 });
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ leadId, status: 'disqualified', source: 'trade-fair' });
    expect(lead.body).not.toHaveProperty('contact');
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    expect(JSON.stringify(history.body)).not.toMatch(/Grace|Cobol|Asked not to be called/);
    const refused = await request(t.http).post(`/leads/${leadId}/qualify`).expect(422);
    expect(refused.body).toMatchObject({ code: 'LEAD_ERASED' });
    const { rows } = await t.db.pool.query('SELECT wrapped_key FROM sales.lead_data_keys WHERE lead_id = $1', [leadId]);
    expect(rows).toEqual([{ wrapped_key: null }]);
  });

  it('answers 404 for a lead that does not exist', async () => {
    const res = await request(t.http).post(`/leads/${randomUUID()}/qualify`).expect(404);
    expect(res.body).toMatchObject({ code: 'LEAD_NOT_FOUND' });
  });
});
