// POST /customers/:id/unmerge → 200 { customerId, survivorId, revision, survivorRevision? }; ETag of :id.
import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Command, revisionNumber, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { UnmergeCustomerHandler } from './unmerge-customer.handler';

@ApiTags('customers')
@Controller('customers/:id/unmerge')
export class UnmergeCustomerController {
  constructor(private readonly handler: UnmergeCustomerHandler) {}

  @Post()
  @HttpCode(200)
  async unmerge(
    @Param() { id }: CustomerIdParams,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer & { survivorId?: string; survivorRevision?: number }> {
    const { merged, survivorId, survivor } = await this.handler.unmerge(id, command);
    return {
      ...answer(response, id, merged),
      ...(survivorId === undefined ? {} : { survivorId }),
      ...(survivor === undefined ? {} : { survivorRevision: revisionNumber(survivor.nextExpectedRevision) }),
    };
  }
}
