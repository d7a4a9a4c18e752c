// Small validation helpers shared by the customers DTOs: trimming, limits, a 400 naming one field.
import { BadRequestException } from '@nestjs/common';
import type { FieldProblem, ValidationFailedBody } from '@crm/platform';
import { isIsoTime } from '@crm/event-store';
import { Transform } from 'class-transformer';
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

/** Applies `map` to a string, or to each string of an array; other values are left for the validators. */
const mapString = (map: (value: string) => string) =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'string') return map(value);
    if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? map(item) : item));
    return value;
  });

export const Trim = (): PropertyDecorator => mapString((value) => value.trim());
export const TrimLowerCase = (): PropertyDecorator => mapString((value) => value.trim().toLowerCase());
export const TrimUpperCase = (): PropertyDecorator => mapString((value) => value.trim().toUpperCase());

/** A 400 in the platform's validation shape, for checks that need more than a decorator (phones). */
export function fieldsInvalid(problems: readonly FieldProblem[]): BadRequestException {
  const body: ValidationFailedBody = { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [...problems] };
  return new BadRequestException(body);
}

/** A YYYY-MM-DD that is a real calendar date. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

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

/** An ISO-8601 date-time with a zone (Z or ±hh:mm), as every time in events is. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO-8601 date-time with a zone, such as 2025-01-31T09:30:00Z', ...options },
      validator: { validate: (value: unknown) => isIsoTime(value) },
    });
}
