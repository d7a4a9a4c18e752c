// POST /customers/:id/tags/:tag tags, DELETE untags → 200 { customerId, revision }; either is a no-op when done.
import { Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Command, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { LIMITS, TAG_PATTERN } from '../infrastructure/http/validation';

export class TagParams extends CustomerIdParams {
  @ApiProperty({ maxLength: LIMITS.tag, pattern: TAG_PATTERN.source })
  @Matches(TAG_PATTERN, { message: '$property must be letters, digits and _.:-, starting with a letter or digit' })
  @MaxLength(LIMITS.tag)
  @IsString()
  tag!: string;
}

@ApiTags('customers')
@Controller('customers/:id/tags/:tag')
export class TagCustomerController {
  constructor(private readonly commands: CustomerCommands) {}

  @Post()
  @HttpCode(200)
  async tag(@Param() { id, tag }: TagParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<CommandAnswer> {
    return answer(response, id, await this.commands.execute({ type: 'TagCustomer', data: { customerId: id, tag, at: command.at } }, command));
  }

  @Delete()
  async untag(@Param() { id, tag }: TagParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<CommandAnswer> {
    return answer(response, id, await this.commands.execute({ type: 'UntagCustomer', data: { customerId: id, tag, at: command.at } }, command));
  }
}
