// ServiceConsumer on the real broker and database, driven through the Nest lifecycle hooks: the topic created from
// its spec, the readiness check registered and green once in the group, events applied under their correlation id,
// the check removed at shutdown; a disabled consumer neither starts nor registers.
import { currentCorrelationId, type HealthCheck } from '@crm/platform';
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor, type TestDatabase } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { Registry } from 'prom-client';
import { acceptAll, ceMessage, createQuietTestDatabase, testBus, testLogger } from '../__fixtures__/int-kit';
import { KafkaPublisher } from '../bus/publisher';
import { CeHeader } from '../cloudevents/headers';
import type { ConsumedEvent } from '../consumer/consumed-event';
import { ServiceConsumer, type ServiceConsumerOptions } from './service-consumer';

const prefix = uniqueTopicPrefix('service-consumer');
let db: TestDatabase;

beforeAll(async () => {
  db = await createQuietTestDatabase('messaging_service_consumer');
});
afterAll(async () => {
  await db?.drop();
  await deleteTopicsWithPrefix(prefix);
});

class NotesConsumer extends ServiceConsumer {
  readonly applied: { type: string; correlationId: string | undefined }[] = [];
  readonly checks: Map<string, HealthCheck>;
  readonly logged: string[];

  constructor(options: Partial<ServiceConsumerOptions>) {
    const checks = new Map<string, HealthCheck>();
    const logged: string[] = [];
    super({
      name: 'notes',
      clientSuffix: 'notes',
      config: { SERVICE_NAME: 'service-consumer-test', KAFKA_BROKERS: testBus('unused').brokers },
      topic: { name: `${prefix}notes`, partitions: 2 },
      groupId: `${prefix}notes-group`,
      pool: db.pool,
      handles: (type) => type === 'crm.customer.noted.v1',
      validate: acceptAll,
      health: { register: (name, check) => checks.set(name, check), unregister: (name) => checks.delete(name) },
      healthCheck: 'kafka-notes',
      metrics: new Registry(),
      logger: testLogger('service-consumer', logged),
      ...options,
    });
    this.checks = checks;
    this.logged = logged;
  }

  protected async apply(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    await tx.query('SELECT 1');
    this.applied.push({ type: event.type, correlationId: currentCorrelationId() });
  }
}

describe('ServiceConsumer', () => {
  it('creates its topic, is ready once in its group, applies events under their correlation id, and leaves readiness at shutdown', async () => {
    const consumer = new NotesConsumer({});
    await consumer.onApplicationBootstrap();
    const check = consumer.checks.get('kafka-notes');
    expect(check).toBeDefined();
    // Ready once in its group: on a broker that has just started, kafkajs may first crash and restart on a
    // retriable "coordinator is loading", and readiness is red until it has joined.
    const ready = async () => {
      try {
        return await check!();
      } catch {
        return undefined;
      }
    };
    await waitFor(async () => (await ready()) !== undefined, { timeoutMs: 30_000, description: 'the consumer ready' });
    expect(await check!()).toEqual({ group: `${prefix}notes-group`, topic: `${prefix}notes` });

    const publisher = new KafkaPublisher(testBus('service-consumer-producer'));
    await publisher.connect();
    const noted = ceMessage({ topic: consumer.topic.name, customerId: randomUUID(), seq: 0 });
    await publisher.publish([noted, ceMessage({ topic: consumer.topic.name, customerId: randomUUID(), seq: 0, type: 'crm.customer.other.v1' })]);
    await publisher.disconnect();
    await waitFor(() => consumer.applied.length === 1, { description: 'the noted event applied' });
    expect(consumer.applied).toEqual([{ type: 'crm.customer.noted.v1', correlationId: noted.headers?.[CeHeader.CorrelationId] }]);

    await consumer.beforeApplicationShutdown();
    expect(consumer.checks.has('kafka-notes')).toBe(false);
  });

  it('when disabled, neither starts nor registers a readiness check', async () => {
    const consumer = new NotesConsumer({ disabledBy: 'NOTES_ENABLED=false', groupId: `${prefix}disabled-group` });
    await consumer.onApplicationBootstrap();
    expect(consumer.checks.size).toBe(0);
    expect(consumer.logged).toEqual(['notes consumer disabled (NOTES_ENABLED=false)']);
    await consumer.beforeApplicationShutdown();
  });
});
