// The opportunity commands over HTTP, and an opportunity's state from its stream:
//   POST /opportunities                    → 201 { opportunityId, revision }: only for an active, known customer
//   POST /opportunities/:id/stage          { stageId } → 200: a stage of its pipeline, as defined now
//   POST /opportunities/:id/amount         { amount } → 200
//   POST /opportunities/:id/close-date     { expectedCloseDate | null } → 200
//   POST /opportunities/:id/owner          { ownerId } → 200
//   POST /opportunities/:id/won            → 200
//   POST /opportunities/:id/lost           { reason } → 200
//   POST /opportunities/:id/reopen         { stageId? } → 200
//   GET  /opportunities/:id                → 200 the opportunity, ETag
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { answerCommand, Command, IdParams, revisionNumber, setETag, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { openedOpportunity, type OpenedOpportunity, type OpportunityCommand } from '../domain';
import type { CustomerDirectory } from '../infrastructure/customer-directory';
import { newIdOf, toMoney } from '../infrastructure/http/sales-dto';
import { SalesCommands, type OpportunityResult } from '../infrastructure/sales-commands';
import { CUSTOMER_DIRECTORY } from '../infrastructure/tokens';
import { ChangeAmountDto, ChangeCloseDateDto, MarkLostDto, MoveToStageDto, OpenOpportunityDto, ReassignDto, ReopenDto } from './opportunity.dto';

type Answer = { opportunityId: string; revision: number };

@ApiTags('opportunities')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'uuid; a retry with the same key gets the original answer' })
@ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: the command applies only to that revision' })
@Controller('opportunities')
export class OpportunitiesController {
  constructor(
    private readonly commands: SalesCommands,
    @Inject(CUSTOMER_DIRECTORY) private readonly customers: CustomerDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  async open(@Body() dto: OpenOpportunityDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const opportunityId = newIdOf('opportunity', dto.opportunityId, command);
    const [pipeline, status] = await Promise.all([this.commands.pipelineDefinition(dto.pipelineId), this.customers.statusOf(dto.customerId)]);
    const data = {
      opportunityId,
      pipeline,
      ...(dto.stageId === undefined ? {} : { stageId: dto.stageId }),
      title: dto.title,
      amount: toMoney(dto.amount),
      ...(dto.expectedCloseDate === undefined ? {} : { expectedCloseDate: dto.expectedCloseDate }),
      ...(dto.ownerId === undefined ? {} : { ownerId: dto.ownerId }),
      customer: { customerId: dto.customerId, status },
      at: command.at,
    };
    const result = await this.run({ type: 'OpenOpportunity', data }, command);
    response.setHeader('Location', `/opportunities/${opportunityId}`);
    return answerCommand(response, { opportunityId }, result);
  }

  @Post(':id/stage')
  @HttpCode(200)
  async moveToStage(@Param() { id }: IdParams, @Body() dto: MoveToStageDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const pipeline = await this.commands.pipelineOfOpportunity(id);
    const result = await this.run({ type: 'MoveToStage', data: { opportunityId: id, stageId: dto.stageId, pipeline, at: command.at } }, command);
    return answerCommand(response, { opportunityId: id }, result);
  }

  @Post(':id/amount')
  @HttpCode(200)
  async changeAmount(@Param() { id }: IdParams, @Body() dto: ChangeAmountDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'ChangeAmount', data: { opportunityId: id, amount: toMoney(dto.amount), at: command.at } }, command);
    return answerCommand(response, { opportunityId: id }, result);
  }

  @Post(':id/close-date')
  @HttpCode(200)
  async changeCloseDate(@Param() { id }: IdParams, @Body() dto: ChangeCloseDateDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const data = { opportunityId: id, expectedCloseDate: dto.expectedCloseDate, at: command.at };
    return answerCommand(response, { opportunityId: id }, await this.run({ type: 'ChangeCloseDate', data }, command));
  }

  @Post(':id/owner')
  @HttpCode(200)
  async reassign(@Param() { id }: IdParams, @Body() dto: ReassignDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'Reassign', data: { opportunityId: id, ownerId: dto.ownerId, at: command.at } }, command);
    return answerCommand(response, { opportunityId: id }, result);
  }

  @Post(':id/won')
  @HttpCode(200)
  async markWon(@Param() { id }: IdParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    return answerCommand(response, { opportunityId: id }, await this.run({ type: 'MarkWon', data: { opportunityId: id, at: command.at } }, command));
  }

  @Post(':id/lost')
  @HttpCode(200)
  async markLost(@Param() { id }: IdParams, @Body() dto: MarkLostDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'MarkLost', data: { opportunityId: id, reason: dto.reason, at: command.at } }, command);
    return answerCommand(response, { opportunityId: id }, result);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  async reopen(@Param() { id }: IdParams, @Body() dto: ReopenDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const pipeline = await this.commands.pipelineOfOpportunity(id);
    const data = { opportunityId: id, pipeline, ...(dto.stageId === undefined ? {} : { stageId: dto.stageId }), at: command.at };
    return answerCommand(response, { opportunityId: id }, await this.run({ type: 'Reopen', data }, command));
  }

  @Get(':id')
  async get(@Param() { id }: IdParams, @Res({ passthrough: true }) response: ResponseHeaders): Promise<OpenedOpportunity & { revision: number }> {
    const { state, revision } = await this.commands.readOpportunity(id);
    const opportunity = openedOpportunity(state, id);
    setETag(response, revision);
    return { ...opportunity, revision: revisionNumber(revision) };
  }

  private run(command: OpportunityCommand, envelope: HttpCommand): Promise<OpportunityResult> {
    return this.commands.opportunity(command, envelope);
  }
}
