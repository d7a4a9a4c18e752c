// The rules every profile obeys, and patches over it. A patch names changed fields only; null clears one.
import { CustomerRuleViolation, type CustomerRuleCode } from './customer.errors';
import {
  PROFILE_FIELDS,
  type CustomAttribute,
  type CustomerProfile,
  type EmailAddress,
  type PhoneNumber,
  type ProfileField,
  type ProfilePatch,
} from './customer.values';

export const MAX_TAGS = 50;

/** Structural equality of JSON values; an undefined property counts as absent (stored JSON drops it). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((key) => o[key] !== undefined);
  const leftKeys = keys(left);
  return leftKeys.length === keys(right).length && leftKeys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

function violation(customerId: string, code: CustomerRuleCode, message: string, details = {}): CustomerRuleViolation {
  return new CustomerRuleViolation(customerId, code, message, details);
}

// Details name positions, never the values: an email address in an error body would end up in logs.
function checkContacts(
  customerId: string,
  list: readonly (EmailAddress | PhoneNumber)[],
  valueOf: (entry: EmailAddress | PhoneNumber) => string,
  codes: { none: CustomerRuleCode; many: CustomerRuleCode; duplicate: CustomerRuleCode },
  what: string,
): void {
  if (list.length === 0) return;
  const primaries = list.filter((entry) => entry.primary).length;
  if (primaries === 0) throw violation(customerId, codes.none, `One of the ${what} must be primary`);
  if (primaries > 1) throw violation(customerId, codes.many, `Only one of the ${what} may be primary`);
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(valueOf(entry))) throw violation(customerId, codes.duplicate, `The ${what} contain a duplicate`, { index });
    seen.add(valueOf(entry));
  });
}

function checkAttributes(customerId: string, attributes: readonly CustomAttribute[]): void {
  const keys = new Set<string>();
  for (const attribute of attributes) {
    if (keys.has(attribute.key)) {
      throw violation(customerId, 'DUPLICATE_ATTRIBUTE_KEY', `Custom attribute ${attribute.key} is given twice`, { key: attribute.key });
    }
    keys.add(attribute.key);
    const value: unknown = attribute.value;
    const fits =
      (attribute.type === 'string' && typeof value === 'string') ||
      (attribute.type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
      (attribute.type === 'boolean' && typeof value === 'boolean') ||
      (attribute.type === 'date' && typeof value === 'string' && isIsoDate(value));
    if (!fits) {
      throw violation(customerId, 'INVALID_ATTRIBUTE_VALUE', `Custom attribute ${attribute.key} is not a valid ${attribute.type}`, {
        key: attribute.key,
        type: attribute.type,
      });
    }
  }
}

/** Checks the fields present in `profile`; `at` is the command's time (a birthday cannot be after it). */
export function checkProfile(customerId: string, profile: Partial<CustomerProfile> | ProfilePatch, at: string): void {
  if (profile.emails) {
    checkContacts(customerId, profile.emails, (e) => (e as EmailAddress).address, {
      none: 'NO_PRIMARY_EMAIL',
      many: 'MULTIPLE_PRIMARY_EMAILS',
      duplicate: 'DUPLICATE_EMAIL',
    }, 'emails');
  }
  if (profile.phones) {
    checkContacts(customerId, profile.phones, (p) => (p as PhoneNumber).e164, {
      none: 'NO_PRIMARY_PHONE',
      many: 'MULTIPLE_PRIMARY_PHONES',
      duplicate: 'DUPLICATE_PHONE',
    }, 'phones');
  }
  if (profile.tags && profile.tags.length > MAX_TAGS) {
    throw violation(customerId, 'TAG_LIMIT', `A customer has at most ${MAX_TAGS} tags`, { limit: MAX_TAGS });
  }
  if (profile.customAttributes) checkAttributes(customerId, profile.customAttributes);
  if (typeof profile.birthday === 'string' && (!isIsoDate(profile.birthday) || profile.birthday > at.slice(0, 10))) {
    throw violation(customerId, 'INVALID_BIRTHDAY', 'The birthday must be a past date, YYYY-MM-DD');
  }
}

/**
 * The profile with the patch applied. A field missing from the patch (or undefined in it, as after its personal
 * data was shredded) is left as it is; null removes it.
 */
export function applyPatch(profile: CustomerProfile, patch: ProfilePatch): CustomerProfile {
  const next: Record<string, unknown> = { ...profile };
  for (const field of PROFILE_FIELDS) {
    if (!Object.hasOwn(patch, field) || patch[field] === undefined) continue;
    if (patch[field] === null) delete next[field];
    else next[field] = patch[field];
  }
  return next as CustomerProfile;
}

/** The patch without the fields that would not change the profile. */
export function changedFields(profile: CustomerProfile, patch: ProfilePatch): ProfilePatch {
  const changed: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    if (!jsonEqual(profile[field] ?? null, value)) changed[field] = value;
  }
  return changed as ProfilePatch;
}

/** The profile of a registration or a snapshot: optional fields present only when they have a value. */
export function profileOf(data: Partial<CustomerProfile>): CustomerProfile {
  const profile: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) if (data[field] !== undefined) profile[field] = data[field];
  return profile as CustomerProfile;
}

export function fieldValue<K extends ProfileField>(profile: CustomerProfile, field: K): CustomerProfile[K] | null {
  return profile[field] ?? null;
}
