// The pipeline commands over HTTP, and a pipeline's definition from its stream:
//   POST  /pipelines                          → 201 { pipelineId, revision }
//   PATCH /pipelines/:id                      { name } → 200
//   POST  /pipelines/:id/stages               { id, name, winProbability, position? } → 200
//   PUT   /pipelines/:id/stages/order         { stageIds } → 200
//   PATCH /pipelines/:id/stages/:stageId      { name?, winProbability? } → 200
//   GET   /pipelines/:id                      → 200 the definition, ETag
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { answerCommand, Command, fieldsInvalid, IdParams, revisionNumber, setETag, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { stepOf } from '@crm/event-store';
import { definedPipeline, type DefinedPipeline, type PipelineCommand } from '../domain';
import { newIdOf, StageId, toStage } from '../infrastructure/http/sales-dto';
import { SalesCommands, type PipelineResult } from '../infrastructure/sales-commands';
import { AddStageDto, ChangeStageDto, DefinePipelineDto, RenamePipelineDto, ReorderStagesDto } from './pipeline.dto';

export class StageParams extends IdParams {
  @ApiProperty({ example: 'proposal' }) @StageId() stageId!: string;
}

type Answer = { pipelineId: string; revision: number };

@ApiTags('pipelines')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'uuid; a retry with the same key gets the original answer' })
@ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: the command applies only to that revision' })
@Controller('pipelines')
export class PipelinesController {
  constructor(private readonly commands: SalesCommands) {}

  @Post()
  @HttpCode(201)
  async define(@Body() dto: DefinePipelineDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const pipelineId = newIdOf('pipeline', dto.pipelineId, command);
    const result = await this.run({ type: 'DefinePipeline', data: { pipelineId, name: dto.name, stages: dto.stages.map(toStage), at: command.at } }, command);
    response.setHeader('Location', `/pipelines/${pipelineId}`);
    return answerCommand(response, { pipelineId }, result);
  }

  @Patch(':id')
  async rename(@Param() { id }: IdParams, @Body() dto: RenamePipelineDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'RenamePipeline', data: { pipelineId: id, name: dto.name, at: command.at } }, command);
    return answerCommand(response, { pipelineId: id }, result);
  }

  @Post(':id/stages')
  @HttpCode(200)
  async addStage(@Param() { id }: IdParams, @Body() dto: AddStageDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const data = { pipelineId: id, stage: toStage(dto), ...(dto.position === undefined ? {} : { position: dto.position }), at: command.at };
    return answerCommand(response, { pipelineId: id }, await this.run({ type: 'AddStage', data }, command));
  }

  @Put(':id/stages/order')
  async reorder(@Param() { id }: IdParams, @Body() dto: ReorderStagesDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const result = await this.run({ type: 'ReorderStages', data: { pipelineId: id, stageIds: dto.stageIds, at: command.at } }, command);
    return answerCommand(response, { pipelineId: id }, result);
  }

  /**
   * A name and a probability are two commands on one stream: each a step with its own id derived from the
   * request's (a retry repeats both idempotently), the second based on the revision the first left.
   */
  @Patch(':id/stages/:stageId')
  async changeStage(
    @Param() { id, stageId }: StageParams,
    @Body() dto: ChangeStageDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<Answer & { stageId: string }> {
    if (dto.name === undefined && dto.winProbability === undefined) {
      throw fieldsInvalid([{ field: 'name', problems: ['name or winProbability must be given'] }]);
    }
    let basedOn = command.expectedRevision;
    let result: PipelineResult | undefined;
    if (dto.name !== undefined) {
      result = await this.run({ type: 'RenameStage', data: { pipelineId: id, stageId, name: dto.name, at: command.at } }, { ...stepOf(command, 'rename-stage'), expectedRevision: basedOn });
      basedOn = basedOn === undefined || result.nextExpectedRevision === 'no_stream' ? basedOn : result.nextExpectedRevision;
    }
    if (dto.winProbability !== undefined) {
      const data = { pipelineId: id, stageId, winProbability: dto.winProbability, at: command.at };
      result = await this.run({ type: 'ChangeStageProbability', data }, { ...stepOf(command, 'stage-probability'), expectedRevision: basedOn });
    }
    return { ...answerCommand(response, { pipelineId: id }, result as PipelineResult), stageId };
  }

  @Get(':id')
  async get(@Param() { id }: IdParams, @Res({ passthrough: true }) response: ResponseHeaders): Promise<DefinedPipeline & { revision: number }> {
    const { state, revision } = await this.commands.readPipeline(id);
    const pipeline = definedPipeline(state, id);
    setETag(response, revision);
    return { ...pipeline, revision: revisionNumber(revision) };
  }

  private run(command: PipelineCommand, envelope: Pick<HttpCommand, 'metadata' | 'expectedRevision'>): Promise<PipelineResult> {
    return this.commands.pipeline(command, envelope);
  }
}
