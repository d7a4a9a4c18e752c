// GET /{pipelines|leads|opportunities|activities}/:id/history?fromRevision=&limit= — an aggregate's events as an
// audit trail: what, when, by whom, under which correlation. Lead contact data is decrypted; after the lead's
// erasure it is gone from every entry.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { StreamNotFoundError, type EventStore, type JsonValue, type RecordedEvent } from '@crm/event-store';
import { IdParams } from '@crm/platform';
import { SALES_STREAM_PREFIXES, SalesNotFoundError, type SalesAggregate } from '../domain';
import { SALES_EVENT_STORE } from '../infrastructure/tokens';

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @Min(0) @IsInt() fromRevision?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @Max(500) @Min(1) @IsInt() limit?: number;
}

export interface HistoryEntry {
  eventId: string;
  revision: number;
  type: string;
  /** When the event was stored. */
  at: string;
  /** When the command that caused it was accepted. */
  acceptedAt?: string;
  actor?: string;
  correlationId?: string;
  causationId?: string;
  commandId?: string;
  data: JsonValue;
}

export interface HistoryPage {
  id: string;
  events: HistoryEntry[];
  /** Pass as fromRevision for the next page; null on the last one. */
  nextFromRevision: number | null;
}

@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(@Inject(SALES_EVENT_STORE) private readonly store: EventStore) {}

  @Get('pipelines/:id/history')
  pipeline(@Param() { id }: IdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    return this.page('pipeline', id, query);
  }

  @Get('leads/:id/history')
  lead(@Param() { id }: IdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    return this.page('lead', id, query);
  }

  @Get('opportunities/:id/history')
  opportunity(@Param() { id }: IdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    return this.page('opportunity', id, query);
  }

  @Get('activities/:id/history')
  activity(@Param() { id }: IdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    return this.page('activity', id, query);
  }

  private async page(aggregate: SalesAggregate, id: string, query: HistoryQuery): Promise<HistoryPage> {
    const limit = query.limit ?? 100;
    const events: HistoryEntry[] = [];
    try {
      const read = this.store.readStream(`${SALES_STREAM_PREFIXES[aggregate]}${id}`, { fromRevision: BigInt(query.fromRevision ?? 0), maxCount: limit });
      for await (const event of read) events.push(entryOf(event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new SalesNotFoundError(aggregate, id);
      throw error;
    }
    const last = events.at(-1);
    return { id, events, nextFromRevision: events.length === limit && last !== undefined ? last.revision + 1 : null };
  }
}

function entryOf(event: RecordedEvent): HistoryEntry {
  const text = (key: string): { [k: string]: string } => {
    const value = event.metadata[key];
    return typeof value === 'string' ? { [key]: value } : {};
  };
  const { time } = event.metadata;
  return {
    eventId: event.id,
    revision: Number(event.revision),
    type: event.type,
    at: event.created.toISOString(),
    ...(typeof time === 'string' ? { acceptedAt: time } : {}),
    ...text('actor'),
    ...text('correlationId'),
    ...text('causationId'),
    ...text('commandId'),
    data: event.data,
  };
}
