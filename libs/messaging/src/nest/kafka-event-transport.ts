// A Nest microservice transport over EventConsumer: services keep `@EventPattern('crm.customer.registered.v1')`
// handlers, while batching, deduplication, commits, retries and dead letters follow EventConsumer's rules.
// Events only: there is no request/response over Kafka.
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { PoolClient } from 'pg';
import type { ConsumedEvent } from '../consumer/consumed-event';
import { EventConsumer, type EventConsumerOptions } from '../consumer/event-consumer';
import { KafkaEventContext } from './kafka-event-context';

export type KafkaEventTransportOptions = Omit<EventConsumerOptions, 'handle' | 'handles'>;

export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer: EventConsumer | null = null;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const handlers = [...this.getHandlers()].filter(([, handler]) => handler.isEventHandler);
    const patterns = new Set(handlers.map(([pattern]) => pattern));
    const requestHandlers = [...this.getHandlers().keys()].filter((p) => !patterns.has(p));
    if (requestHandlers.length > 0) {
      callback(new Error(`@MessagePattern is not supported over Kafka (use @EventPattern): ${requestHandlers.join(', ')}`));
      return;
    }
    this.consumer = new EventConsumer({
      ...this.options,
      // Types without a handler are skipped (not validated, not dead-lettered).
      handles: (type) => patterns.has(type),
      handle: (event, tx) => this.dispatch(event, tx),
    });
    this.consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  /** Nest's transport events (status, errors) are not emitted by this transport. */
  on(): void {
    return undefined;
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaEventTransport is not listening');
    return this.consumer as T;
  }

  private async dispatch(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    const handler = this.getHandlerByPattern(event.type) as MessageHandler | null;
    if (!handler) return;
    try {
      const result: unknown = await handler(event, new KafkaEventContext([event, tx]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } catch (error) {
      throw asError(error);
    }
  }
}

/** Nest's default filter turns errors into `{ status, message }`: make them Errors again. */
function asError(error: unknown): unknown {
  if (error instanceof Error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' ? message : JSON.stringify(error));
}
