// The lead decider. Decisions worth knowing:
// - A disqualified lead may be qualified again (budgets come back); converted leads are past both.
// - A captured lead may be converted without being qualified first (no lead.qualified is published); a disqualified
//   one may not: qualify it again first.
// - Converting again with the same target (customer and opportunity) decides nothing; any other target is refused.
// - Every conversion, to an existing customer too, waits for the customers service's answer (LinkLeadCustomer).
// - An erased lead refuses everything that would write about the person again; the saga's link still lands.
import { assertNever, type Decider } from '@crm/event-store';
import { SalesAlreadyExistsError } from '../errors';
import { checkContact, checkDate, checkMoney, checkOptionalText, checkText, defined, violation, type Subject } from '../rules';
import { LIMITS, type Contact } from '../values';
import type { ConversionTarget, ConvertLead, LeadCommand, OpportunityDraft } from './lead.commands';
import type { ConvertedCustomer, LeadEvent } from './lead.events';
import { evolve, initialState } from './lead.evolve';
import { capturedLead, liveLead, type CapturedLead, type LeadState } from './lead.state';

export function decide(command: LeadCommand, state: LeadState): LeadEvent[] {
  const { leadId, at } = command.data;
  const subject: Subject = { aggregate: 'lead', id: leadId };
  switch (command.type) {
    case 'CaptureLead': {
      if (state.status !== 'new') throw new SalesAlreadyExistsError('lead', leadId);
      const { source, contact, interest, ownerId } = command.data;
      checkText(subject, 'source', source, LIMITS.source);
      checkContact(subject, contact);
      checkOptionalText(subject, 'interest', interest, LIMITS.interest);
      checkOptionalText(subject, 'ownerId', ownerId, LIMITS.userId);
      return [{ type: 'LeadCaptured', data: defined({ leadId, source, contact: contactOf(contact), interest, ownerId, capturedAt: at }) }];
    }

    case 'QualifyLead': {
      const lead = liveLead(state, leadId);
      if (lead.status === 'qualified') return [];
      if (lead.status !== 'captured' && lead.status !== 'disqualified') throw alreadyConverted(subject);
      return [{ type: 'LeadQualified', data: { leadId, at } }];
    }

    case 'DisqualifyLead': {
      const lead = liveLead(state, leadId);
      const { reason } = command.data;
      checkText(subject, 'reason', reason, LIMITS.reason);
      if (lead.status !== 'captured' && lead.status !== 'qualified' && lead.status !== 'disqualified') throw alreadyConverted(subject);
      if (lead.status === 'disqualified' && lead.disqualifiedReason === reason) return [];
      return [{ type: 'LeadDisqualified', data: { leadId, reason, at } }];
    }

    case 'ConvertLead':
      return decideConvert(command, liveLead(state, leadId), subject);

    // Linking is a fact from the customers service: recorded even after the lead was erased.
    case 'LinkLeadCustomer': {
      const lead = capturedLead(state, leadId);
      const { customerId, how } = command.data;
      switch (lead.status) {
        case 'customer-linked':
          if (lead.customerId === customerId) return [];
          throw violation(subject, 'LEAD_CUSTOMER_LINKED', `Lead ${leadId} is linked to another customer`, { customerId: lead.customerId });
        case 'converted':
          checkText(subject, 'customerId', customerId, LIMITS.id);
          return [{ type: 'LeadCustomerLinked', data: { leadId, customerId, how, at } }];
        case 'captured':
        case 'qualified':
        case 'disqualified':
          throw notConverted(subject);
        default:
          return assertNever(lead);
      }
    }

    case 'RetryConversion': {
      const lead = capturedLead(state, leadId);
      switch (lead.status) {
        case 'customer-linked':
          throw violation(subject, 'LEAD_CUSTOMER_LINKED', `Lead ${leadId} is already linked to its customer`, { customerId: lead.customerId });
        case 'converted': {
          const { target, opportunity } = lead.conversion;
          // An erased lead can still name its chosen customer, but no longer a new one's contact data.
          const customer = target.kind === 'existing-customer' ? target : newCustomer(liveLead(lead, leadId).contact, subject);
          return [{ type: 'LeadConversionRetried', data: defined({ leadId, customer, opportunityId: opportunity?.opportunityId, at }) }];
        }
        case 'captured':
        case 'qualified':
        case 'disqualified':
          throw notConverted(subject);
        default:
          return assertNever(lead);
      }
    }

    case 'EraseLeadContact': {
      const lead = capturedLead(state, leadId);
      if (lead.erasedAt !== undefined) return [];
      return [{ type: 'LeadContactErased', data: { leadId, reason: command.data.reason, erasedAt: at } }];
    }

    default:
      return assertNever(command, 'Unknown lead command');
  }
}

function decideConvert({ data }: ConvertLead, lead: CapturedLead, subject: Subject): LeadEvent[] {
  const { leadId, customer, opportunity, at } = data;
  switch (lead.status) {
    case 'converted':
    case 'customer-linked':
      if (sameTarget(lead.conversion.target, customer) && lead.conversion.opportunity?.opportunityId === opportunity?.opportunityId) return [];
      throw violation(subject, 'LEAD_ALREADY_CONVERTED', `Lead ${leadId} was converted to another target`);
    case 'disqualified':
      throw violation(subject, 'LEAD_DISQUALIFIED', `Lead ${leadId} is disqualified: qualify it before converting it`);
    case 'captured':
    case 'qualified':
      break;
    default:
      return assertNever(lead);
  }
  const draft = opportunity === undefined ? undefined : checkDraft(subject, opportunity);
  if (customer.kind === 'existing-customer') checkText(subject, 'customer.customerId', customer.customerId, LIMITS.id);
  const converted: ConvertedCustomer =
    customer.kind === 'existing-customer' ? { kind: customer.kind, customerId: customer.customerId } : newCustomer(lead.contact, subject);
  return [{ type: 'LeadConverted', data: defined({ leadId, customer: converted, opportunity: draft, convertedAt: at }) }];
}

function sameTarget(recorded: ConversionTarget, asked: ConversionTarget): boolean {
  if (recorded.kind === 'existing-customer') return asked.kind === 'existing-customer' && asked.customerId === recorded.customerId;
  return asked.kind === 'new-customer';
}

function newCustomer(contact: Contact | undefined, subject: Subject): { kind: 'new-customer'; contact: Contact } {
  // A live lead always has its contact; only erasure removes it, and erased leads are refused before this.
  if (contact === undefined) throw violation(subject, 'LEAD_ERASED', `Lead ${subject.id} has no contact data`);
  return { kind: 'new-customer', contact };
}

function checkDraft(subject: Subject, draft: OpportunityDraft): OpportunityDraft {
  const { opportunityId, pipelineId, stageId, title, amount, expectedCloseDate, ownerId } = draft;
  checkText(subject, 'opportunity.opportunityId', opportunityId, LIMITS.id);
  checkText(subject, 'opportunity.pipelineId', pipelineId, LIMITS.id);
  checkOptionalText(subject, 'opportunity.stageId', stageId, LIMITS.stageId);
  checkText(subject, 'opportunity.title', title, LIMITS.title);
  checkMoney(subject, 'opportunity.amount', amount);
  if (expectedCloseDate !== undefined) checkDate(subject, 'opportunity.expectedCloseDate', expectedCloseDate);
  checkOptionalText(subject, 'opportunity.ownerId', ownerId, LIMITS.userId);
  return defined({ opportunityId, pipelineId, stageId, title, amount: { amount: amount.amount, currency: amount.currency }, expectedCloseDate, ownerId });
}

/** The contact with exactly the contract's fields. */
function contactOf({ name, email, phone, company }: Contact): Contact {
  return defined({ name: defined({ fullName: name.fullName, givenName: name.givenName, familyName: name.familyName }), email, phone, company });
}

const alreadyConverted = (subject: Subject) => violation(subject, 'LEAD_CONVERTED', `Lead ${subject.id} is converted`);
const notConverted = (subject: Subject) => violation(subject, 'LEAD_NOT_CONVERTED', `Lead ${subject.id} is not converted`);

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = { decide, evolve, initialState };
