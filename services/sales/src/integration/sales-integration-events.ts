// Internal sales events → crm.sales.v1 integration events (pure). Explicit per event type (exhaustive switches: a
// new internal event does not compile until it is mapped or deliberately left out). Left out: pipeline events
// (opportunity events carry the stage as it was), LeadCustomerLinked (the customers service published the link),
// amount, close-date and owner changes of opportunities, and free text of activities (outcome, cancel reason).
//
// Lead contact data, interest and disqualification reason are personal: the feed hands over events whose lead
// was erased without them (shredded), and an event whose contract requires such a value is then not published
// at all — lead.erased tells subscribers to drop what they hold.
import type { SalesEvent } from '@crm/contracts';
import { assertNever } from '@crm/event-store';
import type { ActivityEvent, ConvertedCustomer, LeadEvent, OpportunityEvent, PipelineEvent, SalesAggregate } from '../domain';

/** An internal event of one of the sales aggregates, as the feed reads it. */
export type SalesInternalEvent =
  | { aggregate: 'pipeline'; event: PipelineEvent }
  | { aggregate: 'lead'; event: LeadEvent }
  | { aggregate: 'opportunity'; event: OpportunityEvent }
  | { aggregate: 'activity'; event: ActivityEvent };

export function integrationEventOf(internal: SalesInternalEvent): SalesEvent | null {
  switch (internal.aggregate) {
    case 'pipeline':
      return null;
    case 'lead':
      return leadIntegrationEvent(internal.event);
    case 'opportunity':
      return opportunityIntegrationEvent(internal.event);
    case 'activity':
      return activityIntegrationEvent(internal.event);
    default:
      return assertNever(internal, 'Unknown sales aggregate');
  }
}

/** The aggregates whose streams the relay follows: pipelines publish nothing. */
export const PUBLISHING_AGGREGATES: readonly SalesAggregate[] = ['lead', 'opportunity', 'activity'];

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export function leadIntegrationEvent(event: LeadEvent): SalesEvent | null {
  const { leadId } = event.data;
  switch (event.type) {
    case 'LeadCaptured': {
      const { source, contact, interest, ownerId } = event.data;
      if (contact === undefined) return null; // shredded
      return { type: 'crm.lead.captured.v1', payload: { leadId, source, contact, ...optional('interest', interest), ...optional('ownerId', ownerId) } };
    }
    case 'LeadQualified':
      return { type: 'crm.lead.qualified.v1', payload: { leadId } };
    case 'LeadDisqualified':
      return event.data.reason === undefined ? null : { type: 'crm.lead.disqualified.v1', payload: { leadId, reason: event.data.reason } };
    // A retry publishes the very payload of the conversion: the customers service is idempotent by lead id.
    case 'LeadConverted':
      return converted(leadId, event.data.customer, event.data.opportunity?.opportunityId);
    case 'LeadConversionRetried':
      return converted(leadId, event.data.customer, event.data.opportunityId);
    case 'LeadCustomerLinked':
      return null;
    case 'LeadContactErased':
      return { type: 'crm.lead.erased.v1', payload: { leadId } };
    default:
      return assertNever(event, 'Unknown lead event');
  }
}

function converted(leadId: string, customer: ConvertedCustomer, opportunityId: string | undefined): SalesEvent | null {
  if (customer.kind === 'new-customer' && customer.contact === undefined) return null; // shredded
  const target = customer.kind === 'existing-customer' ? { kind: customer.kind, customerId: customer.customerId } : { kind: customer.kind, contact: customer.contact };
  return { type: 'crm.lead.converted.v1', payload: { leadId, ...optional('opportunityId', opportunityId), customer: target } };
}

export function opportunityIntegrationEvent(event: OpportunityEvent): SalesEvent | null {
  const { opportunityId } = event.data;
  switch (event.type) {
    case 'OpportunityOpened': {
      const { pipelineId, stage, title, amount, expectedCloseDate, ownerId, customerId, leadId } = event.data;
      return {
        type: 'crm.opportunity.opened.v1',
        payload: {
          opportunityId,
          pipelineId,
          stage,
          title,
          amount,
          ...optional('expectedCloseDate', expectedCloseDate),
          ...optional('ownerId', ownerId),
          ...optional('customerId', customerId),
          ...optional('leadId', leadId),
        },
      };
    }
    case 'OpportunityStageChanged': {
      const { pipelineId, from, to } = event.data;
      return { type: 'crm.opportunity.stage-changed.v1', payload: { opportunityId, pipelineId, from, to } };
    }
    case 'OpportunityWon':
      return { type: 'crm.opportunity.won.v1', payload: { opportunityId, amount: event.data.amount, ...optional('customerId', event.data.customerId) } };
    case 'OpportunityLost':
      return { type: 'crm.opportunity.lost.v1', payload: { opportunityId, reason: event.data.reason } };
    case 'OpportunityReopened':
      return { type: 'crm.opportunity.reopened.v1', payload: { opportunityId, stage: event.data.stage } };
    case 'OpportunityCustomerLinked': {
      const { customerId, previousCustomerId, leadId } = event.data;
      return {
        type: 'crm.opportunity.customer-linked.v1',
        payload: { opportunityId, customerId, ...optional('previousCustomerId', previousCustomerId), ...optional('leadId', leadId) },
      };
    }
    case 'OpportunityAmountChanged':
    case 'OpportunityCloseDateChanged':
    case 'OpportunityReassigned':
      return null;
    default:
      return assertNever(event, 'Unknown opportunity event');
  }
}

export function activityIntegrationEvent(event: ActivityEvent): SalesEvent | null {
  const { activityId } = event.data;
  switch (event.type) {
    case 'ActivityScheduled': {
      const { kind, subject, dueAt, remindAt, ownerId, opportunityId, leadId, customerId } = event.data;
      return {
        type: 'crm.activity.scheduled.v1',
        payload: {
          activityId,
          kind,
          subject,
          dueAt,
          ...optional('remindAt', remindAt),
          ...optional('ownerId', ownerId),
          ...optional('opportunityId', opportunityId),
          ...optional('leadId', leadId),
          ...optional('customerId', customerId),
        },
      };
    }
    case 'ActivityRescheduled':
      return { type: 'crm.activity.rescheduled.v1', payload: { activityId, dueAt: event.data.dueAt, ...optional('remindAt', event.data.remindAt) } };
    case 'ActivityCompleted':
      return { type: 'crm.activity.completed.v1', payload: { activityId } };
    case 'ActivityCancelled':
      return { type: 'crm.activity.cancelled.v1', payload: { activityId } };
    case 'ActivityReminderDue': {
      const { kind, dueAt, remindAt, ownerId } = event.data;
      return { type: 'crm.activity.reminder-due.v1', payload: { activityId, kind, dueAt, remindAt, ...optional('ownerId', ownerId) } };
    }
    default:
      return assertNever(event, 'Unknown activity event');
  }
}
