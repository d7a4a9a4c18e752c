// The internal events of a lead stream (`lead-<uuid>`). The relay maps them to crm.sales.v1 lead.* events:
// LeadCaptured → lead.captured, LeadQualified → lead.qualified, LeadDisqualified → lead.disqualified,
// LeadConverted and LeadConversionRetried → lead.converted, LeadContactErased → lead.erased;
// LeadCustomerLinked is internal (the customers service already published the link).
import type { Event } from '@crm/event-store';
import type { Contact } from '../values';
import type { LeadCustomerLinkHow, LeadErasureReason, OpportunityDraft } from './lead.commands';

type Id = { leadId: string };

/** The conversion target as published: a new customer carries the lead's contact, for the customers service. */
export type ConvertedCustomer = { kind: 'existing-customer'; customerId: string } | { kind: 'new-customer'; contact: Contact };

export type LeadCaptured = Event<
  'LeadCaptured',
  Id & { source: string; contact: Contact; interest?: string; ownerId?: string; capturedAt: string }
>;
export type LeadQualified = Event<'LeadQualified', Id & { at: string }>;
export type LeadDisqualified = Event<'LeadDisqualified', Id & { reason: string; at: string }>;
export type LeadConverted = Event<
  'LeadConverted',
  Id & { customer: ConvertedCustomer; opportunity?: OpportunityDraft; convertedAt: string }
>;
/** The same conversion, published again; `opportunityId` is the conversion's, for the lead.converted payload. */
export type LeadConversionRetried = Event<
  'LeadConversionRetried',
  Id & { customer: ConvertedCustomer; opportunityId?: string; at: string }
>;
export type LeadCustomerLinked = Event<'LeadCustomerLinked', Id & { customerId: string; how: LeadCustomerLinkHow; at: string }>;
/** Carries no personal data: the lead's key is destroyed, and readers drop every personal value of its stream. */
export type LeadContactErased = Event<'LeadContactErased', Id & { reason: LeadErasureReason; erasedAt: string }>;

export type LeadEvent =
  | LeadCaptured
  | LeadQualified
  | LeadDisqualified
  | LeadConverted
  | LeadConversionRetried
  | LeadCustomerLinked
  | LeadContactErased;

export type LeadEventType = LeadEvent['type'];
