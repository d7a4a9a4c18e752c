// Query-string parameters every list endpoint shares: instants for ranges, and the `limit`/`cursor` pair of a
// keyset-paginated list. A parameter at fault answers 400 naming it (the platform's ValidationPipe).
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isIsoDateTime } from './dto-decorators';

/** YYYY-MM-DD (midnight UTC) or an ISO-8601 date-time with a zone. */
export const isInstant = (value: unknown): value is string => isCalendarDate(value) || isIsoDateTime(value);

export const IsInstant =
  (options?: ValidationOptions): PropertyDecorator =>
  (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a date (YYYY-MM-DD) or an ISO-8601 date-time with a zone', ...options },
      validator: { validate: isInstant },
    });

// applyDecorators applies in list order: the lists below are the decorator stacks they replace, read bottom-up, so
// the checks (and their messages) keep their order.

/** An optional page size, 1..max, from the query string's text. */
export const PageLimit = ({ max, default: byDefault }: { max: number; default: number }): PropertyDecorator =>
  applyDecorators(IsInt(), Min(1), Max(max), Type(() => Number), IsOptional(), ApiPropertyOptional({ minimum: 1, maximum: max, default: byDefault }));

/** An optional opaque cursor (base64url) that a previous page returned as its nextCursor. */
export const PageCursor = ({ maxLength }: { maxLength: number }): PropertyDecorator =>
  applyDecorators(
    IsString(),
    MaxLength(maxLength),
    Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor returned by this API' }),
    IsOptional(),
    ApiPropertyOptional({ description: 'The nextCursor of the previous page' }),
  );
