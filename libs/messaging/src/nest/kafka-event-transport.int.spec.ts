// The Nest transport on the real broker and database: @EventPattern handlers write in the consumer's
// transaction, unhandled types are skipped, a handler's NonRetriableError dead-letters with its class.
import 'reflect-metadata';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import type { INestMicroservice } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  acceptAll,
  applyToProjection,
  ceMessage,
  committedTotal,
  createProjection,
  createTopic,
  readProjection,
  readTopic,
  testBus,
  createQuietTestDatabase,
} from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import type { ConsumedEvent } from '../consumer/consumed-event';
import { NonRetriableError } from '../consumer/errors';
import { DlqHeader } from '../dead-letters/dead-letter-headers';
import { KafkaEventContext } from './kafka-event-context';
import { KafkaEventTransport } from './kafka-event-transport';
import { PreserveEventErrorsFilter } from './preserve-event-errors.filter';

const prefix = uniqueTopicPrefix('nest');
const topic = `${prefix}customers`;
let db: TestDatabase;
let app: INestMicroservice | undefined;
const seen: string[] = [];

class CustomerNotFound extends NonRetriableError {
  override name = 'CustomerNotFound';
}

@Controller()
@UseFilters(PreserveEventErrorsFilter)
class CustomerNotesProjector {
  @EventPattern('crm.customer.noted.v1')
  async onNoted(@Payload() event: ConsumedEvent, @Ctx() ctx: KafkaEventContext): Promise<void> {
    seen.push(event.id);
    await applyToProjection(ctx.getTransaction(), ctx.getEvent());
  }

  @EventPattern('crm.customer.erased.v1')
  onErased(@Payload() event: ConsumedEvent): void {
    throw new CustomerNotFound(`customer ${event.subject} not found`);
  }
}

@Module({ controllers: [CustomerNotesProjector] })
class ProjectorModule {}

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_nest');
  await createTopic(topic, 2);
  await createProjection(db.pool);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

function transport(groupId: string): KafkaEventTransport {
  return new KafkaEventTransport({
    groupId,
    topics: [topic],
    bus: testBus('nest-transport'),
    pool: db.pool,
    validate: acceptAll,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
  });
}

it('delivers events to @EventPattern handlers in the dedup transaction, skips unhandled types, dead-letters with the error class', async () => {
  const groupId = `${prefix}projector`;
  app = await NestFactory.createMicroservice<MicroserviceOptions>(ProjectorModule, { strategy: transport(groupId), logger: false });
  await app.listen();

  const customer = randomUUID();
  const publisher = new KafkaPublisher(testBus('nest-producer'));
  await publisher.connect();
  const noted = [0, 1, 2].map((seq) => ceMessage({ topic, customerId: customer, seq }));
  await publisher.publish([
    noted[0]!,
    ceMessage({ topic, customerId: customer, seq: 9, type: 'crm.customer.renamed.v1' }), // no handler
    noted[1]!,
    ceMessage({ topic, customerId: customer, seq: 9, type: 'crm.customer.erased.v1' }),
    noted[2]!,
    noted[1]!, // redelivered
  ]);
  await publisher.disconnect();

  await waitFor(async () => (await committedTotal(groupId, topic)) === 6, { description: 'six offsets committed' });
  expect(await readProjection(db.pool)).toEqual({ [customer]: [0, 1, 2] });
  // A batched transaction that failed (the erased event) ran its handlers again one by one: only the
  // writes made through the transaction count, so the projection above holds each event once.
  expect(new Set(seen).size).toBe(3);
  const [letter, ...more] = await readTopic(`${topic}.dlq`);
  expect(more).toHaveLength(0);
  expect(letter!.headers).toMatchObject({
    [DlqHeader.ErrorClass]: 'CustomerNotFound',
    [DlqHeader.ErrorMessage]: `customer ${customer} not found`,
    [DlqHeader.Attempts]: '1',
  });
});

it('refuses request/response handlers: there is no reply over Kafka', async () => {
  @Controller()
  class Asker {
    @MessagePattern('crm.customer.get')
    get(): string {
      return 'no';
    }
  }
  @Module({ controllers: [Asker] })
  class AskerModule {}
  const asker = await NestFactory.createMicroservice<MicroserviceOptions>(AskerModule, { strategy: transport(`${prefix}asker`), logger: false });
  await expect(asker.listen()).rejects.toThrow(/@MessagePattern is not supported/);
  await asker.close();
});
