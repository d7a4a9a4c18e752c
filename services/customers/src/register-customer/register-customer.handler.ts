// Registering a customer: normalise, refuse a duplicate by email or phone (unless allowed), then decide.
import { Inject, Injectable } from '@nestjs/common';
import { CRM_ID_NAMESPACE, uuidv5 } from '@crm/event-store';
import { ConflictError, type HttpCommand } from '@crm/platform';
import type { CustomerProfile, RegisterCustomer } from '../domain';
import { CustomerCommands, type CustomerCommandResult } from '../infrastructure/customer-commands';
import type { DuplicateLookup } from '../infrastructure/duplicate-lookup';
import { address, customAttributes, emails, optional, personName, PhoneNormaliser } from '../infrastructure/http/profile-mapping';
import { DUPLICATE_LOOKUP } from '../infrastructure/tokens';
import { findDuplicate } from './duplicate-rules';
import type { RegisterCustomerDto } from './register-customer.dto';

@Injectable()
export class RegisterCustomerHandler {
  constructor(
    private readonly commands: CustomerCommands,
    @Inject(DUPLICATE_LOOKUP) private readonly duplicates: DuplicateLookup,
    private readonly phones: PhoneNormaliser,
  ) {}

  async handle(dto: RegisterCustomerDto, command: HttpCommand): Promise<{ customerId: string; result: CustomerCommandResult }> {
    const customerId = dto.customerId ?? uuidv5(`customer:${command.metadata.commandId}`, CRM_ID_NAMESPACE);
    const profile = this.profileOf(dto);
    if (dto.allowDuplicate !== true) await this.refuseDuplicate(customerId, profile);
    const register: RegisterCustomer = { type: 'RegisterCustomer', data: { customerId, ...profile, at: command.at } };
    return { customerId, result: await this.commands.execute(register, command) };
  }

  private profileOf(dto: RegisterCustomerDto): CustomerProfile {
    return {
      name: personName(dto.name),
      emails: emails(dto.emails ?? []),
      phones: this.phones.phones(dto.phones ?? []),
      ...optional('address', dto.address && address(dto.address)),
      ...optional('birthday', dto.birthday),
      ...optional('gender', dto.gender),
      ...optional('company', dto.company),
      tags: dto.tags ?? [],
      ...optional('acquisitionSource', dto.acquisitionSource),
      customAttributes: customAttributes(dto.customAttributes ?? []),
    };
  }

  private async refuseDuplicate(customerId: string, profile: CustomerProfile): Promise<void> {
    const existing = await findDuplicate({ commands: this.commands, duplicates: this.duplicates }, customerId, profile);
    if (existing === null) return;
    throw new ConflictError('CUSTOMER_DUPLICATE', 'A customer with one of these emails or phones already exists', { existingCustomerId: existing.customerId });
  }
}
