// GET /customers/:id/history?fromRevision=&limit= — the customer's events as an audit trail: what, when, by whom,
// under which correlation. Personal values are decrypted; after an erasure they are gone from every entry.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { StreamNotFoundError, type EventStore, type JsonValue, type RecordedEvent } from '@crm/event-store';
import { CustomerNotFoundError } from '../domain';
import { customerStream } from '../infrastructure/customer-streams';
import { CustomerIdParams } from '../infrastructure/http/params';
import { CUSTOMER_EVENT_STORE } from '../infrastructure/tokens';

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
  customerId: string;
  events: HistoryEntry[];
  /** Pass as fromRevision for the next page; null on the last one. */
  nextFromRevision: number | null;
}

@ApiTags('customers')
@Controller('customers/:id/history')
export class HistoryController {
  constructor(@Inject(CUSTOMER_EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async history(@Param() { id }: CustomerIdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    const limit = query.limit ?? 100;
    const events: HistoryEntry[] = [];
    try {
      const read = this.store.readStream(customerStream(id), { fromRevision: BigInt(query.fromRevision ?? 0), maxCount: limit });
      for await (const event of read) events.push(entryOf(event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new CustomerNotFoundError(id);
      throw error;
    }
    const last = events.at(-1);
    return { customerId: id, events, nextFromRevision: events.length === limit && last !== undefined ? last.revision + 1 : null };
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
