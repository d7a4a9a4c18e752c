// lead.converted → the customers' half of the conversion saga. A new customer is registered from the lead's contact
// data under an id derived from the lead id (a redelivery or a restart lands on the same stream), unless the
// duplicate rules find an active customer with that email or phone: the lead is linked to it instead. A lead that
// sales assigned to an existing customer is linked to it (or to its survivor). Command ids derive from the event
// id, so a redelivered message appends nothing. The answer to sales is what the relay publishes from these events:
// customer.registered with leadId, or customer.lead-linked. A lead whose customer is unknown, erased or deactivated
// is linked to nobody: no event, a warning, crm_customers_lead_conversions_total{outcome="not-linked"}; sales shows
// the conversion as stuck.
import { Inject, Injectable } from '@nestjs/common';
import type { Contact, LeadConvertedV1 } from '@crm/contracts';
import { assertNever, commandIdFor, CRM_ID_NAMESPACE, isIsoTime, uuidv5 } from '@crm/event-store';
import { NonRetriableError, type ConsumedEvent } from '@crm/messaging';
import { PlatformLogger, type Logger } from '@crm/platform';
import { CustomerAlreadyRegisteredError, CustomerDomainError, type CustomerCommand } from '../domain';
import { CustomerCommands, type CommandEnvelope } from '../infrastructure/customer-commands';
import type { DuplicateLookup } from '../infrastructure/duplicate-lookup';
import { PhoneNormaliser } from '../infrastructure/http/profile-mapping';
import { DUPLICATE_LOOKUP } from '../infrastructure/tokens';
import { findDuplicate, liveCustomerOf } from '../register-customer/duplicate-rules';
import { profileFromLead } from './lead-contact';

/** Who the events' metadata names as acting: this process, on sales' behalf. */
export const LEAD_CONVERSION_ACTOR = 'lead-conversion';

/** The customer a lead's conversion registers: the same id however often the conversion arrives. */
export const customerIdFromLead = (leadId: string): string => uuidv5(`customer-from-lead:${leadId.toLowerCase()}`, CRM_ID_NAMESPACE);

export type ConversionOutcome =
  | { outcome: 'registered' | 'linked'; customerId: string }
  /** Done before: this lead's customer exists, or the customer holds the lead already. */
  | { outcome: 'already-done'; customerId: string }
  /** No customer to link to (unknown, erased, deactivated): nothing is published, sales shows the conversion as stuck. */
  | { outcome: 'not-linked'; customerId: string; reason: string };

/** The domain refused to register the lead's customer: the message cannot succeed as it is. */
export class LeadCustomerRefusedError extends NonRetriableError {
  override name = 'LeadCustomerRefusedError';
}

@Injectable()
export class ConvertLeadHandler {
  private readonly log: Logger;

  constructor(
    private readonly commands: CustomerCommands,
    @Inject(DUPLICATE_LOOKUP) private readonly duplicates: DuplicateLookup,
    private readonly phones: PhoneNormaliser,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext('ConvertLeadHandler');
  }

  async handle(event: ConsumedEvent<LeadConvertedV1>): Promise<ConversionOutcome> {
    const { leadId, customer } = event.data;
    let result: ConversionOutcome;
    switch (customer.kind) {
      case 'new-customer':
        result = await this.registerOrLink(event, leadId, customer.contact);
        break;
      case 'existing-customer':
        result = await this.linkExisting(event, leadId, customer.customerId);
        break;
      default:
        return assertNever(customer, 'Unknown lead.converted customer kind');
    }
    const fields = { eventId: event.id, leadId, ...result };
    if (result.outcome === 'not-linked') this.log.warn(fields, 'lead not linked to a customer; the conversion stays open in sales');
    else this.log.info(fields, 'lead conversion handled');
    return result;
  }

  private async registerOrLink(event: ConsumedEvent, leadId: string, contact: Contact): Promise<ConversionOutcome> {
    const customerId = customerIdFromLead(leadId);
    const profile = profileFromLead(contact, this.phones);
    // Registered from this lead before (a redelivery after a crash, or the lead sent again): done, whatever the
    // contact index says now.
    if ((await this.commands.read(customerId)).revision !== 'no_stream') return { outcome: 'already-done', customerId };
    const existing = await findDuplicate({ commands: this.commands, duplicates: this.duplicates }, customerId, profile);
    // A deactivated duplicate takes no new business: the lead becomes a customer of its own, and the read side's
    // duplicate candidates show the pair to whoever reactivates or merges.
    if (existing?.status === 'active') return this.link(event, leadId, existing.customerId);
    const at = timeOf(event);
    try {
      await this.commands.execute({ type: 'RegisterCustomer', data: { customerId, ...profile, leadId, at } }, envelopeOf(event, 'register', at));
      return { outcome: 'registered', customerId };
    } catch (error) {
      if (error instanceof CustomerAlreadyRegisteredError) return { outcome: 'already-done', customerId };
      if (error instanceof CustomerDomainError) throw new LeadCustomerRefusedError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  private async linkExisting(event: ConsumedEvent, leadId: string, customerId: string): Promise<ConversionOutcome> {
    const live = await liveCustomerOf(this.commands, customerId);
    if (live === null) return { outcome: 'not-linked', customerId, reason: 'CUSTOMER_UNKNOWN_OR_ERASED' };
    return this.link(event, leadId, live.customerId);
  }

  private async link(event: ConsumedEvent, leadId: string, customerId: string): Promise<ConversionOutcome> {
    const at = timeOf(event);
    const command: CustomerCommand = { type: 'LinkLead', data: { customerId, leadId, at } };
    try {
      const { newEvents, alreadyHandled } = await this.commands.execute(command, envelopeOf(event, 'link', at));
      return { outcome: newEvents.length > 0 || alreadyHandled ? 'linked' : 'already-done', customerId };
    } catch (error) {
      // Deactivated, or erased or merged since it was looked up: a state of the customer, not of the message.
      if (error instanceof CustomerDomainError) return { outcome: 'not-linked', customerId, reason: error.code };
      throw error;
    }
  }
}

/** The conversion's time (the event's): a redelivery decides with the same time as the first delivery. */
function timeOf(event: ConsumedEvent): string {
  return isIsoTime(event.time) ? new Date(event.time).toISOString() : new Date().toISOString();
}

/** Command ids derive from the event id and the step: a redelivered event sends commands already handled. */
function envelopeOf(event: ConsumedEvent, step: 'register' | 'link', time: string): CommandEnvelope {
  return {
    metadata: {
      commandId: commandIdFor(event.id, step),
      correlationId: event.correlationId ?? event.id,
      causationId: event.id,
      actor: LEAD_CONVERSION_ACTOR,
      time,
    },
  };
}
