// The query string of GET /customers, validated like a body: unknown parameters, wrong types and values out of
// range answer 400 naming the parameter. Repeatable parameters (`tag`, `status`, `consent`) may be given once
// or several times.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsInstant, PageCursor, PageLimit, Trim } from '@crm/platform';
import { CONSENT_CHANNELS, type ConsentChannel } from '../domain';
import { LIMITS, TAG_PATTERN } from '../infrastructure/http/validation';
import { PROFILE_STATUSES, type ProfileStatus } from '../read-model/customer-profile.row';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

/** `a` or `a&a` → an array; anything else is left to the validators. */
const Repeatable = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value));

export class SearchCustomersQuery {
  @ApiPropertyOptional({ description: 'Text in the name, an email, a phone (any format) or the company; case-insensitive', maxLength: 200 })
  @IsOptional()
  @Trim()
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ type: [String], description: 'Repeatable: customers with every one of these tags' })
  @IsOptional()
  @Repeatable()
  @Matches(TAG_PATTERN, { each: true, message: 'each tag must be letters, digits and _.:-, starting with a letter or digit' })
  @MaxLength(LIMITS.tag, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(10)
  @IsArray()
  tag?: string[];

  @ApiPropertyOptional({ enum: CONSENT_CHANNELS, isArray: true, description: 'Repeatable: customers whose consent for the channel is granted' })
  @IsOptional()
  @Repeatable()
  @IsIn(CONSENT_CHANNELS, { each: true })
  @ArrayMaxSize(CONSENT_CHANNELS.length)
  @IsArray()
  consent?: ConsentChannel[];

  @ApiPropertyOptional({ enum: PROFILE_STATUSES, isArray: true, description: 'Repeatable; default active and inactive' })
  @IsOptional()
  @Repeatable()
  @IsIn(PROFILE_STATUSES, { each: true })
  @ArrayMaxSize(PROFILE_STATUSES.length)
  @IsArray()
  status?: ProfileStatus[];

  @ApiPropertyOptional({ description: 'Registered at or after (inclusive)' }) @IsOptional() @IsInstant() createdFrom?: string;
  @ApiPropertyOptional({ description: 'Registered before (exclusive)' }) @IsOptional() @IsInstant() createdTo?: string;
  @ApiPropertyOptional({ description: 'Last purchase at or after (inclusive)' }) @IsOptional() @IsInstant() lastPurchaseFrom?: string;
  @ApiPropertyOptional({ description: 'Last purchase before (exclusive)' }) @IsOptional() @IsInstant() lastPurchaseTo?: string;

  @PageLimit({ max: MAX_LIMIT, default: DEFAULT_LIMIT }) limit?: number;
  @PageCursor({ maxLength: 300 }) cursor?: string;
}
