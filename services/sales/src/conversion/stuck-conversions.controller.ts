// GET /conversions/stuck?olderThan=PT5M&limit=&after= — lead conversions the customers service has not answered
// for longer than `olderThan` (default CONVERSION_STUCK_AFTER), oldest first. Retry one with
// POST /leads/:id/conversion/retry.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, Min, registerDecorator } from 'class-validator';
import { TrimLowerCase } from '@crm/platform';
import type { Pool } from 'pg';
import { SALES_POOL } from '../infrastructure/tokens';
import { SalesConfig } from '../sales.config';
import { parseIsoDuration } from './iso-duration';
import { sagaSettings } from './saga-settings';
import { MAX_STUCK_LIMIT, stuckConversions, type StuckConversionsPage } from './stuck-conversions.query';

const DEFAULT_LIMIT = 100;

function IsIsoDuration(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDuration',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO-8601 duration in days, hours, minutes or seconds, such as PT5M' },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseIsoDuration(value) !== undefined },
    });
}

export class StuckConversionsQuery {
  @ApiPropertyOptional({ example: 'PT5M', description: 'How long a conversion has waited at least (default: the service setting).' })
  @IsOptional()
  @IsIsoDuration()
  @IsString()
  olderThan?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_STUCK_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_STUCK_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The nextAfter of the previous page.' })
  @IsOptional()
  @TrimLowerCase()
  @IsUUID()
  after?: string;
}

@ApiTags('conversions')
@Controller('conversions')
export class StuckConversionsController {
  private readonly defaultOlderThan: string;
  private readonly defaultOlderThanMs: number;

  constructor(
    @Inject(SALES_POOL) private readonly pool: Pool,
    config: SalesConfig,
  ) {
    const { stuckAfter, stuckAfterMs } = sagaSettings(config);
    this.defaultOlderThan = stuckAfter;
    this.defaultOlderThanMs = stuckAfterMs;
  }

  @Get('stuck')
  @ApiOkResponse({ description: 'Stuck conversions, oldest first.' })
  async stuck(@Query() query: StuckConversionsQuery): Promise<StuckConversionsPage> {
    const olderThan = query.olderThan ?? this.defaultOlderThan;
    const olderThanMs = query.olderThan === undefined ? this.defaultOlderThanMs : (parseIsoDuration(query.olderThan) ?? this.defaultOlderThanMs);
    const page = await stuckConversions(this.pool, { olderThanMs, limit: query.limit ?? DEFAULT_LIMIT, after: query.after });
    return { olderThan, ...page };
  }
}
