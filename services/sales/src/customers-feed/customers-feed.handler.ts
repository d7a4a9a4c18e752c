// One crm.customers.v1 event, applied inside the consumer's deduplication transaction:
// - the customer's status goes into sales.known_customers (the CustomerDirectory that opening an opportunity asks);
// - a merge or an erasure raises its follow-up (customer-follow-ups.ts), done by the follow-up worker;
// - customer.registered with a lead id and customer.lead-linked answer a conversion: LinkLeadCustomer on the lead,
//   LinkCustomer on the opportunity its conversion opened (domain/conversion). The lead is read from its stream,
//   not from a read model, so the answer never waits for a projection.
import type { CustomerLeadLinkedV1, CustomerRegisteredV1, CustomersEvent } from '@crm/contracts';
import { isIsoTime } from '@crm/event-store';
import type { ConsumedEvent } from '@crm/messaging';
import type { Logger } from '@crm/platform';
import type { ClientBase } from 'pg';
import { onCustomerLeadLinked, onCustomerRegistered, type ConversionCommand, type ConvertedLeadView, type LeadState } from '../domain';
import { runConversionCommands, type CommandOutcome, type SagaCause } from '../conversion/conversion-commands';
import type { SalesCommands } from '../infrastructure/sales-commands';
import { dropMergeFollowUp, raiseFollowUp } from './customer-follow-ups';
import { applyKnownCustomerChange, KNOWN_CUSTOMER_EVENT_TYPES, knownCustomerChange, lockCustomer } from './known-customers';

/** Every type the feed reads; the consumer acknowledges the others without decoding them. */
export const FEED_EVENT_TYPES: ReadonlySet<string> = new Set<string>([...KNOWN_CUSTOMER_EVENT_TYPES, 'crm.customer.lead-linked.v1']);

export type FeedOutcome =
  /** The customer's status or follow-up was recorded; no conversion to answer. */
  | 'recorded'
  /** The conversion's lead and opportunity now name the customer (or did already). */
  | 'linked'
  /** A lead this service does not know (another system's): nothing to link. */
  | 'unknown-lead'
  /** The lead or opportunity refused the link (e.g. linked to another customer): see the log. */
  | 'refused';

export class CustomersFeedHandler {
  constructor(
    private readonly sales: SalesCommands,
    private readonly log: Logger,
  ) {}

  async handle(consumed: ConsumedEvent, tx: ClientBase): Promise<FeedOutcome> {
    const event = { type: consumed.type, payload: consumed.data } as CustomersEvent;
    const cause: SagaCause = { eventId: consumed.id, correlationId: consumed.correlationId ?? consumed.id, at: timeOf(consumed) };
    await this.record(event, cause, tx);
    switch (event.type) {
      case 'crm.customer.registered.v1':
        return event.payload.leadId === undefined ? 'recorded' : this.link(event.payload, cause, onCustomerRegistered);
      case 'crm.customer.lead-linked.v1':
        return this.link(event.payload, cause, onCustomerLeadLinked);
      default:
        return 'recorded';
    }
  }

  private async record(event: CustomersEvent, cause: SagaCause, tx: ClientBase): Promise<void> {
    const change = knownCustomerChange(event);
    if (change === undefined) return;
    const { customerId } = change;
    // Under the lock the projection takes to link things to this customer: see customer-follow-ups.ts.
    if (event.type === 'crm.customer.merged.v1' || event.type === 'crm.customer.erased.v1') await lockCustomer(tx, customerId, 'exclusive');
    await applyKnownCustomerChange(tx, change);
    if (event.type === 'crm.customer.merged.v1') {
      await raiseFollowUp(tx, { customerId, kind: 'merge', survivorId: event.payload.survivorId, ...cause });
    } else if (event.type === 'crm.customer.erased.v1') {
      await raiseFollowUp(tx, { customerId, kind: 'erase', ...cause });
    } else if (event.type === 'crm.customer.unmerged.v1') {
      await dropMergeFollowUp(tx, customerId);
    }
  }

  private async link<P extends CustomerRegisteredV1 | CustomerLeadLinkedV1>(
    payload: P,
    cause: SagaCause,
    process: (payload: P, at: string, lead: ConvertedLeadView | undefined) => ConversionCommand[],
  ): Promise<FeedOutcome> {
    const leadId = payload.leadId ?? '';
    const lead = convertedLeadView(leadId, (await this.sales.readLead(leadId)).state);
    if (lead === undefined) {
      this.log.warn({ eventId: cause.eventId, leadId, customerId: payload.customerId }, 'customer names a lead this service has not converted; nothing to link');
      return 'unknown-lead';
    }
    const outcomes = await runConversionCommands(this.sales, process(payload, cause.at, lead), cause);
    const refused = outcomes.filter((o): o is Extract<CommandOutcome, { outcome: 'refused' }> => o.outcome === 'refused');
    const fields = { eventId: cause.eventId, leadId, customerId: payload.customerId, outcomes: outcomes.map((o) => `${o.command}:${o.outcome}`) };
    if (refused.length > 0) {
      this.log.warn({ ...fields, refused: refused.map((o) => `${o.command}:${o.code}`) }, 'conversion link refused');
      return 'refused';
    }
    this.log.info(fields, 'conversion linked to its customer');
    return 'linked';
  }
}

/** The lead as the conversion process needs it; undefined when there is no converted lead of that id. */
export function convertedLeadView(leadId: string, state: LeadState): ConvertedLeadView | undefined {
  if (state.status !== 'converted' && state.status !== 'customer-linked') return undefined;
  const opportunityId = state.conversion.opportunity?.opportunityId;
  return opportunityId === undefined ? { leadId } : { leadId, opportunityId };
}

/** The event's time (CloudEvents `time`): a redelivery decides with the same time as the first delivery. */
function timeOf(event: ConsumedEvent): string {
  return isIsoTime(event.time) ? new Date(event.time).toISOString() : new Date().toISOString();
}
