// Validation helpers for request DTOs beyond class-validator's own: trimming and case, calendar dates, times with a
// zone, nested objects and lists, and a 400 in the platform's shape for checks a decorator cannot make.
import { BadRequestException } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, registerDecorator, ValidateNested, type ValidationOptions } from 'class-validator';
import type { FieldProblem, ValidationFailedBody } from '../errors/validation';

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

/** A 400 in the platform's validation shape, for checks that need more than a decorator (e.g. phone numbers). */
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

// The form of every time in events (as @crm/event-store's isIsoTime checks metadata): a date-time with a zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 date-time with a zone (Z or ±hh:mm) that is a real time. */
export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** A property checked by `check`, with `message` on failure. */
function checkedBy(name: string, check: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: check },
    });
}

export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  checkedBy('isCalendarDate', isCalendarDate, '$property must be a date written YYYY-MM-DD', options);

export const IsIsoDateTime = (options?: ValidationOptions): PropertyDecorator =>
  checkedBy('isIsoDateTime', isIsoDateTime, '$property must be an ISO-8601 date-time with a zone, such as 2025-01-31T09:30:00Z', options);

/** Decorators of a nested list: validated element by element, errors named `field.<index>.<property>`. */
export function NestedList(type: () => new () => object, max: number): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    for (const decorate of [Type(type), ValidateNested({ each: true }), ArrayMaxSize(max), IsArray()]) decorate(target, property);
  };
}

/** Decorators of a nested object; a required one must be present. */
export function Nested(type: () => new () => object, { required = false } = {}): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const decorators = [Type(type), ValidateNested(), ...(required ? [IsDefined()] : [])];
    for (const decorate of decorators) decorate(target, property);
  };
}
