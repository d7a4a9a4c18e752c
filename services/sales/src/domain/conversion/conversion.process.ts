// The lead-conversion process, sales side: pure functions from the customers service's events (crm.customers.v1)
// and what the sales read models know, to the sales commands to run. No state of its own, no timers: the consumer
// that calls them is the durable subscription, and each command is idempotent on its aggregate, so a redelivered
// event runs the same commands again to no effect.
//
// The saga: ConvertLead → lead.converted → the customers service registers a customer with the lead id
// (customer.registered), or links the chosen or a matching existing customer (customer.lead-linked) →
// LinkLeadCustomer on the lead and LinkCustomer on the opportunity the conversion opened. Later, customer.merged moves the merged customer's
// opportunities to the survivor, and customer.erased erases the contact data of the leads converted into it.
//
// `at` is the incoming event's time (its CloudEvents `time`), not the clock: a redelivery then builds the very
// same commands. Open the conversion's opportunity (openingOf) before appending LeadConverted, so that the
// customers service's answer always finds it.
import type { CustomerErasedV1, CustomerLeadLinkedV1, CustomerMergedV1, CustomerRegisteredV1, CustomersEvent } from '@crm/contracts';
import type { EraseLeadContact, LinkLeadCustomer, LeadCustomerLinkHow } from '../lead/lead.commands';
import type { LeadConverted } from '../lead/lead.events';
import type { LinkCustomer, MoveToSurvivor, OpenOpportunity } from '../opportunity/opportunity.commands';
import { violation } from '../rules';
import type { PipelineDefinition } from '../values';

/** A converted lead as the sales read model knows it: the opportunity its conversion opened, if any. */
export type ConvertedLeadView = { leadId: string; opportunityId?: string };

export type ConversionCommand = LinkLeadCustomer | LinkCustomer | MoveToSurvivor | EraseLeadContact;

/** What the handler looked up for the event; each event needs only its part (see conversionCommands). */
export type SalesKnowledge = {
  /** customer.registered, customer.lead-linked: the lead named by the event, undefined if sales has no such lead. */
  lead?: ConvertedLeadView;
  /** customer.merged: the opportunities of the merged customer (payload.customerId), open or closed. */
  opportunityIdsOfCustomer?: readonly string[];
  /** customer.erased: the leads linked to (converted into) the erased customer. */
  leadIdsOfCustomer?: readonly string[];
};

/** The customers service registered a customer; with a lead id, it is that lead's new customer. */
export function onCustomerRegistered(event: CustomerRegisteredV1, at: string, lead: ConvertedLeadView | undefined): ConversionCommand[] {
  if (event.leadId === undefined) return [];
  return linkConversion(event.customerId, event.leadId, 'registered', at, lead);
}

/** The customers service matched a converted lead to an existing customer instead of registering one. */
export function onCustomerLeadLinked(event: CustomerLeadLinkedV1, at: string, lead: ConvertedLeadView | undefined): ConversionCommand[] {
  return linkConversion(event.customerId, event.leadId, 'linked-existing', at, lead);
}

/** The merged customer's opportunities now belong to the survivor. */
export function onCustomerMerged(event: CustomerMergedV1, at: string, opportunityIds: readonly string[]): MoveToSurvivor[] {
  return unique(opportunityIds).map((opportunityId) => ({
    type: 'MoveToSurvivor',
    data: { opportunityId, fromCustomerId: event.customerId, toCustomerId: event.survivorId, at },
  }));
}

/** The customer's leads lose their contact data: it is the same person's. */
export function onCustomerErased(_event: CustomerErasedV1, at: string, leadIds: readonly string[]): EraseLeadContact[] {
  return unique(leadIds).map((leadId) => ({ type: 'EraseLeadContact', data: { leadId, reason: 'customer_erased', at } }));
}

/** The commands for any crm.customers.v1 event; the types this process does not follow give none. */
export function conversionCommands(event: CustomersEvent, at: string, known: SalesKnowledge): ConversionCommand[] {
  switch (event.type) {
    case 'crm.customer.registered.v1':
      return onCustomerRegistered(event.payload, at, known.lead);
    case 'crm.customer.lead-linked.v1':
      return onCustomerLeadLinked(event.payload, at, known.lead);
    case 'crm.customer.merged.v1':
      return onCustomerMerged(event.payload, at, known.opportunityIdsOfCustomer ?? []);
    case 'crm.customer.erased.v1':
      return onCustomerErased(event.payload, at, known.leadIdsOfCustomer ?? []);
    default:
      return [];
  }
}

/**
 * The OpenOpportunity a conversion asks for, or undefined when it asked for none; `pipeline` is the current
 * definition of the draft's pipeline. It opens without a customer, with the lead id, also for a conversion to an
 * existing customer: the customers service names the customer (it follows merges), and the saga links it.
 */
export function openingOf(event: LeadConverted, pipeline: PipelineDefinition): OpenOpportunity | undefined {
  const { leadId, opportunity, convertedAt } = event.data;
  if (opportunity === undefined) return undefined;
  const { opportunityId, pipelineId, stageId, title, amount, expectedCloseDate, ownerId } = opportunity;
  if (pipeline.pipelineId !== pipelineId) {
    throw violation({ aggregate: 'opportunity', id: opportunityId }, 'PIPELINE_MISMATCH', `The conversion opens opportunity ${opportunityId} in another pipeline`, {
      pipelineId,
    });
  }
  return {
    type: 'OpenOpportunity',
    data: {
      opportunityId,
      pipeline,
      ...(stageId !== undefined && { stageId }),
      title,
      amount,
      ...(expectedCloseDate !== undefined && { expectedCloseDate }),
      ...(ownerId !== undefined && { ownerId }),
      leadId,
      at: convertedAt,
    },
  };
}

function linkConversion(
  customerId: string,
  leadId: string,
  how: LeadCustomerLinkHow,
  at: string,
  lead: ConvertedLeadView | undefined,
): ConversionCommand[] {
  // A lead this service does not have (another system's, or not yet projected) gives nothing to link; the
  // consumer decides whether "not yet projected" is worth a retry.
  if (lead === undefined || lead.leadId !== leadId) return [];
  const commands: ConversionCommand[] = [{ type: 'LinkLeadCustomer', data: { leadId, customerId, how, at } }];
  if (lead.opportunityId !== undefined) {
    commands.push({ type: 'LinkCustomer', data: { opportunityId: lead.opportunityId, customerId, leadId, at } });
  }
  return commands;
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];
