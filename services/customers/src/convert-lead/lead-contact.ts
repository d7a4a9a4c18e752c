// A converted lead's contact (the contract's Contact) as the profile of the customer registered from it, normalised
// as POST /customers normalises: text trimmed, the email lower-cased, the phone in E.164 (a national number in
// DEFAULT_PHONE_REGION). Data that cannot be normalised makes the message poison: retrying cannot fix it.
import type { Contact } from '@crm/contracts';
import { NonRetriableError } from '@crm/messaging';
import type { CustomerProfile, PersonName } from '../domain';
import type { PhoneNormaliser } from '../infrastructure/http/profile-mapping';

/** The lead's contact data breaks the customers' rules. Names the field, never its value (it ends up in logs and headers). */
export class InvalidLeadContactError extends NonRetriableError {
  override name = 'InvalidLeadContactError';
}

function text(value: string | undefined, field: string, required: true): string;
function text(value: string | undefined, field: string, required?: false): string | undefined;
function text(value: string | undefined, field: string, required = false): string | undefined {
  const trimmed = value?.trim();
  if (trimmed) return trimmed;
  if (required) throw new InvalidLeadContactError(`${field} is blank`);
  return undefined;
}

/** The contract names a person by a full name; the profile by given and family name, with the display name apart. */
function personNameOf(name: Contact['name']): PersonName {
  const fullName = text(name.fullName, 'contact.name.fullName', true);
  const given = text(name.givenName, 'contact.name.givenName') ?? fullName;
  const family = text(name.familyName, 'contact.name.familyName');
  const joined = family === undefined ? given : `${given} ${family}`;
  return { given, ...(family === undefined ? {} : { family }), ...(joined === fullName ? {} : { display: fullName }) };
}

export function profileFromLead(contact: Contact, phones: PhoneNormaliser): CustomerProfile {
  const email = text(contact.email, 'contact.email')?.toLowerCase();
  const phoneText = text(contact.phone, 'contact.phone');
  const e164 = phoneText === undefined ? undefined : phones.toE164(phoneText);
  if (phoneText !== undefined && e164 === undefined) throw new InvalidLeadContactError('contact.phone is not a valid phone number');
  const company = text(contact.company, 'contact.company');
  return {
    name: personNameOf(contact.name),
    emails: email === undefined ? [] : [{ address: email, primary: true }],
    phones: e164 === undefined ? [] : [{ e164, primary: true }],
    ...(company === undefined ? {} : { company }),
    tags: [],
    customAttributes: [],
  };
}
