// The sales activity commands over HTTP, and an activity's state from its stream:
//   POST /activities                    → 201 { activityId, revision }
//   POST /activities/:id/reschedule     { dueAt, remindAt? } → 200
//   POST /activities/:id/complete       { outcome? } → 200
//   POST /activities/:id/cancel         { reason? } → 200
//   GET  /activities/:id                → 200 the activity, ETag
// Reminders are fired by the durable scheduler (FireReminder), not over HTTP.
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { answerCommand, Command, IdParams, revisionNumber, setETag, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { scheduledActivity, type ActivityCommand, type ScheduledActivity } from '../domain';
import { newIdOf } from '../infrastructure/http/sales-dto';
import { SalesCommands, type ActivityResult } from '../infrastructure/sales-commands';
import { CancelActivityDto, CompleteActivityDto, RescheduleActivityDto, ScheduleActivityDto } from './activity.dto';

type Answer = { activityId: string; revision: number };

/** The object without its undefined properties: optional fields are absent from commands, not undefined. */
const present = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

@ApiTags('activities')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'uuid; a retry with the same key gets the original answer' })
@ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: the command applies only to that revision' })
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly commands: SalesCommands) {}

  @Post()
  @HttpCode(201)
  async schedule(@Body() dto: ScheduleActivityDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const activityId = newIdOf('activity', dto.activityId, command);
    const { kind, subject, dueAt, remindAt, opportunityId, leadId, customerId, ownerId } = dto;
    const data = present({ activityId, kind, subject, dueAt, remindAt, opportunityId, leadId, customerId, ownerId, at: command.at });
    const result = await this.run({ type: 'ScheduleActivity', data }, command);
    response.setHeader('Location', `/activities/${activityId}`);
    return answerCommand(response, { activityId }, result);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  async reschedule(@Param() { id }: IdParams, @Body() dto: RescheduleActivityDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const data = present({ activityId: id, dueAt: dto.dueAt, remindAt: dto.remindAt, at: command.at });
    return answerCommand(response, { activityId: id }, await this.run({ type: 'RescheduleActivity', data }, command));
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(@Param() { id }: IdParams, @Body() dto: CompleteActivityDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const data = present({ activityId: id, outcome: dto.outcome, at: command.at });
    return answerCommand(response, { activityId: id }, await this.run({ type: 'CompleteActivity', data }, command));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param() { id }: IdParams, @Body() dto: CancelActivityDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<Answer> {
    const data = present({ activityId: id, reason: dto.reason, at: command.at });
    return answerCommand(response, { activityId: id }, await this.run({ type: 'CancelActivity', data }, command));
  }

  @Get(':id')
  async get(@Param() { id }: IdParams, @Res({ passthrough: true }) response: ResponseHeaders): Promise<ScheduledActivity & { revision: number }> {
    const { state, revision } = await this.commands.readActivity(id);
    const activity = scheduledActivity(state, id);
    setETag(response, revision);
    return { ...activity, revision: revisionNumber(revision) };
  }

  private run(command: ActivityCommand, envelope: HttpCommand): Promise<ActivityResult> {
    return this.commands.activity(command, envelope);
  }
}
