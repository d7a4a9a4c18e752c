// npm run bench:messaging — relay throughput (event store → Kafka) beside kafkajs's raw batched producer
// rate, and append → consumer-side projection latency at a steady rate. Prints a Markdown table.
// Needs PostgreSQL (CRM_BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) and Kafka
// (KAFKA_BROKERS, default 127.0.0.1:9092). Creates and drops its own database and topics.
import { PostgresEventStore, type EventData } from '@crm/event-store';
import {
  EventConsumer,
  EventRelay,
  KafkaPublisher,
  aggregateIdOf,
  deleteTopics,
  ensureTopics,
  type BusConfig,
  type EventMapper,
  type OutgoingMessage,
} from '@crm/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client, Pool } from 'pg';
import { Registry } from 'prom-client';

const ADMIN_URL = process.env['CRM_BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const EVENTS = Number(process.env['BENCH_RELAY_EVENTS'] ?? 100_000);
const RATE = Number(process.env['BENCH_LATENCY_RATE'] ?? 1_000);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 20);
const ONLY_LATENCY = process.env['BENCH_ONLY'] === 'latency';
const STREAMS = 200;
const run = randomBytes(3).toString('hex');
const bus = (clientId: string): BusConfig => ({ brokers: BROKERS, clientId });

function payloadFor(customerId: string, seq: number) {
  return { customerId, seq, note: 'Called about the renewal; prefers e-mail in the morning.', channel: 'phone' };
}

const mapperTo = (topic: string): EventMapper => (event) =>
  event.type === 'CustomerNoted'
    ? { topic, type: 'crm.customer.noted.v1', payload: payloadFor(aggregateIdOf(event.streamId), Number(event.revision)) }
    : null;

function metadata() {
  return { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', time: new Date().toISOString(), schemaVersion: 1 };
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function seed(store: PostgresEventStore, category: string, total: number): Promise<void> {
  const perStream = Math.ceil(total / STREAMS);
  const ids = Array.from({ length: STREAMS }, () => randomUUID());
  const chunk = 100;
  for (let from = 0; from < perStream; from += chunk) {
    await Promise.all(
      ids.map((id) => {
        const events: EventData[] = Array.from({ length: Math.min(chunk, perStream - from) }, (_, i) => ({
          id: randomUUID(),
          type: 'CustomerNoted',
          data: payloadFor(id, from + i),
          metadata: metadata(),
        }));
        return store.appendToStream(`${category}-${id}`, events);
      }),
    );
  }
}

async function rawProducerRate(topic: string, total: number, batchSize: number): Promise<number> {
  const publisher = new KafkaPublisher(bus('bench-raw'));
  await publisher.connect();
  const ids = Array.from({ length: STREAMS }, () => randomUUID());
  const batches: OutgoingMessage[][] = [];
  for (let n = 0; n < total; n += batchSize) {
    batches.push(
      Array.from({ length: Math.min(batchSize, total - n) }, (_, i) => {
        const key = ids[(n + i) % STREAMS] as string;
        return {
          topic,
          key,
          value: JSON.stringify(payloadFor(key, n + i)),
          headers: { ce_specversion: '1.0', ce_id: randomUUID(), ce_source: '/crm/bench', ce_type: 'crm.customer.noted.v1', ce_time: new Date().toISOString(), ce_subject: key, 'content-type': 'application/json', traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`, crm_correlation_id: randomUUID(), crm_causation_id: randomUUID(), crm_stream_revision: String(n + i) },
        };
      }),
    );
  }
  await publisher.publish(batches[0]?.slice(0, 10) ?? []); // warm-up: metadata, producer id, connections
  const started = performance.now();
  for (const batch of batches) await publisher.publish(batch); // one batch in flight, like the relay
  const seconds = (performance.now() - started) / 1000;
  await publisher.disconnect();
  return total / seconds;
}

async function relayRate(store: PostgresEventStore, dbUrl: string, pool: Pool, topic: string, category: string, batchSize: number): Promise<number> {
  const name = `bench-${category}-${batchSize}`;
  const relay = new EventRelay({
    name,
    store,
    database: { connectionString: dbUrl },
    bus: bus('bench-relay'),
    source: '/crm/bench',
    streamNamePrefixes: [`${category}-`],
    map: mapperTo(topic),
    maxBatchSize: batchSize,
  });
  const last = await lastPosition(store);
  const started = performance.now();
  await relay.start();
  for (;;) {
    const { rows } = await pool.query('SELECT commit, prepare FROM messaging.relay_checkpoints WHERE relay_name = $1', [name]);
    if (rows[0] && BigInt(rows[0].commit) === last.commit && BigInt(rows[0].prepare) === last.prepare) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  return EVENTS / seconds;
}

async function lastPosition(store: PostgresEventStore) {
  for await (const e of store.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 })) return e.position;
  throw new Error('empty store');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
  relayP50: number;
  relayP99: number;
}

async function latency(store: PostgresEventStore, dbUrl: string, pool: Pool, topic: string): Promise<Latency> {
  const category = 'latency';
  const registry = new Registry();
  const relayLags: number[] = [];
  const relay = new EventRelay({
    metrics: registry,
    name: 'bench-latency',
    store,
    database: { connectionString: dbUrl },
    bus: bus('bench-latency-relay'),
    source: '/crm/bench',
    streamNamePrefixes: [`${category}-`],
    map: mapperTo(topic),
  });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_notes (customer_id text PRIMARY KEY, notes int NOT NULL)');
  const samples: number[] = [];
  const consumer = new EventConsumer({
    groupId: `bench-latency-${run}`,
    topics: [topic],
    bus: bus('bench-latency-consumer'),
    pool,
    validate: () => ({ ok: true }),
    handle: async (event, tx) => {
      await tx.query(
        'INSERT INTO bench_notes (customer_id, notes) VALUES ($1, 1) ON CONFLICT (customer_id) DO UPDATE SET notes = bench_notes.notes + 1',
        [event.subject],
      );
      samples.push(Date.now() - Date.parse(event.time));
    },
  });
  await relay.start();
  await consumer.start();
  // The relay's share: age of the oldest event of each acknowledged batch (append → broker ack).
  const sampler = setInterval(() => {
    void registry.getSingleMetric('crm_messaging_relay_lag_seconds')?.get().then((m) => {
      const v = m.values[0]?.value;
      if (v !== undefined && v > 0) relayLags.push(Math.round(v * 1000));
    });
  }, 50);
  const total = RATE * LATENCY_SECONDS;
  const ids = Array.from({ length: STREAMS }, () => randomUUID());
  const tick = 10;
  const perTick = (RATE * tick) / 1000;
  const started = Date.now();
  let appended = 0;
  while (appended < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE) + perTick);
    const appends: Promise<unknown>[] = [];
    for (; appended < due; appended += 1) {
      const id = ids[appended % STREAMS] as string;
      appends.push(store.appendToStream(`${category}-${id}`, { id: randomUUID(), type: 'CustomerNoted', data: payloadFor(id, appended), metadata: metadata() }));
    }
    await Promise.all(appends);
    await new Promise((resolve) => setTimeout(resolve, tick));
  }
  const deadline = Date.now() + 60_000;
  while (samples.length < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  clearInterval(sampler);
  await consumer.stop();
  await relay.stop();
  const sorted = [...samples].sort((a, b) => a - b);
  const relaySorted = [...relayLags].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    n: samples.length,
    relayP50: percentile(relaySorted, 50),
    relayP99: percentile(relaySorted, 99),
  };
}

async function main(): Promise<void> {
  const dbName = `crm_bench_messaging_${run}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  const pool = new Pool({ connectionString: dbUrl, max: 10 });
  const store = await PostgresEventStore.create({ connectionString: dbUrl, poolConfig: { max: 20 } });
  const topics = { raw: `bench.${run}.raw`, relay: `bench.${run}.relay`, relay2: `bench.${run}.relay2`, latency: `bench.${run}.latency` };
  await ensureTopics(bus('bench-admin'), Object.values(topics).map((name) => ({ name, partitions: 6 })));
  try {
    if (ONLY_LATENCY) {
      const lat = await latency(store, dbUrl, pool, topics.latency);
      console.log(lat, os.loadavg());
      return;
    }
    const seedStart = performance.now();
    await seed(store, 'relayed', EVENTS);
    const seedRate = EVENTS / ((performance.now() - seedStart) / 1000);
    const raw = await rawProducerRate(topics.raw, EVENTS, 500);
    const relay500 = await relayRate(store, dbUrl, pool, topics.relay, 'relayed', 500);
    const relay2000 = await relayRate(store, dbUrl, pool, topics.relay2, 'relayed', 2000);
    const lat = await latency(store, dbUrl, pool, topics.latency);
    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\n| measure (${EVENTS.toLocaleString('en-US')} events, ${STREAMS} streams, 6 partitions) | result |\n| --- | --- |`);
    console.log(`| event store seed (appends of 100 events, 200 in parallel) | ${f(seedRate)} events/s |`);
    console.log(`| kafkajs raw batched producer (idempotent, acks=all, 500/batch, 1 in flight) — ceiling | ${f(raw)} events/s |`);
    console.log(`| relay event store → Kafka, maxBatchSize 500 (catch-up, to checkpoint) | ${f(relay500)} events/s |`);
    console.log(`| relay event store → Kafka, maxBatchSize 2000 | ${f(relay2000)} events/s |`);
    console.log(`| append → consumer-side projection at ${RATE} events/s for ${LATENCY_SECONDS} s (n=${lat.n}) | p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms |`);
    console.log(`| … of which append → relay's broker ack (sampled relay lag) | p50 ${lat.relayP50} ms, p99 ${lat.relayP99} ms |`);
    console.log(`\nload average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
  } finally {
    await store.close();
    await pool.end();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    await deleteTopics(bus('bench-admin'), [...Object.values(topics), `${topics.latency}.dlq`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
