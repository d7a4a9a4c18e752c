// GET /customers/:id/as-of?at=<ISO time> — the customer as it was at that time: its stream replayed up to the last
// event stored at or before it. The read side owns GET /customers/:id; this view lives beside it under its own
// path. Personal values are decrypted, or absent once the customer was erased (whatever the time asked for).
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { StreamNotFoundError, type EventStore } from '@crm/event-store';
import { IsIsoDateTime } from '@crm/platform';
import { CustomerNotFoundError, evolve, initialState, type CustomerEvent, type CustomerState } from '../domain';
import { customerStream } from '../infrastructure/customer-streams';
import { CustomerIdParams } from '../infrastructure/http/params';
import { CUSTOMER_EVENT_STORE } from '../infrastructure/tokens';

export class AsOfQuery {
  @ApiProperty({ example: '2025-01-31T09:30:00Z' }) @IsIsoDateTime() at!: string;
}

export interface CustomerAsOf {
  customerId: string;
  at: string;
  /** The revision of the last event replayed. */
  revision: number;
  customer: CustomerState;
}

@ApiTags('customers')
@Controller('customers/:id/as-of')
export class AsOfController {
  constructor(@Inject(CUSTOMER_EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async asOf(@Param() { id }: CustomerIdParams, @Query() { at }: AsOfQuery): Promise<CustomerAsOf> {
    const until = Date.parse(at);
    let state = initialState();
    let revision = -1;
    try {
      for await (const event of this.store.readStream(customerStream(id))) {
        if (event.created.getTime() > until) break;
        state = evolve(state, { type: event.type, data: event.data } as unknown as CustomerEvent);
        revision = Number(event.revision);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    if (state.status === 'new') throw new CustomerNotFoundError(id);
    return { customerId: id, at: new Date(until).toISOString(), revision, customer: state };
  }
}
