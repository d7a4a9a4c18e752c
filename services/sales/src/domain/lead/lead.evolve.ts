// Folding lead events into state. Every event ever written folds without throwing — including events whose
// personal values were shredded after an erasure (a missing contact or reason is simply absent).
import { ignoreUnknownEvent } from '@crm/event-store';
import { defined } from '../rules';
import type { ConversionTarget } from './lead.commands';
import type { LeadEvent } from './lead.events';
import type { CapturedLead, LeadState, OpenLead } from './lead.state';

export const initialState = (): LeadState => ({ status: 'new' });

export function evolve(state: LeadState, event: LeadEvent): LeadState {
  switch (event.type) {
    case 'LeadCaptured': {
      if (state.status !== 'new') return state;
      const { leadId, source, contact, interest, ownerId, capturedAt } = event.data;
      return defined({ status: 'captured', leadId, source, contact, interest, ownerId, capturedAt });
    }
    case 'LeadQualified':
      return whenOpen(state, ({ disqualifiedReason: _dropped, ...lead }) => ({ ...lead, status: 'qualified' }));
    case 'LeadDisqualified':
      return whenOpen(state, (lead) => defined({ ...lead, status: 'disqualified', disqualifiedReason: event.data.reason }));
    case 'LeadConverted': {
      const { customer, opportunity, convertedAt } = event.data;
      const target: ConversionTarget =
        customer.kind === 'existing-customer' ? { kind: customer.kind, customerId: customer.customerId } : { kind: 'new-customer' };
      return whenOpen(state, ({ disqualifiedReason: _dropped, ...lead }) => ({
        ...lead,
        status: 'converted',
        conversion: defined({ target, opportunity, convertedAt }),
      }));
    }
    case 'LeadConversionRetried':
      return state;
    case 'LeadCustomerLinked': {
      const { customerId, how, at } = event.data;
      return state.status === 'converted' ? { ...state, status: 'customer-linked', customerId, how, linkedAt: at } : state;
    }
    case 'LeadContactErased':
      return state.status === 'new' ? state : erased(state, event.data.erasedAt);
    default:
      return ignoreUnknownEvent(event, state);
  }
}

function whenOpen(state: LeadState, update: (lead: OpenLead) => LeadState): LeadState {
  return state.status === 'captured' || state.status === 'qualified' || state.status === 'disqualified' ? update(state) : state;
}

/** The lead without a personal field: contact, interest and disqualification reason are gone. */
function erased(lead: CapturedLead, erasedAt: string): CapturedLead {
  const { contact: _contact, interest: _interest, ...rest } = lead;
  if (rest.status === 'captured' || rest.status === 'qualified' || rest.status === 'disqualified') {
    const { disqualifiedReason: _reason, ...open } = rest;
    return { ...open, erasedAt };
  }
  return { ...rest, erasedAt };
}
