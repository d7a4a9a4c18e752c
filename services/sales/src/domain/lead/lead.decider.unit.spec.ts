// A lead's life: captured, qualified or disqualified, converted, linked to its customer by the saga.
import { fold } from '@crm/event-store';
import { DeciderSpecification } from '@crm/testing';
import { CUSTOMER, draft, eur, grace, LEAD, OPPORTUNITY, OWNER, SURVIVOR, t } from '../__fixtures__/sales.fixtures';
import { SalesAlreadyExistsError, SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { Contact } from '../values';
import type { ConversionTarget, LeadCommand, OpportunityDraft } from './lead.commands';
import { leadDecider } from './lead.decider';
import type { LeadEvent } from './lead.events';

const spec = DeciderSpecification.for(leadDecider);

const capture = (overrides: Partial<{ source: string; contact: Contact; interest: string; ownerId: string }> = {}): LeadCommand => ({
  type: 'CaptureLead',
  data: { leadId: LEAD, source: 'trade-fair', contact: grace, interest: 'Fleet licence', ownerId: OWNER, at: t(0), ...overrides },
});
const captured: LeadEvent = {
  type: 'LeadCaptured',
  data: { leadId: LEAD, source: 'trade-fair', contact: grace, interest: 'Fleet licence', ownerId: OWNER, capturedAt: t(0) },
};
/** What every captured lead's state holds. */
const facts = { leadId: LEAD, source: 'trade-fair', contact: grace, interest: 'Fleet licence', ownerId: OWNER, capturedAt: t(0) };
const qualify: LeadCommand = { type: 'QualifyLead', data: { leadId: LEAD, at: t(1) } };
const qualified: LeadEvent = { type: 'LeadQualified', data: { leadId: LEAD, at: t(1) } };
const disqualify = (reason = 'No budget this year'): LeadCommand => ({ type: 'DisqualifyLead', data: { leadId: LEAD, reason, at: t(2) } });
const disqualified = (reason = 'No budget this year'): LeadEvent => ({ type: 'LeadDisqualified', data: { leadId: LEAD, reason, at: t(2) } });
const newCustomer: ConversionTarget = { kind: 'new-customer' };
const existing = (customerId = CUSTOMER): ConversionTarget => ({ kind: 'existing-customer', customerId });
const convert = (customer: ConversionTarget = newCustomer, opportunity?: OpportunityDraft): LeadCommand => ({
  type: 'ConvertLead',
  data: { leadId: LEAD, customer, ...(opportunity && { opportunity }), at: t(3) },
});
const converted = (opportunity?: OpportunityDraft): LeadEvent => ({
  type: 'LeadConverted',
  data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, ...(opportunity && { opportunity }), convertedAt: t(3) },
});
const convertedToExisting: LeadEvent = {
  type: 'LeadConverted',
  data: { leadId: LEAD, customer: { kind: 'existing-customer', customerId: CUSTOMER }, convertedAt: t(3) },
};
const link = (customerId = CUSTOMER): LeadCommand => ({ type: 'LinkLeadCustomer', data: { leadId: LEAD, customerId, how: 'registered', at: t(4) } });
const linked: LeadEvent = { type: 'LeadCustomerLinked', data: { leadId: LEAD, customerId: CUSTOMER, how: 'registered', at: t(4) } };
const retry: LeadCommand = { type: 'RetryConversion', data: { leadId: LEAD, at: t(5) } };
const erase: LeadCommand = { type: 'EraseLeadContact', data: { leadId: LEAD, reason: 'customer_erased', at: t(9) } };
const erased: LeadEvent = { type: 'LeadContactErased', data: { leadId: LEAD, reason: 'customer_erased', erasedAt: t(9) } };

const rule = (code: string) => (e: SalesRuleViolation) => e.code === code && e.kind === 'rejected' && e.aggregate === 'lead';

describe('CaptureLead', () => {
  it('captures the lead with its contact, interest and owner', () => {
    spec.when(capture()).then(captured);
    spec.when(capture()).thenState({ status: 'captured', ...facts });
  });

  it('captures a lead with a name only, and keeps only the contract fields of the contact', () => {
    const command: LeadCommand = {
      type: 'CaptureLead',
      data: { leadId: LEAD, source: 'website', contact: { name: { fullName: 'Grace', nickname: 'Amazing' } } as Contact, at: t(0) },
    };
    spec.when(command).then({ type: 'LeadCaptured', data: { leadId: LEAD, source: 'website', contact: { name: { fullName: 'Grace' } }, capturedAt: t(0) } });
  });

  it('refuses a lead that is already captured', () => {
    spec.given(captured).when(capture()).thenThrows(SalesAlreadyExistsError, (e) => e.code === 'LEAD_ALREADY_CAPTURED' && e.kind === 'conflict');
  });

  it.each<[string, Parameters<typeof capture>[0], string]>([
    ['a blank source', { source: ' ' }, 'source'],
    ['a contact without a full name', { contact: { name: { fullName: '' } } }, 'contact.name.fullName'],
    ['a contact without a name', { contact: {} as Contact }, 'contact.name'],
    ['a malformed email', { contact: { ...grace, email: 'grace-at-example' } }, 'contact.email'],
    ['a phone not in E.164', { contact: { ...grace, phone: '030 123456' } }, 'contact.phone'],
    ['a company name too long', { contact: { ...grace, company: 'x'.repeat(201) } }, 'contact.company'],
    ['an interest too long', { interest: 'x'.repeat(1001) }, 'interest'],
    ['a blank owner', { ownerId: '' }, 'ownerId'],
  ])('refuses %s, naming the field and not the value', (_, overrides, field) => {
    spec
      .when(capture(overrides))
      .thenThrows(SalesRuleViolation, (e) => rule('INVALID_VALUE')(e) && e.details['field'] === field && !e.message.includes('grace'));
  });
});

describe('QualifyLead and DisqualifyLead', () => {
  it('qualifies a captured lead, and decides nothing for a qualified one', () => {
    spec.given(captured).when(qualify).then(qualified);
    spec.given([captured, qualified]).when(qualify).thenNothingHappened();
  });

  it('disqualifies a captured or qualified lead with a reason', () => {
    spec.given(captured).when(disqualify()).then(disqualified());
    spec.given([captured, qualified]).when(disqualify()).then(disqualified());
    spec.given([captured, qualified]).when(disqualify()).thenState({ status: 'disqualified', ...facts, disqualifiedReason: 'No budget this year' });
  });

  it('decides nothing for the same reason again, and records a new reason', () => {
    spec.given([captured, disqualified()]).when(disqualify()).thenNothingHappened();
    spec.given([captured, disqualified()]).when(disqualify('Bought elsewhere')).then(disqualified('Bought elsewhere'));
  });

  it('qualifies a disqualified lead again, forgetting the reason: budgets come back', () => {
    spec.given([captured, disqualified()]).when(qualify).then(qualified);
    spec.given([captured, disqualified()]).when(qualify).thenState({ status: 'qualified', ...facts });
  });

  it('refuses a blank or too long reason', () => {
    spec.given(captured).when(disqualify(' ')).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
    spec.given(captured).when(disqualify('x'.repeat(501))).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
  });

  it('refuses to (dis)qualify a converted lead', () => {
    for (const history of [[captured, converted()], [captured, converted(), linked]]) {
      spec.given(history).when(qualify).thenThrows(SalesRuleViolation, rule('LEAD_CONVERTED'));
      spec.given(history).when(disqualify()).thenThrows(SalesRuleViolation, rule('LEAD_CONVERTED'));
    }
  });
});

describe('ConvertLead', () => {
  it('converts a qualified lead into a new customer, carrying the contact for the customers service', () => {
    spec.given([captured, qualified]).when(convert()).then(converted());
  });

  it('converts a captured lead too: the conversion qualifies it', () => {
    spec.given(captured).when(convert()).then(converted());
  });

  it('converts with an opportunity to open, and waits for the customer', () => {
    spec.given(captured).when(convert(newCustomer, draft)).then(converted(draft));
    spec.given(captured).when(convert(newCustomer, draft)).thenState({
      status: 'converted',
      ...facts,
      conversion: { target: { kind: 'new-customer' }, opportunity: draft, convertedAt: t(3) },
    });
  });

  it('converts into an existing customer, which the customers service still confirms', () => {
    spec.given(captured).when(convert(existing())).then(convertedToExisting);
    spec.given(captured).when(convert(existing())).thenState({ status: 'converted', ...facts, conversion: { target: existing(), convertedAt: t(3) } });
  });

  it('decides nothing for the same conversion again, before and after the customer is linked', () => {
    spec.given([captured, converted(draft)]).when(convert(newCustomer, draft)).thenNothingHappened();
    spec.given([captured, converted(draft), linked]).when(convert(newCustomer, draft)).thenNothingHappened();
    spec.given([captured, convertedToExisting]).when(convert(existing())).thenNothingHappened();
  });

  it.each<[string, LeadCommand]>([
    ['another existing customer', convert(existing(SURVIVOR))],
    ['a new customer instead of an existing one', convert(newCustomer)],
    ['another opportunity', convert(existing(), draft)],
  ])('refuses a second conversion to %s', (_, command) => {
    spec.given([captured, convertedToExisting]).when(command).thenThrows(SalesRuleViolation, rule('LEAD_ALREADY_CONVERTED'));
  });

  it('refuses to convert a disqualified lead', () => {
    spec.given([captured, disqualified()]).when(convert()).thenThrows(SalesRuleViolation, rule('LEAD_DISQUALIFIED'));
  });

  it.each<[string, LeadCommand, string]>([
    ['an amount that is a float', convert(newCustomer, { ...draft, amount: { amount: 48000.5, currency: 'EUR' } as never }), 'INVALID_AMOUNT'],
    ['a negative amount', convert(newCustomer, { ...draft, amount: eur('-1') }), 'INVALID_AMOUNT'],
    ['a currency that is no ISO code', convert(newCustomer, { ...draft, amount: { amount: '1', currency: 'euro' } }), 'INVALID_AMOUNT'],
    ['a close date that does not exist', convert(newCustomer, { ...draft, expectedCloseDate: '2025-02-30' }), 'INVALID_VALUE'],
    ['a blank title', convert(newCustomer, { ...draft, title: '' }), 'INVALID_VALUE'],
    ['a blank customer id', convert(existing('')), 'INVALID_VALUE'],
  ])('refuses %s', (_, command, code) => {
    spec.given(captured).when(command).thenThrows(SalesRuleViolation, rule(code));
  });
});

describe('LinkLeadCustomer', () => {
  it('links the customer the customers service registered or matched', () => {
    spec.given([captured, converted()]).when(link()).then(linked);
    spec
      .given([captured, convertedToExisting])
      .when({ type: 'LinkLeadCustomer', data: { leadId: LEAD, customerId: SURVIVOR, how: 'linked-existing', at: t(4) } })
      .then({ type: 'LeadCustomerLinked', data: { leadId: LEAD, customerId: SURVIVOR, how: 'linked-existing', at: t(4) } });
    spec.given([captured, converted(draft)]).when(link()).thenState({
      status: 'customer-linked',
      ...facts,
      conversion: { target: { kind: 'new-customer' }, opportunity: draft, convertedAt: t(3) },
      customerId: CUSTOMER,
      how: 'registered',
      linkedAt: t(4),
    });
  });

  it('decides nothing for the same link again (a redelivery), and refuses another customer', () => {
    spec.given([captured, converted(), linked]).when(link()).thenNothingHappened();
    spec.given([captured, converted(), linked]).when(link(SURVIVOR)).thenThrows(SalesRuleViolation, rule('LEAD_CUSTOMER_LINKED'));
  });

  it('refuses a lead that is not converted', () => {
    spec.given(captured).when(link()).thenThrows(SalesRuleViolation, rule('LEAD_NOT_CONVERTED'));
    spec.given([captured, disqualified()]).when(link()).thenThrows(SalesRuleViolation, rule('LEAD_NOT_CONVERTED'));
  });

  it('links an erased lead: the link carries no personal data', () => {
    spec.given([captured, converted(), erased]).when(link()).then(linked);
  });
});

describe('RetryConversion', () => {
  it('publishes the conversion again while no customer answered', () => {
    spec.given([captured, converted(draft)]).when(retry).then({
      type: 'LeadConversionRetried',
      data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, opportunityId: OPPORTUNITY, at: t(5) },
    });
    spec.given([captured, convertedToExisting]).when(retry).then({
      type: 'LeadConversionRetried',
      data: { leadId: LEAD, customer: { kind: 'existing-customer', customerId: CUSTOMER }, at: t(5) },
    });
  });

  it('changes no state: the lead still waits', () => {
    spec.given([captured, converted()]).when(retry).thenState(fold(leadDecider, [captured, converted()]));
  });

  it('refuses a lead that is linked already, or not converted', () => {
    spec.given([captured, converted(), linked]).when(retry).thenThrows(SalesRuleViolation, rule('LEAD_CUSTOMER_LINKED'));
    spec.given([captured, qualified]).when(retry).thenThrows(SalesRuleViolation, rule('LEAD_NOT_CONVERTED'));
  });

  it('refuses to publish an erased contact again, but still names a chosen customer', () => {
    spec.given([captured, converted(), erased]).when(retry).thenThrows(SalesRuleViolation, rule('LEAD_ERASED'));
    spec.given([captured, convertedToExisting, erased]).when(retry).then({
      type: 'LeadConversionRetried',
      data: { leadId: LEAD, customer: { kind: 'existing-customer', customerId: CUSTOMER }, at: t(5) },
    });
  });
});

describe('EraseLeadContact', () => {
  it('erases the contact data, whatever the status', () => {
    for (const history of [[captured], [captured, disqualified()], [captured, converted()], [captured, converted(), linked]]) {
      spec.given(history).when(erase).then(erased);
    }
  });

  it('keeps only non-personal facts', () => {
    spec.given([captured, disqualified()]).when(erase).thenState({
      status: 'disqualified',
      leadId: LEAD,
      source: 'trade-fair',
      ownerId: OWNER,
      capturedAt: t(0),
      erasedAt: t(9),
    });
  });

  it('decides nothing for an erased lead', () => {
    spec.given([captured, erased]).when(erase).thenNothingHappened();
  });

  it('freezes the lead: nothing about the person is written again', () => {
    for (const command of [qualify, disqualify(), convert()]) {
      spec.given([captured, erased]).when(command).thenThrows(SalesRuleViolation, rule('LEAD_ERASED'));
    }
  });
});

describe('a lead that was never captured', () => {
  const commands = [qualify, disqualify(), convert(), link(), retry, erase];
  it.each(commands.map((command) => [command.type, command] as const))('refuses %s', (_, command) => {
    spec.when(command).thenThrows(SalesNotFoundError, (e) => e.code === 'LEAD_NOT_FOUND' && e.kind === 'not_found');
  });
});
