// The state a lead stream folds into, and the guards that refuse commands by status.
//   new → captured → qualified ⇄ disqualified;  captured | qualified → converted → customer-linked
// Every conversion waits in `converted` for the customers service's answer, also one to an existing customer: that
// service is the authority on which customer it is (it follows merges, refuses erased ones). Erasure is orthogonal
// to the status: it drops the personal fields and freezes the lead.
import { SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { Contact } from '../values';
import type { ConversionTarget, LeadCustomerLinkHow, OpportunityDraft } from './lead.commands';

export type NewLead = { status: 'new' };

type LeadFacts = {
  leadId: string;
  source: string;
  /** Personal; absent once erased. */
  contact?: Contact;
  /** Personal. */
  interest?: string;
  ownerId?: string;
  capturedAt: string;
  erasedAt?: string;
};

export type OpenLead = LeadFacts & {
  status: 'captured' | 'qualified' | 'disqualified';
  /** Personal; set while disqualified. */
  disqualifiedReason?: string;
};

/** The conversion as asked for: what makes ConvertLead idempotent. */
export type Conversion = { target: ConversionTarget; opportunity?: OpportunityDraft; convertedAt: string };

/** Converted; waiting for the customers service to register, match or confirm the customer. */
export type ConvertedLead = LeadFacts & { status: 'converted'; conversion: Conversion };

export type CustomerLinkedLead = LeadFacts & {
  status: 'customer-linked';
  conversion: Conversion;
  customerId: string;
  how: LeadCustomerLinkHow;
  linkedAt: string;
};

export type CapturedLead = OpenLead | ConvertedLead | CustomerLinkedLead;

export type LeadState = NewLead | CapturedLead;

export function capturedLead(state: LeadState, leadId: string): CapturedLead {
  if (state.status === 'new') throw new SalesNotFoundError('lead', leadId);
  return state;
}

/** The lead, if its data may still change: refuses a missing or erased one. */
export function liveLead(state: LeadState, leadId: string): CapturedLead {
  const lead = capturedLead(state, leadId);
  if (lead.erasedAt !== undefined) throw new SalesRuleViolation('lead', leadId, 'LEAD_ERASED', `Lead ${leadId} was erased`);
  return lead;
}
