// Shared by the messaging integration tests: CloudEvents messages, a small per-customer projection
// that shows duplicates and reordering, and reading topics back.
import { createTestDatabase, testInfra, type TestDatabase } from '@crm/testing';
import type { EventStore } from '@crm/event-store';
import type { Admin } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { createKafka } from '../bus/kafka';
import { toBusMessage } from '../bus/kafka-message';
import type { BusConfig, BusMessage, OutgoingMessage } from '../bus/types';
import { CeHeader } from '../cloudevents/headers';
import type { ConsumedEvent, EventValidator } from '../consumer/consumed-event';
import type { MessagingLogger } from '../internal/logger';
import { aggregateIdOf, type EventMapper } from '../relay/envelope';

/** Test event types are not in the contracts: accept every payload unless a test says otherwise. */
export const acceptAll: EventValidator = () => ({ ok: true });

export function testBus(clientId: string, brokers = testInfra().kafkaBrokers): BusConfig {
  return { brokers, clientId };
}

export interface CeInput {
  topic: string;
  customerId: string;
  seq: number;
  type?: string;
  id?: string;
  data?: unknown;
  value?: string;
}

/** A CloudEvents message for `customerId`'s event number `seq` (its stream revision). */
export function ceMessage({ topic, customerId, seq, type = 'crm.customer.noted.v1', id = randomUUID(), data, value }: CeInput): OutgoingMessage {
  return {
    topic,
    key: customerId,
    value: value ?? JSON.stringify(data ?? { customerId, seq }),
    headers: {
      [CeHeader.SpecVersion]: '1.0',
      [CeHeader.Id]: id,
      [CeHeader.Source]: '/crm/customers',
      [CeHeader.Type]: type,
      [CeHeader.Time]: new Date().toISOString(),
      [CeHeader.Subject]: customerId,
      [CeHeader.ContentType]: 'application/json',
      [CeHeader.CorrelationId]: randomUUID(),
      [CeHeader.StreamRevision]: String(seq),
    },
  };
}

/** The read model: per customer, the sequence numbers in the order they were applied. */
export async function createProjection(pool: Pool, table = 'customer_notes'): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (customer_id text PRIMARY KEY, seqs int[] NOT NULL)`);
}

export async function applyToProjection(tx: PoolClient, event: ConsumedEvent, table = 'customer_notes'): Promise<void> {
  const { customerId, seq } = event.data as { customerId: string; seq: number };
  await tx.query(
    `INSERT INTO ${table} (customer_id, seqs) VALUES ($1, ARRAY[$2::int])
     ON CONFLICT (customer_id) DO UPDATE SET seqs = ${table}.seqs || $2::int`,
    [customerId, seq],
  );
}

export async function readProjection(pool: Pool, table = 'customer_notes'): Promise<Record<string, number[]>> {
  const { rows } = await pool.query<{ customer_id: string; seqs: number[] }>(`SELECT customer_id, seqs FROM ${table}`);
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.seqs]));
}

export async function countApplied(pool: Pool, table = 'customer_notes'): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT coalesce(sum(cardinality(seqs)), 0) AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}

/** One clean pass: every customer's events 0..n-1, each once, in order. */
export function cleanPass(perCustomer: Record<string, number>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(perCustomer).map(([c, n]) => [c, Array.from({ length: n }, (_, i) => i)]));
}

export async function withBusAdmin<T>(fn: (admin: Admin) => Promise<T>, brokers?: string[]): Promise<T> {
  const admin = createKafka(testBus('messaging-test-admin', brokers)).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(topic: string, partitions: number, brokers?: string[]): Promise<void> {
  await withBusAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }), brokers);
}

/** Sum over partitions of the group's committed offsets (0 where none). */
export async function committedTotal(groupId: string, topic: string, brokers?: string[]): Promise<number> {
  return withBusAdmin(async (admin) => {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }, brokers);
}

/** Number of messages in the topic (sum of high watermarks; nothing is deleted in tests). */
export async function topicSize(topic: string, brokers?: string[]): Promise<number> {
  return withBusAdmin(async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0), brokers);
}

/** Reads every message of the topic, from the beginning, in partition order. */
export async function readTopic(topic: string, brokers?: string[]): Promise<BusMessage[]> {
  const expected = await topicSize(topic, brokers);
  const messages: BusMessage[] = [];
  if (expected === 0) return messages;
  const consumer = createKafka(testBus('messaging-test-reader', brokers)).consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length} of ${expected} messages of ${topic}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          messages.push(toBusMessage(topic, partition, message));
          if (messages.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

// ---- The relay's side: an event store with customer streams ------------------------------------------

/**
 * Appends `rounds` events to each customer's stream `<category>-<id>`, round by round (revisions
 * from..from+rounds-1). Tests sharing a store use their own category, and relay only that one.
 */
export async function appendNotes(store: EventStore, customers: string[], rounds: number, from = 0, category = 'customer'): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = from; seq < from + rounds; seq += 1) {
    for (const customerId of customers) {
      const id = randomUUID();
      ids.push(id);
      await store.appendToStream(`${category}-${customerId}`, {
        id,
        type: 'CustomerNoted',
        data: { text: `note ${seq}` },
        metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'test', time: new Date().toISOString(), schemaVersion: 1 },
      }, { expectedRevision: seq === 0 ? 'no_stream' : BigInt(seq - 1) });
    }
  }
  return ids;
}

/** Publishes CustomerNoted as `crm.customer.noted.v1 { customerId, seq }`; everything else stays internal. */
export function noteMapper(topic: string): EventMapper {
  return (event) =>
    event.type === 'CustomerNoted'
      ? { topic, type: 'crm.customer.noted.v1', payload: { customerId: aggregateIdOf(event.streamId), seq: Number(event.revision) } }
      : null;
}

/** Per key, the stream revisions in the order they are on the topic (duplicates included). */
export function revisionsByKey(messages: BusMessage[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of [...messages].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))) {
    (out[m.key ?? ''] ??= []).push(Number(m.headers[CeHeader.StreamRevision]));
  }
  return out;
}

/** Per key, the first occurrence of each revision, in topic order: what a deduplicating reader applies. */
export function firstOccurrences(byKey: Record<string, number[]>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(byKey).map(([key, revisions]) => [key, [...new Set(revisions)]]));
}

/** Logs to stderr when CRM_TEST_LOG=1 (debugging a failing integration test), silent otherwise. */
export function testLogger(label: string, messages: string[] = []): MessagingLogger {
  const on = process.env['CRM_TEST_LOG'] === '1';
  const line = (level: string) => (fields: Record<string, unknown>, message: string) => {
    messages.push(message);
    if (on) process.stderr.write(`${new Date().toISOString()} ${level} [${label}] ${message} ${JSON.stringify(fields)}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Ends the database session holding relay `name`'s lease, as when its process dies; returns how many. */
export async function terminateLeaseHolder(pool: Pool, name: string): Promise<number> {
  const { rows } = await pool.query(
    `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
    [`crm-relay:${name}`],
  );
  return rows.length;
}

/**
 * createTestDatabase, with idle-client errors of its pool ignored: drop() ends the pool (which resolves
 * before the sockets close) and then drops the database WITH (FORCE), so a closing idle client can get
 * "terminating connection due to administrator command" — an unhandled 'error' on a pool without listener.
 */
export async function createQuietTestDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  db.pool.on('error', () => undefined);
  return db;
}
