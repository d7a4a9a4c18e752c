// What an @EventPattern handler gets with @Ctx(): the decoded event and the transaction to write in.
import { BaseRpcContext } from '@nestjs/microservices';
import type { PoolClient } from 'pg';
import type { ConsumedEvent } from '../consumer/consumed-event';

export class KafkaEventContext extends BaseRpcContext<[ConsumedEvent, PoolClient]> {
  getEvent(): ConsumedEvent {
    return this.args[0];
  }

  /** The open transaction: write the read model with it, so the writes commit with the dedup row. */
  getTransaction(): PoolClient {
    return this.args[1];
  }
}
