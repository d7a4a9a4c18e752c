// Validation of the sales queries' parameters beyond class-validator's own: instants, months, and the paging pair
// every list takes. A parameter at fault answers 400 naming it (the platform's ValidationPipe).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, registerDecorator, type ValidationOptions } from 'class-validator';
import { fieldsInvalid, IsInstant, PageCursor, PageLimit, TrimLowerCase } from '@crm/platform';
import { instantOf } from './figures';
import { DEFAULT_LIMIT, MAX_LIMIT } from './keyset';

// Instants are the platform's (IsInstant of @crm/platform), re-exported for the query DTOs that import them here.
export { IsInstant } from '@crm/platform';

function checkedBy(name: string, check: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({ name, target: target.constructor, propertyName: String(propertyName), options: { message, ...options }, validator: { validate: check } });
}

export const isMonth = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** A calendar month, YYYY-MM. */
export const IsMonth = (options?: ValidationOptions): PropertyDecorator => checkedBy('isMonth', isMonth, '$property must be a month written YYYY-MM', options);

/** A user id as the sales aggregates record it (owners are ids of the identity provider, not uuids). */
export const IsUserId = (): PropertyDecorator => (target: object, property: string | symbol) => {
  for (const decorate of [MaxLength(100), Matches(/^\S+$/, { message: '$property must be a user id without spaces' }), IsString()]) decorate(target, property);
};

/** `limit` and `cursor` of a keyset-paginated list. */
export class PageParams {
  @PageLimit({ max: MAX_LIMIT, default: DEFAULT_LIMIT }) limit?: number;
  @PageCursor({ maxLength: 400 }) cursor?: string;
}

/** A required period [from, to) and an optional pipeline. */
export class PeriodParams {
  @ApiProperty({ example: '2026-07-01', description: 'Start (inclusive): a date (midnight UTC) or a date-time with a zone' }) @IsInstant() from!: string;
  @ApiProperty({ example: '2026-10-01', description: 'End (exclusive)' }) @IsInstant() to!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this pipeline; default all' }) @IsOptional() @TrimLowerCase() @IsUUID() pipelineId?: string;
}

/** The period as instants; a 400 naming `to` unless it is after `from`. */
export function periodOf(params: PeriodParams): { from: string; to: string } {
  const [from, to] = [instantOf(params.from), instantOf(params.to)];
  if (Date.parse(to) <= Date.parse(from)) throw fieldsInvalid([{ field: 'to', problems: ['to must be after from'] }]);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
