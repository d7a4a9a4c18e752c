// The broker stopped and restarted while events are appended: the relay and the consumer recover by
// themselves and nothing is lost or applied twice. Runs its own second broker (other ports, own data
// dir) so that stopping it never disturbs test files running in parallel on the shared one.
import { REPO_ROOT, waitFor, type TestDatabase } from '@crm/testing';
import { PostgresEventStore } from '@crm/event-store';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  acceptAll,
  appendNotes,
  applyToProjection,
  cleanPass,
  countApplied,
  createProjection,
  noteMapper,
  readProjection,
  testBus,
  testLogger,
  createQuietTestDatabase,
} from './__fixtures__/int-kit';
import { EventConsumer } from './consumer/event-consumer';
import { EventRelay } from './relay/event-relay';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

class SecondBroker {
  private env: NodeJS.ProcessEnv = {};
  brokers: string[] = [];
  async init(): Promise<void> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-kafka-restart-'));
    this.env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_DATA_DIR: dataDir };
    this.brokers = [`127.0.0.1:${port}`];
  }
  async start(): Promise<void> {
    const { stdout } = await run('bash', [join(REPO_ROOT, 'infra/local/kafka/start.sh')], { env: this.env, cwd: REPO_ROOT });
    if (!stdout.trimEnd().endsWith('STARTED_BY_US=1')) throw new Error(`second broker was not started by us: ${stdout}`);
  }
  async stop(): Promise<void> {
    await run('bash', [join(REPO_ROOT, 'infra/local/kafka/stop.sh')], { env: this.env, cwd: REPO_ROOT });
  }
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    if (this.env['KAFKA_DATA_DIR']) rmSync(this.env['KAFKA_DATA_DIR'], { recursive: true, force: true });
  }
}

const broker = new SecondBroker();
let db: TestDatabase;
let store: PostgresEventStore;
let relay: EventRelay | undefined;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  await broker.init();
  await broker.start();
  db = await createQuietTestDatabase('messaging_restart');
  store = await PostgresEventStore.create({ connectionString: db.url, polling: { minDelayMs: 5, maxDelayMs: 100 } });
}, 180_000);

afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await store?.close();
  await db?.drop();
  await broker.destroy();
}, 120_000);

it('relay and consumer recover by themselves when the broker stops and restarts while events are appended', async () => {
  const topic = 'crm.restart.v1';
  // Few client retries: the outage outlasts them, so the relay's and the consumer's own recovery must act.
  const bus = (label: string) => ({ ...testBus(`restart-${label}`, broker.brokers), retries: 2 });
  const relayLog: string[] = [];
  const consumerLog: string[] = [];
  relay = new EventRelay({
    name: 'restart',
    store,
    database: { connectionString: db.url },
    bus: bus('relay'),
    source: '/crm/customers',
    streamNamePrefixes: ['customer-'],
    map: noteMapper(topic),
    topics: [{ name: topic, partitions: 3 }],
    maxBatchDelayMs: 5,
    leaseRetryMs: 200,
    logger: testLogger('restart relay', relayLog),
  });
  await createProjection(db.pool);
  await relay.start();
  consumer = new EventConsumer({
    groupId: 'restart-projector',
    topics: [topic],
    bus: bus('consumer'),
    pool: db.pool,
    validate: acceptAll,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    handle: (event, tx) => applyToProjection(tx, event),
    logger: testLogger('restart consumer', consumerLog),
  });
  await consumer.start();

  const customers = Array.from({ length: 6 }, () => randomUUID());
  let rounds = 0;
  let appending = true;
  const appender = (async () => {
    // The command side keeps working while the broker is away: one round (6 events) at a time.
    while (appending) {
      await Promise.all(customers.map((c) => appendNotes(store, [c], 1, rounds)));
      rounds += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  try {
    await waitFor(async () => (await countApplied(db.pool)) >= 30, { timeoutMs: 60_000, description: 'events flowing end to end' });
    const [relayLogAtStop, consumerLogAtStop] = [relayLog.length, consumerLog.length];
    await broker.stop();
    const roundsAtStop = rounds;
    await waitFor(
      () =>
        rounds >= roundsAtStop + 30 &&
        relayLog.slice(relayLogAtStop).includes('relay session failed; restarting from the checkpoint') &&
        consumerLog.slice(consumerLogAtStop).includes('consumer crashed'),
      { timeoutMs: 60_000, description: 'relay and consumer to give up on the broker while 180+ events are appended' },
    );
    await broker.start();
    await waitFor(() => rounds >= roundsAtStop + 40, { timeoutMs: 60_000, description: 'more events appended after the restart' });
  } finally {
    appending = false;
    await appender;
  }

  const total = rounds * customers.length;
  await waitFor(async () => (await countApplied(db.pool)) >= total, { timeoutMs: 120_000, intervalMs: 250, description: `all ${total} events applied` });
  expect(await readProjection(db.pool)).toEqual(cleanPass(Object.fromEntries(customers.map((c) => [c, rounds]))));
  expect(relay.isLeader).toBe(true);
}, 300_000);
