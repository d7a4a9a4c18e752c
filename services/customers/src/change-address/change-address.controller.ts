// PUT /customers/:id/address (body: the address) and DELETE /customers/:id/address → 200 { customerId, revision }.
import { Body, Controller, Delete, Param, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Command, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import type { ChangeAddress, PostalAddress } from '../domain';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { AddressDto } from '../infrastructure/http/profile.dto';
import { address } from '../infrastructure/http/profile-mapping';

@ApiTags('customers')
@Controller('customers/:id/address')
export class ChangeAddressController {
  constructor(private readonly commands: CustomerCommands) {}

  @Put()
  change(@Param() { id }: CustomerIdParams, @Body() dto: AddressDto, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders) {
    return this.changeTo(id, address(dto), command, response);
  }

  @Delete()
  remove(@Param() { id }: CustomerIdParams, @Command() command: HttpCommand, @Res({ passthrough: true }) response: ResponseHeaders) {
    return this.changeTo(id, null, command, response);
  }

  private async changeTo(customerId: string, newAddress: PostalAddress | null, command: HttpCommand, response: ResponseHeaders): Promise<CommandAnswer> {
    const change: ChangeAddress = { type: 'ChangeAddress', data: { customerId, address: newAddress, at: command.at } };
    return answer(response, customerId, await this.commands.execute(change, command));
  }
}
