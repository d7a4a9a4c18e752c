// The customers DTOs' own validation: the limits of what a client may send, tags, custom attribute values. The
// generic helpers (trimming, dates, times, nesting, fieldsInvalid) are @crm/platform's.
import { isCalendarDate } from '@crm/platform';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** Limits of every string and list a client may send. */
export const LIMITS = {
  namePart: 100,
  displayName: 200,
  email: 254,
  phone: 32,
  label: 50,
  company: 200,
  gender: 50,
  tag: 64,
  tags: 50,
  source: 100,
  attributeKey: 64,
  attributeValue: 500,
  attributes: 50,
  contacts: 10,
  addressLine: 200,
  addressLines: 4,
  city: 100,
  postalCode: 20,
  region: 100,
  reason: 500,
  orderId: 100,
  sku: 64,
  itemName: 200,
  items: 100,
  quantity: 1_000_000,
  actor: 128,
} as const;

/** A tag: letters, digits and `_.:-`, starting with a letter or digit. */
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** A custom attribute's value, checked against the attribute's `type`. */
export function IsAttributeValue(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAttributeValue',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} must be a ${String((args.object as { type?: unknown }).type)} value (strings at most ${LIMITS.attributeValue} characters, dates YYYY-MM-DD)`,
        ...options,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          switch ((args.object as { type?: unknown }).type) {
            case 'string':
              return typeof value === 'string' && value.length <= LIMITS.attributeValue;
            case 'number':
              return typeof value === 'number' && Number.isFinite(value);
            case 'boolean':
              return typeof value === 'boolean';
            case 'date':
              return isCalendarDate(value);
            default:
              return true; // the type's own check reports it
          }
        },
      },
    });
}
