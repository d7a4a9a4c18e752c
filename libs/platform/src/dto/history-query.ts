// `?fromRevision=&limit=` of a stream's history endpoint (readStreamHistory of @crm/event-store reads the page).
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @Min(0) @IsInt() fromRevision?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @Max(500) @Min(1) @IsInt() limit?: number;
}
