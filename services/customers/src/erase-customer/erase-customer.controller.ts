// POST /customers/:id/erase { reason, requestedBy? } → 200 { customerId, revision, erasedCustomerIds }.
// A POST rather than DELETE: the customer's non-personal history stays, and the request carries a body.
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Command, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import type { ErasureReason } from '../domain';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { EraseCustomerHandler } from './erase-customer.handler';

const ERASURE_REASONS = ['data_subject_request', 'retention_policy', 'legal_obligation'] as const satisfies readonly ErasureReason[];

export class EraseCustomerDto {
  @ApiProperty({ enum: ERASURE_REASONS }) @IsIn(ERASURE_REASONS) reason!: ErasureReason;
  @ApiPropertyOptional({ description: "The operator's principal id (default: X-Actor-Id); never the data subject's contact data" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: '$property must be a principal id: 1-128 letters, digits and ._:-' })
  @IsString()
  requestedBy?: string;
}

@ApiTags('customers')
@Controller('customers/:id/erase')
export class EraseCustomerController {
  constructor(private readonly handler: EraseCustomerHandler) {}

  @Post()
  @HttpCode(200)
  async erase(
    @Param() { id }: CustomerIdParams,
    @Body() dto: EraseCustomerDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer & { erasedCustomerIds: string[] }> {
    const { result, erasedCustomerIds } = await this.handler.erase(id, dto.reason, dto.requestedBy ?? command.metadata.actor, command);
    return { ...answer(response, id, result), erasedCustomerIds };
  }
}
