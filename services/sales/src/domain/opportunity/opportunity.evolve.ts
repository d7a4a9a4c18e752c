// Folding opportunity events into state. Every event ever written folds without throwing.
import { ignoreUnknownEvent } from '@crm/event-store';
import { defined } from '../rules';
import type { OpportunityEvent } from './opportunity.events';
import type { OpenedOpportunity, OpportunityState } from './opportunity.state';

export const initialState = (): OpportunityState => ({ status: 'new' });

export function evolve(state: OpportunityState, event: OpportunityEvent): OpportunityState {
  switch (event.type) {
    case 'OpportunityOpened': {
      if (state.status !== 'new') return state;
      const { opportunityId, pipelineId, stage, title, amount, expectedCloseDate, ownerId, customerId, leadId, openedAt } = event.data;
      return defined({ status: 'open', opportunityId, pipelineId, stage, title, amount, expectedCloseDate, ownerId, customerId, leadId, openedAt });
    }
    case 'OpportunityStageChanged':
      return whenOpened(state, (o) => ({ ...o, stage: event.data.to }));
    case 'OpportunityAmountChanged':
      return whenOpened(state, (o) => ({ ...o, amount: event.data.amount }));
    case 'OpportunityCloseDateChanged':
      return whenOpened(state, ({ expectedCloseDate: _previous, ...o }) =>
        event.data.expectedCloseDate === null ? o : { ...o, expectedCloseDate: event.data.expectedCloseDate },
      );
    case 'OpportunityReassigned':
      return whenOpened(state, (o) => ({ ...o, ownerId: event.data.ownerId }));
    case 'OpportunityWon': {
      const { stage, amount, at } = event.data;
      return whenOpened(state, ({ lostReason: _none, ...o }) => ({ ...o, status: 'won', stage, amount, closedAt: at }));
    }
    case 'OpportunityLost': {
      const { stage, reason, at } = event.data;
      return whenOpened(state, (o) => defined({ ...o, status: 'lost', stage, lostReason: reason, closedAt: at }));
    }
    case 'OpportunityReopened':
      return whenOpened(state, ({ closedAt: _closed, lostReason: _reason, ...o }) => ({ ...o, status: 'open', stage: event.data.stage }));
    case 'OpportunityCustomerLinked':
      return whenOpened(state, (o) => ({ ...o, customerId: event.data.customerId }));
    default:
      return ignoreUnknownEvent(event, state);
  }
}

function whenOpened(state: OpportunityState, update: (opportunity: OpenedOpportunity) => OpportunityState): OpportunityState {
  return state.status === 'new' ? state : update(state);
}
