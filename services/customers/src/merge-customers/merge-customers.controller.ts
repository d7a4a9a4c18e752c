// POST /customers/:id/merge-into/:survivorId → 200 { customerId, survivorId, revision, survivorRevision }; ETag of :id.
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Command, revisionNumber, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { MergeCustomersDto, MergeParams } from './merge-customers.dto';
import { MergeCustomersHandler } from './merge-customers.handler';

@ApiTags('customers')
@Controller('customers/:id/merge-into/:survivorId')
export class MergeCustomersController {
  constructor(private readonly handler: MergeCustomersHandler) {}

  @Post()
  @HttpCode(200)
  async merge(
    @Param() { id, survivorId }: MergeParams,
    @Body() dto: MergeCustomersDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer & { survivorId: string; survivorRevision: number }> {
    const { merged, survivor } = await this.handler.merge(id, survivorId, { ...dto.fieldChoices }, command);
    return { ...answer(response, id, merged), survivorId, survivorRevision: revisionNumber(survivor.nextExpectedRevision) };
  }
}
