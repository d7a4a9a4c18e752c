// POST /customers → 201 { customerId, revision }, Location and ETag.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Command, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { RegisterCustomerDto } from './register-customer.dto';
import { RegisterCustomerHandler } from './register-customer.handler';

@ApiTags('customers')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'uuid; a retry with the same key gets the original answer' })
@Controller('customers')
export class RegisterCustomerController {
  constructor(private readonly handler: RegisterCustomerHandler) {}

  @Post()
  @HttpCode(201)
  async register(@Body() dto: RegisterCustomerDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders): Promise<CommandAnswer> {
    const { customerId, result } = await this.handler.handle(dto, command);
    response.setHeader('Location', `/customers/${customerId}`);
    return answer(response, customerId, result);
  }
}
