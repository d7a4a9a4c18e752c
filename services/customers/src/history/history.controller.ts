// GET /customers/:id/history?fromRevision=&limit= — the customer's events as an audit trail: what, when, by whom,
// under which correlation. Personal values are decrypted; after an erasure they are gone from every entry.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { readStreamHistory, type EventStore, type StreamHistoryPage } from '@crm/event-store';
import { HistoryQuery } from '@crm/platform';
import { CustomerNotFoundError } from '../domain';
import { customerStream } from '../infrastructure/customer-streams';
import { CustomerIdParams } from '../infrastructure/http/params';
import { CUSTOMER_EVENT_STORE } from '../infrastructure/tokens';

export interface HistoryPage extends StreamHistoryPage {
  customerId: string;
}

@ApiTags('customers')
@Controller('customers/:id/history')
export class HistoryController {
  constructor(@Inject(CUSTOMER_EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async history(@Param() { id }: CustomerIdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    const page = await readStreamHistory(this.store, customerStream(id), query);
    if (page === null) throw new CustomerNotFoundError(id);
    return { customerId: id, ...page };
  }
}
