// POST /customers/:id/deactivate { reason? } and POST /customers/:id/reactivate → 200 { customerId, revision }.
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Command, Trim, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import type { DeactivateCustomer } from '../domain';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { LIMITS } from '../infrastructure/http/validation';

export class DeactivateCustomerDto {
  @ApiPropertyOptional({ maxLength: LIMITS.reason, description: 'Free text; stored encrypted as personal data' })
  @IsOptional()
  @Trim()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  @IsString()
  reason?: string;
}

@ApiTags('customers')
@Controller('customers/:id')
export class DeactivateCustomerController {
  constructor(private readonly commands: CustomerCommands) {}

  @Post('deactivate')
  @HttpCode(200)
  async deactivate(
    @Param() { id }: CustomerIdParams,
    @Body() dto: DeactivateCustomerDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer> {
    const data: DeactivateCustomer['data'] = dto.reason === undefined ? { customerId: id, at: command.at } : { customerId: id, reason: dto.reason, at: command.at };
    return answer(response, id, await this.commands.execute({ type: 'DeactivateCustomer', data }, command));
  }

  @Post('reactivate')
  @HttpCode(200)
  async reactivate(@Param() { id }: CustomerIdParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<CommandAnswer> {
    return answer(response, id, await this.commands.execute({ type: 'ReactivateCustomer', data: { customerId: id, at: command.at } }, command));
  }
}
