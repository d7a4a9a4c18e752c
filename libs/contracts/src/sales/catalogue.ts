// Every event published on crm.sales.v1, in the order the docs list them.
import type { Static } from '@sinclair/typebox';
import { LeadCapturedV1, LeadConvertedV1, LeadDisqualifiedV1, LeadErasedV1, LeadQualifiedV1 } from './lead.events';
import {
  OpportunityCustomerLinkedV1,
  OpportunityLostV1,
  OpportunityOpenedV1,
  OpportunityReopenedV1,
  OpportunityStageChangedV1,
  OpportunityWonV1,
} from './opportunity.events';
import { ActivityCancelledV1, ActivityCompletedV1, ActivityReminderDueV1, ActivityRescheduledV1, ActivityScheduledV1 } from './activity.events';

export const salesEventContracts = [
  LeadCapturedV1,
  LeadQualifiedV1,
  LeadDisqualifiedV1,
  LeadConvertedV1,
  LeadErasedV1,
  OpportunityOpenedV1,
  OpportunityStageChangedV1,
  OpportunityWonV1,
  OpportunityLostV1,
  OpportunityReopenedV1,
  OpportunityCustomerLinkedV1,
  ActivityScheduledV1,
  ActivityRescheduledV1,
  ActivityCompletedV1,
  ActivityCancelledV1,
  ActivityReminderDueV1,
] as const;

type Contract = (typeof salesEventContracts)[number];

/** A decoded crm.sales.v1 event: switch on `type` exhaustively. */
export type SalesEvent = { [C in Contract as C['type']]: { type: C['type']; payload: Static<C['schema']> } }[Contract['type']];
