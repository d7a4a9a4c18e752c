// The internal events of an opportunity stream (`opportunity-<uuid>`). Every stage is recorded as it was at that
// moment (pipelines are renamed and reordered later). The relay maps them to crm.sales.v1 opportunity.* events:
// Opened → opened, StageChanged → stage-changed, Won → won, Lost → lost, Reopened → reopened,
// CustomerLinked → customer-linked; AmountChanged, CloseDateChanged and Reassigned are internal.
import type { Event } from '@crm/event-store';
import type { Money, Stage } from '../values';

type Id = { opportunityId: string };

export type OpportunityOpened = Event<
  'OpportunityOpened',
  Id & {
    pipelineId: string;
    stage: Stage;
    title: string;
    amount: Money;
    expectedCloseDate?: string;
    ownerId?: string;
    customerId?: string;
    leadId?: string;
    openedAt: string;
  }
>;
export type OpportunityStageChanged = Event<'OpportunityStageChanged', Id & { pipelineId: string; from: Stage; to: Stage; at: string }>;
export type OpportunityAmountChanged = Event<'OpportunityAmountChanged', Id & { amount: Money; at: string }>;
export type OpportunityCloseDateChanged = Event<'OpportunityCloseDateChanged', Id & { expectedCloseDate: string | null; at: string }>;
export type OpportunityReassigned = Event<'OpportunityReassigned', Id & { ownerId: string; at: string }>;
/** `stage` is the stage it was won at, `amount` the amount it was won for. */
export type OpportunityWon = Event<
  'OpportunityWon',
  Id & { pipelineId: string; stage: Stage; amount: Money; customerId?: string; at: string }
>;
export type OpportunityLost = Event<'OpportunityLost', Id & { pipelineId: string; stage: Stage; reason: string; at: string }>;
export type OpportunityReopened = Event<'OpportunityReopened', Id & { pipelineId: string; stage: Stage; at: string }>;
/** A conversion's customer (`leadId` set), or the survivor of a merge of `previousCustomerId`. */
export type OpportunityCustomerLinked = Event<
  'OpportunityCustomerLinked',
  Id & { customerId: string; previousCustomerId?: string; leadId?: string; at: string }
>;

export type OpportunityEvent =
  | OpportunityOpened
  | OpportunityStageChanged
  | OpportunityAmountChanged
  | OpportunityCloseDateChanged
  | OpportunityReassigned
  | OpportunityWon
  | OpportunityLost
  | OpportunityReopened
  | OpportunityCustomerLinked;

export type OpportunityEventType = OpportunityEvent['type'];
