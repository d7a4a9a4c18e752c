// The internal lead and opportunity events carry everything their crm.sales.v1 integration events need: each is
// mapped here as the relay will, and the payload is checked against the published JSON Schema (and its type).
import { validate, type ContractType, type PayloadOf } from '@crm/contracts';
import { assertNever, fold, type Decider, type Event } from '@crm/event-store';
import { CUSTOMER, draft, grace, LEAD, OPPORTUNITY, OWNER, pipeline, SURVIVOR, t } from './__fixtures__/sales.fixtures';
import { leadDecider } from './lead/lead.decider';
import type { LeadEvent } from './lead/lead.events';
import { opportunityDecider } from './opportunity/opportunity.decider';
import type { OpportunityEvent } from './opportunity/opportunity.events';

type SalesType = Extract<ContractType, `crm.lead.${string}` | `crm.opportunity.${string}`>;
/** A crm.sales.v1 event as the relay publishes it: the mappers below type-check against the contract types. */
type Published = { [T in SalesType]: { type: T; payload: PayloadOf<T> } }[SalesType];

function leadToIntegration(event: LeadEvent): Published | undefined {
  const { leadId } = event.data;
  switch (event.type) {
    case 'LeadCaptured': {
      const { source, contact, interest, ownerId } = event.data;
      return { type: 'crm.lead.captured.v1', payload: { leadId, source, contact, interest, ownerId } };
    }
    case 'LeadQualified':
      return { type: 'crm.lead.qualified.v1', payload: { leadId } };
    case 'LeadDisqualified':
      return { type: 'crm.lead.disqualified.v1', payload: { leadId, reason: event.data.reason } };
    case 'LeadConverted':
      return { type: 'crm.lead.converted.v1', payload: { leadId, opportunityId: event.data.opportunity?.opportunityId, customer: event.data.customer } };
    case 'LeadConversionRetried':
      return { type: 'crm.lead.converted.v1', payload: { leadId, opportunityId: event.data.opportunityId, customer: event.data.customer } };
    case 'LeadContactErased':
      return { type: 'crm.lead.erased.v1', payload: { leadId } };
    case 'LeadCustomerLinked':
      return undefined;
    default:
      return assertNever(event);
  }
}

function opportunityToIntegration(event: OpportunityEvent): Published | undefined {
  const { opportunityId } = event.data;
  switch (event.type) {
    case 'OpportunityOpened': {
      const { openedAt: _internal, ...payload } = event.data;
      return { type: 'crm.opportunity.opened.v1', payload };
    }
    case 'OpportunityStageChanged': {
      const { pipelineId, from, to } = event.data;
      return { type: 'crm.opportunity.stage-changed.v1', payload: { opportunityId, pipelineId, from, to } };
    }
    case 'OpportunityWon':
      return { type: 'crm.opportunity.won.v1', payload: { opportunityId, amount: event.data.amount, customerId: event.data.customerId } };
    case 'OpportunityLost':
      return { type: 'crm.opportunity.lost.v1', payload: { opportunityId, reason: event.data.reason } };
    case 'OpportunityReopened':
      return { type: 'crm.opportunity.reopened.v1', payload: { opportunityId, stage: event.data.stage } };
    case 'OpportunityCustomerLinked': {
      const { customerId, previousCustomerId, leadId } = event.data;
      return { type: 'crm.opportunity.customer-linked.v1', payload: { opportunityId, customerId, previousCustomerId, leadId } };
    }
    case 'OpportunityAmountChanged':
    case 'OpportunityCloseDateChanged':
    case 'OpportunityReassigned':
      return undefined;
    default:
      return assertNever(event);
  }
}

/** The events the commands decide, one after the other, on one stream. */
function run<C extends { type: string; data: object }, E extends Event, S>(decider: Decider<C, E, S>, commands: readonly C[]): E[] {
  const history: E[] = [];
  for (const command of commands) history.push(...decider.decide(command, fold(decider, history)));
  return history;
}

const expectValid = (published: Published) => {
  const result = validate(published.type, JSON.parse(JSON.stringify(published.payload)));
  expect(result.ok ? [] : result.errors).toEqual([]);
};

describe('internal events against the crm.sales.v1 contracts', () => {
  it('maps every published lead event to a valid payload', () => {
    const leadId = LEAD;
    const events = run(leadDecider, [
      { type: 'CaptureLead', data: { leadId, source: 'trade-fair', contact: grace, interest: 'Fleet licence', ownerId: OWNER, at: t(0) } },
      { type: 'DisqualifyLead', data: { leadId, reason: 'No budget', at: t(1) } },
      { type: 'QualifyLead', data: { leadId, at: t(2) } },
      { type: 'ConvertLead', data: { leadId, customer: { kind: 'new-customer' }, opportunity: draft, at: t(3) } },
      { type: 'RetryConversion', data: { leadId, at: t(4) } },
      { type: 'LinkLeadCustomer', data: { leadId, customerId: CUSTOMER, how: 'registered', at: t(5) } },
      { type: 'EraseLeadContact', data: { leadId, reason: 'customer_erased', at: t(6) } },
    ]);
    const published = events.map(leadToIntegration).filter((p) => p !== undefined);
    expect(published.map((p) => p.type)).toEqual([
      'crm.lead.captured.v1',
      'crm.lead.disqualified.v1',
      'crm.lead.qualified.v1',
      'crm.lead.converted.v1',
      'crm.lead.converted.v1',
      'crm.lead.erased.v1',
    ]);
    published.forEach(expectValid);
  });

  it('maps every published opportunity event to a valid payload', () => {
    const opportunityId = OPPORTUNITY;
    const { title, amount } = draft;
    const events = run(opportunityDecider, [
      { type: 'OpenOpportunity', data: { opportunityId, pipeline, title, amount, expectedCloseDate: '2025-03-31', leadId: LEAD, at: t(0) } },
      { type: 'LinkCustomer', data: { opportunityId, customerId: CUSTOMER, leadId: LEAD, at: t(1) } },
      { type: 'MoveToStage', data: { opportunityId, stageId: 'proposal', pipeline, at: t(2) } },
      { type: 'ChangeAmount', data: { opportunityId, amount: { amount: '45000.5', currency: 'EUR' }, at: t(3) } },
      { type: 'MarkLost', data: { opportunityId, reason: 'Chose a competitor', at: t(4) } },
      { type: 'Reopen', data: { opportunityId, pipeline, at: t(5) } },
      { type: 'MarkWon', data: { opportunityId, at: t(6) } },
      { type: 'MoveToSurvivor', data: { opportunityId, fromCustomerId: CUSTOMER, toCustomerId: SURVIVOR, at: t(7) } },
    ]);
    const published = events.map(opportunityToIntegration).filter((p) => p !== undefined);
    expect(published.map((p) => p.type)).toEqual([
      'crm.opportunity.opened.v1',
      'crm.opportunity.customer-linked.v1',
      'crm.opportunity.stage-changed.v1',
      'crm.opportunity.lost.v1',
      'crm.opportunity.reopened.v1',
      'crm.opportunity.won.v1',
      'crm.opportunity.customer-linked.v1',
    ]);
    published.forEach(expectValid);
  });
});
