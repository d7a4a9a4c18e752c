// From validated DTOs to the domain's values: phones parsed to E.164 in the configured default region, one
// primary email and phone (the first, when none is marked), optional parts present only when given.
import { fieldsInvalid, PhoneNormaliser as PlatformPhoneNormaliser, type FieldProblem } from '@crm/platform';
import type { CustomAttribute, EmailAddress, PersonName, PhoneNumber, PostalAddress } from '../../domain';
import type { AddressDto, CustomAttributeDto, EmailDto, PersonNameDto, PhoneDto } from './profile.dto';

/** The platform's normaliser, and a profile's list of phones (one primary, every invalid one named in the 400). */
export class PhoneNormaliser extends PlatformPhoneNormaliser {
  /** The phones in E.164; a 400 naming every invalid one (`phones.1.number`). */
  phones(dtos: readonly PhoneDto[], field = 'phones'): PhoneNumber[] {
    const problems: FieldProblem[] = [];
    const numbers = dtos.map((dto, index) => {
      const e164 = this.toE164(dto.number);
      if (e164 === undefined) problems.push(this.invalid(`${field}.${index}.number`, 'number'));
      return { e164: e164 ?? '', primary: dto.primary ?? false, ...(dto.label === undefined ? {} : { label: dto.label }) };
    });
    if (problems.length > 0) throw fieldsInvalid(problems);
    return withPrimary(numbers);
  }
}

export function personName(dto: PersonNameDto): PersonName {
  return { given: dto.given, ...optional('family', dto.family), ...optional('display', dto.display) };
}

export function emails(dtos: readonly EmailDto[]): EmailAddress[] {
  return withPrimary(dtos.map((dto) => ({ address: dto.address, primary: dto.primary ?? false, ...optional('label', dto.label) })));
}

export function address(dto: AddressDto): PostalAddress {
  return { lines: [...dto.lines], city: dto.city, ...optional('postalCode', dto.postalCode), ...optional('region', dto.region), country: dto.country };
}

export function customAttributes(dtos: readonly CustomAttributeDto[]): CustomAttribute[] {
  return dtos.map((dto) => ({ key: dto.key, type: dto.type, value: dto.value }) as CustomAttribute);
}

/** The list with its first entry primary when none is marked; more than one marked is the domain's to refuse. */
function withPrimary<T extends { primary: boolean }>(list: T[]): T[] {
  if (list.length === 0 || list.some((entry) => entry.primary)) return list;
  return list.map((entry, index) => (index === 0 ? { ...entry, primary: true } : entry));
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
