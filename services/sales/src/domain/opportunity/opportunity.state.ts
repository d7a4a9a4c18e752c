// The state an opportunity stream folds into, and the guards that refuse commands by status.
// "Stale" (no activity for a while) is not state here: read models derive it from the opportunity's events and
// the activities that name it, so that recording a call does not also write to the opportunity's stream.
import { SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { Money, Stage } from '../values';

export type NewOpportunity = { status: 'new' };

export type OpenedOpportunity = {
  status: 'open' | 'won' | 'lost';
  opportunityId: string;
  pipelineId: string;
  /** The current stage, or the stage it was closed at, as recorded then. */
  stage: Stage;
  title: string;
  amount: Money;
  expectedCloseDate?: string;
  ownerId?: string;
  customerId?: string;
  leadId?: string;
  openedAt: string;
  /** Set while won or lost. */
  closedAt?: string;
  /** Set while lost. */
  lostReason?: string;
};

export type OpportunityState = NewOpportunity | OpenedOpportunity;

export function openedOpportunity(state: OpportunityState, opportunityId: string): OpenedOpportunity {
  if (state.status === 'new') throw new SalesNotFoundError('opportunity', opportunityId);
  return state;
}

/** The opportunity, if it is still open: won and lost ones must be reopened first. */
export function stillOpen(state: OpportunityState, opportunityId: string): OpenedOpportunity & { status: 'open' } {
  const opportunity = openedOpportunity(state, opportunityId);
  if (opportunity.status !== 'open') {
    throw new SalesRuleViolation('opportunity', opportunityId, 'OPPORTUNITY_CLOSED', `Opportunity ${opportunityId} is ${opportunity.status}`, {
      status: opportunity.status,
    });
  }
  return opportunity as OpenedOpportunity & { status: 'open' };
}
