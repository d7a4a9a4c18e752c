// PATCH /customers/:id/contact-details → 200 { customerId, revision } and ETag; If-Match honoured.
import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Command, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import type { ContactDetailsPatch, UpdateContactDetails } from '../domain';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { customAttributes, emails, personName, PhoneNormaliser } from '../infrastructure/http/profile-mapping';
import { UpdateContactDetailsDto } from './update-contact-details.dto';

@ApiTags('customers')
@Controller('customers/:id/contact-details')
export class UpdateContactDetailsController {
  constructor(
    private readonly commands: CustomerCommands,
    private readonly phones: PhoneNormaliser,
  ) {}

  @Patch()
  async update(
    @Param() { id }: CustomerIdParams,
    @Body() dto: UpdateContactDetailsDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer> {
    const update: UpdateContactDetails = { type: 'UpdateContactDetails', data: { customerId: id, ...this.patchOf(dto), at: command.at } };
    return answer(response, id, await this.commands.execute(update, command));
  }

  private patchOf(dto: UpdateContactDetailsDto): ContactDetailsPatch {
    const patch: { -readonly [K in keyof ContactDetailsPatch]: ContactDetailsPatch[K] } = {};
    if (dto.name !== undefined) patch.name = personName(dto.name);
    if (dto.emails !== undefined) patch.emails = emails(dto.emails);
    if (dto.phones !== undefined) patch.phones = this.phones.phones(dto.phones);
    if (dto.birthday !== undefined) patch.birthday = dto.birthday;
    if (dto.gender !== undefined) patch.gender = dto.gender;
    if (dto.company !== undefined) patch.company = dto.company;
    if (dto.customAttributes !== undefined) patch.customAttributes = customAttributes(dto.customAttributes);
    return patch;
  }
}
