// The lead commands over HTTP, and a lead's state from its stream (contact data decrypted):
//   POST /leads                         → 201 { leadId, revision }
//   POST /leads/:id/qualify             → 200
//   POST /leads/:id/disqualify          { reason } → 200
//   POST /leads/:id/convert             { customerId?, opportunity? } → 200 { leadId, revision, opportunityId? }
//   POST /leads/:id/conversion/retry    → 200: publishes lead.converted again while no customer answered
//   POST /leads/:id/erase               { reason } → 200: the contact data is shredded for good
//   GET  /leads/:id                     → 200 the lead, ETag
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { answerCommand, Command, IdParams, PhoneNormaliser, revisionNumber, setETag, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { capturedLead, type CapturedLead, type LeadCommand } from '../domain';
import { newIdOf } from '../infrastructure/http/sales-dto';
import { SalesCommands, type LeadResult } from '../infrastructure/sales-commands';
import { ConvertLeadHandler } from './convert-lead.handler';
import { CaptureLeadDto, DisqualifyLeadDto, ConvertLeadDto, EraseLeadDto, type ContactDto } from './lead.dto';
import type { Contact } from '../domain';

type Answer = { leadId: string; revision: number };

@ApiTags('leads')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'uuid; a retry with the same key gets the original answer' })
@ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: the command applies only to that revision' })
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly commands: SalesCommands,
    private readonly conversions: ConvertLeadHandler,
    private readonly phones: PhoneNormaliser,
  ) {}

  @Post()
  @HttpCode(201)
  async capture(@Body() dto: CaptureLeadDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const leadId = newIdOf('lead', dto.leadId, command);
    const data = {
      leadId,
      source: dto.source,
      contact: this.contactOf(dto.contact),
      ...(dto.interest === undefined ? {} : { interest: dto.interest }),
      ...(dto.ownerId === undefined ? {} : { ownerId: dto.ownerId }),
      at: command.at,
    };
    const result = await this.run({ type: 'CaptureLead', data }, command);
    response.setHeader('Location', `/leads/${leadId}`);
    return answerCommand(response, { leadId }, result);
  }

  @Post(':id/qualify')
  @HttpCode(200)
  async qualify(@Param() { id }: IdParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    return answerCommand(response, { leadId: id }, await this.run({ type: 'QualifyLead', data: { leadId: id, at: command.at } }, command));
  }

  @Post(':id/disqualify')
  @HttpCode(200)
  async disqualify(@Param() { id }: IdParams, @Body() dto: DisqualifyLeadDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'DisqualifyLead', data: { leadId: id, reason: dto.reason, at: command.at } }, command);
    return answerCommand(response, { leadId: id }, result);
  }

  @Post(':id/convert')
  @HttpCode(200)
  async convert(
    @Param() { id }: IdParams,
    @Body() dto: ConvertLeadDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<Answer & { opportunityId?: string }> {
    const { result, opportunityId } = await this.conversions.convert(id, dto, command);
    return { ...answerCommand(response, { leadId: id }, result), ...(opportunityId === undefined ? {} : { opportunityId }) };
  }

  @Post(':id/conversion/retry')
  @HttpCode(200)
  async retryConversion(@Param() { id }: IdParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    return answerCommand(response, { leadId: id }, await this.run({ type: 'RetryConversion', data: { leadId: id, at: command.at } }, command));
  }

  @Post(':id/erase')
  @HttpCode(200)
  async erase(@Param() { id }: IdParams, @Body() dto: EraseLeadDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'EraseLeadContact', data: { leadId: id, reason: dto.reason, at: command.at } }, command);
    return answerCommand(response, { leadId: id }, result);
  }

  @Get(':id')
  async get(@Param() { id }: IdParams, @Res({ passthrough: true }) response: ResponseHeaders): Promise<CapturedLead & { revision: number }> {
    const { state, revision } = await this.commands.readLead(id);
    const lead = capturedLead(state, id);
    setETag(response, revision);
    return { ...lead, revision: revisionNumber(revision) };
  }

  private run(command: LeadCommand, envelope: HttpCommand): Promise<LeadResult> {
    return this.commands.lead(command, envelope);
  }

  private contactOf(dto: ContactDto): Contact {
    const phone = this.phones.e164(dto.phone, 'contact.phone');
    const { fullName, givenName, familyName } = dto.name;
    return {
      name: { fullName, ...(givenName === undefined ? {} : { givenName }), ...(familyName === undefined ? {} : { familyName }) },
      ...(dto.email === undefined ? {} : { email: dto.email }),
      ...(phone === undefined ? {} : { phone }),
      ...(dto.company === undefined ? {} : { company: dto.company }),
    };
  }
}
