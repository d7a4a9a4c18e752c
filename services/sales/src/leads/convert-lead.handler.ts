// Converting a lead: the opportunity the conversion asks for is opened first (without a customer, linked to the
// lead: the saga links the customer the customers service names), then LeadConverted is appended — so that the
// customers service's answer always finds the opportunity. Both are idempotent by the request's command id: a
// retry after a failure in between opens nothing twice and completes the conversion.
import { Injectable } from '@nestjs/common';
import { stepOf, WrongExpectedVersionError } from '@crm/event-store';
import type { HttpCommand } from '@crm/platform';
import { leadDecider, leadStream, openingOf, type ConversionTarget, type ConvertLead, type OpportunityDraft } from '../domain';
import { newIdOf, toMoney } from '../infrastructure/http/sales-dto';
import { SalesCommands, type LeadResult } from '../infrastructure/sales-commands';
import type { ConvertLeadDto, OpportunityDraftDto } from './lead.dto';

@Injectable()
export class ConvertLeadHandler {
  constructor(private readonly commands: SalesCommands) {}

  async convert(leadId: string, dto: ConvertLeadDto, command: HttpCommand): Promise<{ result: LeadResult; opportunityId?: string }> {
    const customer: ConversionTarget = dto.customerId === undefined ? { kind: 'new-customer' } : { kind: 'existing-customer', customerId: dto.customerId };
    const opportunity = dto.opportunity === undefined ? undefined : draftOf(dto.opportunity, command);
    const convert: ConvertLead = { type: 'ConvertLead', data: { leadId, customer, ...(opportunity ? { opportunity } : {}), at: command.at } };

    // Decided once here on the state read, only to open the opportunity before the conversion is recorded;
    // the lead's own command below decides again (and answers a retry with the original result).
    const { state, revision } = await this.commands.readLead(leadId);
    const expected = command.expectedRevision;
    if (expected !== undefined && (expected === 'stream_exists' ? revision === 'no_stream' : revision !== expected)) {
      throw new WrongExpectedVersionError(leadStream(leadId), expected, revision);
    }
    const converted = leadDecider.decide(convert, state).find((event) => event.type === 'LeadConverted');
    if (converted !== undefined && opportunity !== undefined) {
      const opening = openingOf(converted, await this.commands.pipelineDefinition(opportunity.pipelineId));
      if (opening !== undefined) await this.commands.opportunity(opening, stepOf(command, 'open-opportunity'));
    }
    const result = await this.commands.lead(convert, command);
    return { result, ...(opportunity ? { opportunityId: opportunity.opportunityId } : {}) };
  }
}

function draftOf(dto: OpportunityDraftDto, command: HttpCommand): OpportunityDraft {
  return {
    opportunityId: newIdOf('opportunity', dto.opportunityId, command),
    pipelineId: dto.pipelineId,
    ...(dto.stageId === undefined ? {} : { stageId: dto.stageId }),
    title: dto.title,
    amount: toMoney(dto.amount),
    ...(dto.expectedCloseDate === undefined ? {} : { expectedCloseDate: dto.expectedCloseDate }),
    ...(dto.ownerId === undefined ? {} : { ownerId: dto.ownerId }),
  };
}
