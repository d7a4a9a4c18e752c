// GET /{pipelines|leads|opportunities|activities}/:id/history?fromRevision=&limit= — an aggregate's events as an
// audit trail: what, when, by whom, under which correlation. Lead contact data is decrypted; after the lead's
// erasure it is gone from every entry.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { readStreamHistory, type EventStore, type StreamHistoryPage } from '@crm/event-store';
import { HistoryQuery, IdParams } from '@crm/platform';
import { SALES_STREAM_PREFIXES, SalesNotFoundError, type SalesAggregate } from '../domain';
import { SALES_EVENT_STORE } from '../infrastructure/tokens';

export interface HistoryPage extends StreamHistoryPage {
  id: string;
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
    const page = await readStreamHistory(this.store, `${SALES_STREAM_PREFIXES[aggregate]}${id}`, query);
    if (page === null) throw new SalesNotFoundError(aggregate, id);
    return { id, ...page };
  }
}
