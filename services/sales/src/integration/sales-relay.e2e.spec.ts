// The sales relay over the real stack: HTTP command → event store → relay → Kafka, as CloudEvents keyed by the
// aggregate id with contract-valid payloads; lead.converted carries the contact in clear, again on a retry, and
// never once the lead's key is destroyed.
import { validate, validateHeaders } from '@crm/contracts';
import { DataKeyring, type EventStore } from '@crm/event-store';
import request from 'supertest';
import { leadStream } from '../domain';
import {
  captureLead,
  definePipeline,
  leadBody,
  openOpportunity,
  readSalesStream,
  readSalesTopic,
  scheduleActivity,
  startSalesApp,
  typesOf,
  waitForMessages,
  type SalesTestApp,
  type TopicMessage,
} from '../infrastructure/__fixtures__/sales-test-app';
import { SALES_EVENT_STORE } from '../infrastructure/tokens';
import { SalesIntegrationFeed } from './sales-integration-feed';

let t: SalesTestApp;
let feed: Awaited<ReturnType<typeof readSalesTopic>>;
beforeAll(async () => {
  t = await startSalesApp('relay');
  feed = await readSalesTopic(t);
});
afterAll(async () => {
  await feed?.stop();
  await t?.close();
});

const payloadOf = (message: TopicMessage): Record<string, unknown> => JSON.parse(message.value) as Record<string, unknown>;

function expectValid(messages: readonly TopicMessage[], key: string): void {
  for (const message of messages) {
    expect(message.key).toBe(key);
    expect(validateHeaders(message.headers).ok).toBe(true);
    expect(message.headers).toMatchObject({ ce_source: '/crm/sales', ce_subject: key, 'content-type': 'application/json' });
    expect(validate(message.headers['ce_type'] ?? '', payloadOf(message))).toMatchObject({ ok: true });
  }
}

describe('the sales relay', () => {
  it('publishes a lead converted into a new customer with its contact in clear, the opportunity it opened, and a retry with the same payload', async () => {
    const body = leadBody();
    const { id: leadId } = await captureLead(t, body);
    const { id: pipelineId } = await definePipeline(t);
    await request(t.http).post(`/leads/${leadId}/qualify`).set('x-correlation-id', 'corr-sales-1').expect(200);
    const converted = await request(t.http)
      .post(`/leads/${leadId}/convert`)
      .send({ opportunity: { pipelineId, title: 'Fleet licence', amount: { amount: '48000.00', currency: 'EUR' } } })
      .expect(200);
    const { opportunityId } = converted.body as { opportunityId: string };
    await request(t.http).post(`/leads/${leadId}/conversion/retry`).expect(200);

    const leadMessages = await waitForMessages(feed, leadId, (m) => m.length >= 4);
    expect(typesOf(leadMessages)).toEqual(['crm.lead.captured.v1', 'crm.lead.qualified.v1', 'crm.lead.converted.v1', 'crm.lead.converted.v1']);
    expectValid(leadMessages, leadId);
    expect(leadMessages[1]!.headers['crm_correlation_id']).toBe('corr-sales-1');
    expect(payloadOf(leadMessages[0]!)).toMatchObject({ leadId, source: 'trade-fair', contact: body['contact'], ownerId: 'auth0|owner-1' });
    const conversion = { leadId, opportunityId, customer: { kind: 'new-customer', contact: body['contact'] } };
    expect(payloadOf(leadMessages[2]!)).toEqual(conversion);
    expect(payloadOf(leadMessages[3]!)).toEqual(conversion);
    expect(leadMessages[3]!.headers['ce_id']).not.toBe(leadMessages[2]!.headers['ce_id']);

    const [opened] = await waitForMessages(feed, opportunityId, (m) => m.length >= 1);
    expectValid([opened!], opportunityId);
    expect(payloadOf(opened!)).toEqual({
      opportunityId,
      pipelineId,
      stage: { id: 'qualification', name: 'Qualification', winProbability: 0.1 },
      title: 'Fleet licence',
      amount: { amount: '48000.00', currency: 'EUR' },
      leadId,
    });
  });

  it('publishes an opportunity through its stages, amount changes left out, and a lost reason', async () => {
    const { id: pipelineId } = await definePipeline(t);
    const { id: opportunityId, customerId } = await openOpportunity(t, pipelineId);
    await request(t.http).post(`/opportunities/${opportunityId}/stage`).send({ stageId: 'proposal' }).expect(200);
    await request(t.http).post(`/opportunities/${opportunityId}/amount`).send({ amount: { amount: '50000', currency: 'EUR' } }).expect(200);
    await request(t.http).post(`/opportunities/${opportunityId}/lost`).send({ reason: 'Chose a competitor' }).expect(200);
    await request(t.http).post(`/opportunities/${opportunityId}/reopen`).send({}).expect(200);
    await request(t.http).post(`/opportunities/${opportunityId}/won`).expect(200);

    const messages = await waitForMessages(feed, opportunityId, (m) => m.length >= 5);
    expectValid(messages, opportunityId);
    expect(typesOf(messages)).toEqual([
      'crm.opportunity.opened.v1',
      'crm.opportunity.stage-changed.v1',
      'crm.opportunity.lost.v1',
      'crm.opportunity.reopened.v1',
      'crm.opportunity.won.v1',
    ]);
    expect(messages.map((m) => m.headers['crm_stream_revision'])).toEqual(['0', '1', '3', '4', '5']);
    expect(payloadOf(messages[0]!)).toMatchObject({ customerId });
    expect(payloadOf(messages[4]!)).toEqual({ opportunityId, amount: { amount: '50000', currency: 'EUR' }, customerId });
  });

  it('publishes activities as scheduled, rescheduled and completed', async () => {
    const { id: activityId } = await scheduleActivity(t);
    await request(t.http).post(`/activities/${activityId}/reschedule`).send({ dueAt: '2030-02-01T10:00:00+01:00' }).expect(200);
    await request(t.http).post(`/activities/${activityId}/complete`).send({ outcome: 'They will sign' }).expect(200);
    const messages = await waitForMessages(feed, activityId, (m) => m.length >= 3);
    expectValid(messages, activityId);
    expect(typesOf(messages)).toEqual(['crm.activity.scheduled.v1', 'crm.activity.rescheduled.v1', 'crm.activity.completed.v1']);
    expect(payloadOf(messages[1]!)).toEqual({ activityId, dueAt: '2030-02-01T10:00:00+01:00' });
    expect(messages[2]!.value).not.toContain('They will sign');
  });

  it('publishes lead.erased, and once the key is destroyed no event of the lead carries its contact any more', async () => {
    const { id: leadId } = await captureLead(t);
    await request(t.http).post(`/leads/${leadId}/convert`).send({}).expect(200);
    const [captured, converted] = await readSalesStream(t, leadStream(leadId));
    await request(t.http).post(`/leads/${leadId}/erase`).send({ reason: 'data_subject_request' }).expect(200);

    const messages = await waitForMessages(feed, leadId, (m) => typesOf(m).includes('crm.lead.erased.v1'));
    expect(payloadOf(messages.at(-1)!)).toEqual({ leadId });
    // A relay that reads these events only now (lagging, or on a replica with the key still cached) publishes neither.
    const relayFeed = new SalesIntegrationFeed(t.app.get<EventStore>(SALES_EVENT_STORE), t.app.get(DataKeyring));
    for (const event of [captured!, converted!]) {
      expect((event.data as { contact?: unknown }).contact ?? (event.data as { customer: { contact?: unknown } }).customer.contact).toBeDefined();
      expect(await relayFeed.expand(event)).toMatchObject({ type: event.type });
    }
  });
});
