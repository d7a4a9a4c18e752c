// Registering a customer: normalise, refuse a duplicate by email or phone (unless allowed), then decide.
import { Inject, Injectable } from '@nestjs/common';
import { CRM_ID_NAMESPACE, uuidv5 } from '@crm/event-store';
import { ConflictError } from '@crm/platform';
import type { CustomerProfile, RegisterCustomer } from '../domain';
import { CustomerCommands, type CustomerCommandResult } from '../infrastructure/customer-commands';
import type { DuplicateLookup } from '../infrastructure/duplicate-lookup';
import type { HttpCommand } from '../infrastructure/http/command-envelope';
import { address, customAttributes, emails, optional, personName, PhoneNormaliser } from '../infrastructure/http/profile-mapping';
import { DUPLICATE_LOOKUP } from '../infrastructure/tokens';
import type { RegisterCustomerDto } from './register-customer.dto';

/** How many merges a duplicate's id is followed through to its survivor. */
const MAX_MERGE_HOPS = 5;

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
    const found = await this.duplicates.findByEmailOrPhone(
      profile.emails.map((email) => email.address),
      profile.phones.map((phone) => phone.e164),
    );
    if (found === null || found === customerId) return;
    // A retried registration finds itself in the index: let the command handler answer it.
    if ((await this.commands.read(customerId)).revision !== 'no_stream') return;
    const existing = await this.survivorOf(found);
    if (existing === null || existing === customerId) return;
    throw new ConflictError('CUSTOMER_DUPLICATE', 'A customer with one of these emails or phones already exists', { existingCustomerId: existing });
  }

  /** The customer a duplicate lives on as: itself, its survivor if merged, none if erased (index lag). */
  private async survivorOf(customerId: string): Promise<string | null> {
    let current = customerId;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
      const { state } = await this.commands.read(current);
      if (state.status === 'merged') current = state.survivorId;
      else return state.status === 'erased' || state.status === 'new' ? null : current;
    }
    return current;
  }
}
