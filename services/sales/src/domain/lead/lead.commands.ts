// What can be asked of a lead. `at` is the time the command was accepted (ISO-8601 UTC), given from outside.
import type { Command } from '@crm/event-store';
import type { Contact, Money } from '../values';

type Id = { leadId: string; at: string };

/** Who the lead becomes: a customer the user picked, or a new one the customers service registers from the contact. */
export type ConversionTarget = { kind: 'existing-customer'; customerId: string } | { kind: 'new-customer' };

/** The opportunity a conversion opens, with ids chosen by the caller; the pipeline's stages are checked on opening. */
export type OpportunityDraft = {
  opportunityId: string;
  pipelineId: string;
  /** Default: the pipeline's first stage. */
  stageId?: string;
  title: string;
  amount: Money;
  expectedCloseDate?: string;
  ownerId?: string;
};

/** How the customers service answered a conversion: customer.registered, or customer.lead-linked (a match or the chosen customer). */
export type LeadCustomerLinkHow = 'registered' | 'linked-existing';

/** A closed list, so that free text cannot carry personal data into the erasure event. */
export type LeadErasureReason = 'customer_erased' | 'data_subject_request' | 'retention_policy';

export type CaptureLead = Command<
  'CaptureLead',
  Id & { source: string; contact: Contact; interest?: string; ownerId?: string }
>;
/** Also re-qualifies a disqualified lead: budgets come back. */
export type QualifyLead = Command<'QualifyLead', Id>;
export type DisqualifyLead = Command<'DisqualifyLead', Id & { reason: string }>;
export type ConvertLead = Command<'ConvertLead', Id & { customer: ConversionTarget; opportunity?: OpportunityDraft }>;
/** The saga's answer from the customers service to a conversion. */
export type LinkLeadCustomer = Command<'LinkLeadCustomer', Id & { customerId: string; how: LeadCustomerLinkHow }>;
/** Publishes the conversion again while no customer answered (the customers service is idempotent by lead id). */
export type RetryConversion = Command<'RetryConversion', Id>;
/** The lead's data key is destroyed with the event this decides: its contact data is gone for good. */
export type EraseLeadContact = Command<'EraseLeadContact', Id & { reason: LeadErasureReason }>;

export type LeadCommand =
  | CaptureLead
  | QualifyLead
  | DisqualifyLead
  | ConvertLead
  | LinkLeadCustomer
  | RetryConversion
  | EraseLeadContact;

export type LeadCommandType = LeadCommand['type'];
