// Building blocks shared by the event schemas. A change here changes every schema that uses it,
// and the snapshot test (schema-snapshots.unit.spec.ts) reports each one.
import { Type, type Static } from '@sinclair/typebox';

/** A string enum rendered as JSON Schema `enum` (TypeBox's literal unions render as `anyOf` of consts). */
export function StringEnum<const T extends readonly [string, ...string[]]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

export const Timestamp = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });

export const CalendarDate = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });

/** A bounded piece of text; every string in a contract has a limit. */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

/** The id of a sales user (an owner) as issued by the identity provider. */
export const UserId = () => Text(100, 'Id of a CRM user (the subject issued by the identity provider).');

export const Money = Type.Object(
  {
    amount: Type.String({
      pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?$',
      description: 'Decimal string, never a float: "1299.90".',
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code.' }),
  },
  { description: 'An amount of money in one currency.' },
);
export type Money = Static<typeof Money>;

export const PersonName = Type.Object({
  fullName: Text(200, 'The name to address the person by, as they gave it.'),
  givenName: Type.Optional(Text(100)),
  familyName: Type.Optional(Text(100)),
}, { description: "The person's name." });
export type PersonName = Static<typeof PersonName>;

export const EmailAddress = (description = 'Normalised: trimmed, lower case.') =>
  Type.String({ format: 'email', maxLength: 254, description });

export const PhoneNumber = (description = 'E.164, e.g. "+4930123456".') =>
  Type.String({ pattern: '^\\+[1-9][0-9]{1,14}$', description });

/** How to reach a person: the data a subscriber needs to address and contact them, and no more. */
export const Contact = Type.Object(
  {
    name: PersonName,
    email: Type.Optional(EmailAddress('The primary email address, normalised: trimmed, lower case.')),
    phone: Type.Optional(PhoneNumber('The primary phone number in E.164, e.g. "+4930123456".')),
    company: Type.Optional(Text(200, 'The company the person buys for or works at.')),
  },
  { description: 'Personal data: drop it when the person is erased (customer.erased, lead.erased).' },
);
export type Contact = Static<typeof Contact>;

/** Where a customer is, coarsely: street and postal code stay in the customers service. */
export const Location = Type.Object(
  {
    city: Type.Optional(Text(100)),
    countryCode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' })),
  },
  { description: 'Personal data: drop it when the customer is erased.' },
);
export type Location = Static<typeof Location>;

export const Tag = Text(64);
