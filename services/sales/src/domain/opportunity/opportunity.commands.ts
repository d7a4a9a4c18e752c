// What can be asked of an opportunity. `at` is the time the command was accepted (ISO-8601 UTC), given from outside.
// Commands that name a stage carry the pipeline's current definition, read by the handler from the pipeline stream.
import type { Command } from '@crm/event-store';
import type { CustomerLookup, Money, PipelineDefinition } from '../values';

type Id = { opportunityId: string; at: string };

/**
 * `customer` is what the handler found in the local customer read model: only an active customer is accepted.
 * Without a customer, `leadId` is required: a lead conversion opens its opportunity without one, and the saga
 * links the customer that the customers service names (LinkCustomer).
 */
export type OpenOpportunity = Command<
  'OpenOpportunity',
  Id & {
    pipeline: PipelineDefinition;
    /** Default: the pipeline's first stage. */
    stageId?: string;
    title: string;
    amount: Money;
    expectedCloseDate?: string;
    ownerId?: string;
    customer?: CustomerLookup;
    leadId?: string;
  }
>;
export type MoveToStage = Command<'MoveToStage', Id & { stageId: string; pipeline: PipelineDefinition }>;
export type ChangeAmount = Command<'ChangeAmount', Id & { amount: Money }>;
/** `null` clears the expected close date. */
export type ChangeCloseDate = Command<'ChangeCloseDate', Id & { expectedCloseDate: string | null }>;
export type Reassign = Command<'Reassign', Id & { ownerId: string }>;
export type MarkWon = Command<'MarkWon', Id>;
export type MarkLost = Command<'MarkLost', Id & { reason: string }>;
/** Back to an open stage: `stageId`, or the stage it was closed at. */
export type Reopen = Command<'Reopen', Id & { pipeline: PipelineDefinition; stageId?: string }>;
/** From the conversion saga: the customer a converted lead became. */
export type LinkCustomer = Command<'LinkCustomer', Id & { customerId: string; leadId?: string }>;
/** From a customer merge: the opportunity follows its customer to the survivor. */
export type MoveToSurvivor = Command<'MoveToSurvivor', Id & { fromCustomerId: string; toCustomerId: string }>;

export type OpportunityCommand =
  | OpenOpportunity
  | MoveToStage
  | ChangeAmount
  | ChangeCloseDate
  | Reassign
  | MarkWon
  | MarkLost
  | Reopen
  | LinkCustomer
  | MoveToSurvivor;

export type OpportunityCommandType = OpportunityCommand['type'];
