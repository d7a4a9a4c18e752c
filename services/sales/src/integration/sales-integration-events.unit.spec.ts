// Internal sales events → crm.sales.v1: every published payload satisfies its contract; shredded personal data
// and internal-only events publish nothing; a retried conversion publishes the conversion's very payload.
import { validate } from '@crm/contracts';
import { ACTIVITY, CUSTOMER, LEAD, OPPORTUNITY, PIPELINE, eur, grace, negotiation, proposal, qualification, stages, t } from '../domain/__fixtures__/sales.fixtures';
import type { ActivityEvent, LeadEvent, OpportunityEvent } from '../domain';
import { LeadEventCodec } from '../infrastructure/lead-data-keys';
import { activityIntegrationEvent, integrationEventOf, leadIntegrationEvent, opportunityIntegrationEvent } from './sales-integration-events';

const draft = { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, title: 'Fleet', amount: eur('100.00') };

const leadEvents: LeadEvent[] = [
  { type: 'LeadCaptured', data: { leadId: LEAD, source: 'web', contact: grace, interest: 'Fleet', capturedAt: t(0) } },
  { type: 'LeadQualified', data: { leadId: LEAD, at: t(1) } },
  { type: 'LeadDisqualified', data: { leadId: LEAD, reason: 'No budget', at: t(2) } },
  { type: 'LeadConverted', data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, opportunity: draft, convertedAt: t(3) } },
  { type: 'LeadConversionRetried', data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, opportunityId: OPPORTUNITY, at: t(4) } },
  { type: 'LeadContactErased', data: { leadId: LEAD, reason: 'customer_erased', erasedAt: t(5) } },
];

const opportunityEvents: OpportunityEvent[] = [
  { type: 'OpportunityOpened', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: qualification, title: 'Fleet', amount: eur('1'), leadId: LEAD, openedAt: t(0) } },
  { type: 'OpportunityStageChanged', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, from: qualification, to: proposal, at: t(1) } },
  { type: 'OpportunityWon', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: negotiation, amount: eur('2'), customerId: CUSTOMER, at: t(2) } },
  { type: 'OpportunityLost', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: proposal, reason: 'Price', at: t(3) } },
  { type: 'OpportunityReopened', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: proposal, at: t(4) } },
  { type: 'OpportunityCustomerLinked', data: { opportunityId: OPPORTUNITY, customerId: CUSTOMER, leadId: LEAD, at: t(5) } },
];

const activityEvents: ActivityEvent[] = [
  { type: 'ActivityScheduled', data: { activityId: ACTIVITY, kind: 'call', subject: 'Call', dueAt: t(60), remindAt: t(30), leadId: LEAD, scheduledAt: t(0) } },
  { type: 'ActivityRescheduled', data: { activityId: ACTIVITY, dueAt: '2025-01-01T12:00:00+02:00', at: t(1) } },
  { type: 'ActivityCompleted', data: { activityId: ACTIVITY, outcome: 'Signed', at: t(2) } },
  { type: 'ActivityCancelled', data: { activityId: ACTIVITY, reason: 'Ill', at: t(3) } },
  { type: 'ActivityReminderDue', data: { activityId: ACTIVITY, kind: 'call', dueAt: t(60), remindAt: t(30), at: t(31) } },
];

describe('sales integration events', () => {
  it.each([...leadEvents.map((e) => ['lead', e] as const), ...opportunityEvents.map((e) => ['opportunity', e] as const), ...activityEvents.map((e) => ['activity', e] as const)])(
    'publishes %s %# as a contract-valid payload',
    (aggregate, event) => {
      const published = integrationEventOf({ aggregate, event } as Parameters<typeof integrationEventOf>[0]);
      expect(published).not.toBeNull();
      expect(validate(published!.type, published!.payload)).toMatchObject({ ok: true });
    },
  );

  it('publishes a retried conversion with the payload of the conversion', () => {
    const [, , , converted, retried] = leadEvents;
    expect(leadIntegrationEvent(retried!)).toEqual(leadIntegrationEvent(converted!));
    expect(leadIntegrationEvent(converted!)?.payload).toEqual({ leadId: LEAD, opportunityId: OPPORTUNITY, customer: { kind: 'new-customer', contact: grace } });
  });

  it('publishes nothing whose personal values were shredded, but an existing-customer conversion still', () => {
    for (const event of leadEvents.filter((e) => e.type !== 'LeadQualified' && e.type !== 'LeadContactErased')) {
      expect(leadIntegrationEvent(LeadEventCodec.shredded(event))).toBeNull();
    }
    const existing: LeadEvent = { type: 'LeadConverted', data: { leadId: LEAD, customer: { kind: 'existing-customer', customerId: CUSTOMER }, convertedAt: t(3) } };
    expect(leadIntegrationEvent(LeadEventCodec.shredded(existing))?.payload).toEqual({ leadId: LEAD, customer: { kind: 'existing-customer', customerId: CUSTOMER } });
  });

  it('keeps internal events, pipelines and activity free text in the service', () => {
    expect(integrationEventOf({ aggregate: 'pipeline', event: { type: 'PipelineDefined', data: { pipelineId: PIPELINE, name: 'P', stages, definedAt: t(0) } } })).toBeNull();
    expect(leadIntegrationEvent({ type: 'LeadCustomerLinked', data: { leadId: LEAD, customerId: CUSTOMER, how: 'registered', at: t(0) } })).toBeNull();
    expect(opportunityIntegrationEvent({ type: 'OpportunityAmountChanged', data: { opportunityId: OPPORTUNITY, amount: eur('3'), at: t(0) } })).toBeNull();
    expect(opportunityIntegrationEvent({ type: 'OpportunityReassigned', data: { opportunityId: OPPORTUNITY, ownerId: 'u', at: t(0) } })).toBeNull();
    expect(JSON.stringify(activityIntegrationEvent(activityEvents[2]!))).not.toContain('Signed');
    expect(JSON.stringify(activityIntegrationEvent(activityEvents[3]!))).not.toContain('Ill');
  });
});
