// The conversion process: which sales commands each customers-service event causes, and the whole saga run
// in memory on the deciders, redeliveries included.
import type { CustomerRegisteredV1, CustomersEvent } from '@crm/contracts';
import { fold, type Decider, type Event } from '@crm/event-store';
import { CUSTOMER, draft, grace, LEAD, OPPORTUNITY, OTHER_PIPELINE, pipeline, SURVIVOR, t } from '../__fixtures__/sales.fixtures';
import { SalesRuleViolation } from '../errors';
import type { LeadCommand } from '../lead/lead.commands';
import { leadDecider } from '../lead/lead.decider';
import type { LeadConverted, LeadEvent } from '../lead/lead.events';
import type { OpportunityCommand } from '../opportunity/opportunity.commands';
import { opportunityDecider } from '../opportunity/opportunity.decider';
import type { OpportunityEvent } from '../opportunity/opportunity.events';
import {
  conversionCommands,
  onCustomerErased,
  onCustomerLeadLinked,
  onCustomerMerged,
  onCustomerRegistered,
  openingOf,
  type ConversionCommand,
} from './conversion.process';

const OTHER_LEAD = 'd4b2f5c3-7e6a-4f8b-9cad-1e2f3a4b5c6d';
const SECOND_OPPORTUNITY = 'aa8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
const at = t(30);

const registeredPayload = (leadId?: string): CustomerRegisteredV1 => ({ customerId: CUSTOMER, contact: grace, tags: [], ...(leadId && { leadId }) });
const registered = (leadId?: string): CustomersEvent => ({ type: 'crm.customer.registered.v1', payload: registeredPayload(leadId) });
const leadLinked: CustomersEvent = { type: 'crm.customer.lead-linked.v1', payload: { customerId: CUSTOMER, leadId: LEAD } };
const merged: CustomersEvent = { type: 'crm.customer.merged.v1', payload: { customerId: CUSTOMER, survivorId: SURVIVOR } };
const erased: CustomersEvent = { type: 'crm.customer.erased.v1', payload: { customerId: CUSTOMER } };

const linkLead = (how: 'registered' | 'linked-existing'): ConversionCommand => ({
  type: 'LinkLeadCustomer',
  data: { leadId: LEAD, customerId: CUSTOMER, how, at },
});
const linkOpportunity: ConversionCommand = { type: 'LinkCustomer', data: { opportunityId: OPPORTUNITY, customerId: CUSTOMER, leadId: LEAD, at } };

describe('onCustomerRegistered and onCustomerLeadLinked', () => {
  it('links the lead and the opportunity its conversion opened to the registered customer', () => {
    expect(onCustomerRegistered(registeredPayload(LEAD), at, { leadId: LEAD, opportunityId: OPPORTUNITY })).toEqual([
      linkLead('registered'),
      linkOpportunity,
    ]);
  });

  it('links the lead alone when its conversion opened no opportunity', () => {
    expect(conversionCommands(registered(LEAD), at, { lead: { leadId: LEAD } })).toEqual([linkLead('registered')]);
  });

  it('links a matched existing customer the same way', () => {
    expect(onCustomerLeadLinked({ customerId: CUSTOMER, leadId: LEAD }, at, { leadId: LEAD, opportunityId: OPPORTUNITY })).toEqual([
      linkLead('linked-existing'),
      linkOpportunity,
    ]);
  });

  it('does nothing for a customer registered without a lead, or for a lead sales does not have', () => {
    expect(conversionCommands(registered(), at, { lead: { leadId: LEAD } })).toEqual([]);
    expect(conversionCommands(registered(LEAD), at, {})).toEqual([]);
    expect(conversionCommands(leadLinked, at, { lead: { leadId: OTHER_LEAD, opportunityId: OPPORTUNITY } })).toEqual([]);
  });
});

describe('onCustomerMerged and onCustomerErased', () => {
  it('moves every opportunity of the merged customer to the survivor, once each', () => {
    const move = (opportunityId: string): ConversionCommand => ({
      type: 'MoveToSurvivor',
      data: { opportunityId, fromCustomerId: CUSTOMER, toCustomerId: SURVIVOR, at },
    });
    expect(conversionCommands(merged, at, { opportunityIdsOfCustomer: [OPPORTUNITY, SECOND_OPPORTUNITY, OPPORTUNITY] })).toEqual([
      move(OPPORTUNITY),
      move(SECOND_OPPORTUNITY),
    ]);
    expect(onCustomerMerged({ customerId: CUSTOMER, survivorId: SURVIVOR }, at, [])).toEqual([]);
  });

  it('erases the contact data of every lead converted into the erased customer', () => {
    const erase = (leadId: string): ConversionCommand => ({ type: 'EraseLeadContact', data: { leadId, reason: 'customer_erased', at } });
    expect(conversionCommands(erased, at, { leadIdsOfCustomer: [LEAD, OTHER_LEAD] })).toEqual([erase(LEAD), erase(OTHER_LEAD)]);
    expect(onCustomerErased({ customerId: CUSTOMER }, at, [])).toEqual([]);
  });

  it('does nothing for the customers events it does not follow', () => {
    const tagged: CustomersEvent = { type: 'crm.customer.tagged.v1', payload: { customerId: CUSTOMER, tags: ['vip'] } };
    expect(conversionCommands(tagged, at, { lead: { leadId: LEAD }, opportunityIdsOfCustomer: [OPPORTUNITY], leadIdsOfCustomer: [LEAD] })).toEqual([]);
  });
});

describe('openingOf', () => {
  const converted = (opportunity = draft, customer: LeadConverted['data']['customer'] = { kind: 'new-customer', contact: grace }): LeadConverted => ({
    type: 'LeadConverted',
    data: { leadId: LEAD, customer, opportunity, convertedAt: t(3) },
  });

  it('opens the conversion opportunity without a customer, for the lead, at the conversion time', () => {
    const { opportunityId, title, amount, expectedCloseDate, ownerId } = draft;
    const expected: OpportunityCommand = {
      type: 'OpenOpportunity',
      data: { opportunityId, pipeline, title, amount, expectedCloseDate, ownerId, leadId: LEAD, at: t(3) },
    };
    expect(openingOf(converted(), pipeline)).toEqual(expected);
    expect(openingOf(converted(draft, { kind: 'existing-customer', customerId: CUSTOMER }), pipeline)).toEqual(expected);
    expect(openingOf(converted({ ...draft, stageId: 'proposal' }), pipeline)?.data).toMatchObject({ stageId: 'proposal' });
  });

  it('opens nothing for a conversion without an opportunity', () => {
    const { opportunity: _none, ...data } = converted().data;
    expect(openingOf({ type: 'LeadConverted', data }, pipeline)).toBeUndefined();
  });

  it('refuses the definition of another pipeline', () => {
    expect(() => openingOf(converted(), { ...pipeline, pipelineId: OTHER_PIPELINE })).toThrow(SalesRuleViolation);
  });
});

describe('the conversion saga, in memory', () => {
  /** One stream: its events so far, and a way to run a command on them. */
  function stream<C, E extends Event, S>(decider: Decider<C & { type: string; data: object }, E, S>, history: E[] = []) {
    return {
      history,
      run(command: C & { type: string; data: object }): readonly E[] {
        const events = decider.decide(command, fold(decider, history));
        history.push(...events);
        return events;
      },
      state: () => fold(decider, history),
    };
  }

  function convertWithOpportunity() {
    const lead = stream<LeadCommand, LeadEvent, ReturnType<typeof leadDecider.initialState>>(leadDecider);
    const opportunity = stream<OpportunityCommand, OpportunityEvent, ReturnType<typeof opportunityDecider.initialState>>(opportunityDecider);
    lead.run({ type: 'CaptureLead', data: { leadId: LEAD, source: 'trade-fair', contact: grace, at: t(0) } });
    // As the handler does it: decide the conversion, open its opportunity first, then append the conversion.
    const [conversion] = leadDecider.decide(
      { type: 'ConvertLead', data: { leadId: LEAD, customer: { kind: 'new-customer' }, opportunity: draft, at: t(3) } },
      lead.state(),
    );
    opportunity.run(openingOf(conversion as LeadConverted, pipeline)!);
    lead.history.push(conversion!);
    return { lead, opportunity };
  }

  const apply = (commands: ConversionCommand[], lead: { run(c: LeadCommand): readonly LeadEvent[] }, opportunity: { run(c: OpportunityCommand): readonly OpportunityEvent[] }) =>
    commands.flatMap<LeadEvent | OpportunityEvent>((command) =>
      command.type === 'LinkLeadCustomer' || command.type === 'EraseLeadContact' ? lead.run(command) : opportunity.run(command),
    );

  it('links lead and opportunity once, however often the customers service answer is delivered', () => {
    const { lead, opportunity } = convertWithOpportunity();
    const known = { lead: { leadId: LEAD, opportunityId: OPPORTUNITY } };
    expect(apply(conversionCommands(registered(LEAD), at, known), lead, opportunity).map((e) => e.type)).toEqual([
      'LeadCustomerLinked',
      'OpportunityCustomerLinked',
    ]);
    expect(apply(conversionCommands(registered(LEAD), at, known), lead, opportunity)).toEqual([]);
    expect(lead.state()).toMatchObject({ status: 'customer-linked', customerId: CUSTOMER, how: 'registered' });
    expect(opportunity.state()).toMatchObject({ status: 'open', customerId: CUSTOMER, leadId: LEAD });
  });

  it('follows a merge and an erasure, and redeliveries of both change nothing more', () => {
    const { lead, opportunity } = convertWithOpportunity();
    apply(conversionCommands(leadLinked, at, { lead: { leadId: LEAD, opportunityId: OPPORTUNITY } }), lead, opportunity);
    for (let delivery = 0; delivery < 2; delivery++) {
      apply(conversionCommands(merged, at, { opportunityIdsOfCustomer: [OPPORTUNITY] }), lead, opportunity);
      apply(conversionCommands(erased, at, { leadIdsOfCustomer: [LEAD] }), lead, opportunity);
    }
    expect(opportunity.history.map((e) => e.type)).toEqual(['OpportunityOpened', 'OpportunityCustomerLinked', 'OpportunityCustomerLinked']);
    expect(opportunity.state()).toMatchObject({ customerId: SURVIVOR });
    expect(lead.history.map((e) => e.type)).toEqual(['LeadCaptured', 'LeadConverted', 'LeadCustomerLinked', 'LeadContactErased']);
    expect(lead.state()).not.toHaveProperty('contact');
  });
});
