// npm run bench:projections — projection catch-up into PostgreSQL and a blue/green rebuild of 1,000,000
// events (issue 4, "Performance"): a customer summary read model (one row per customer: name, event count,
// last revision and event time, tags, order totals) defined with a set-based `applyBatch`. Prints machine
// info and a Markdown table; docs/benchmarks.md keeps the results.
//
// Measures, in one fresh database (crm_bench_projections, dropped and recreated at start, dropped at end):
//   0. seeding N events through `appendInTransaction` (the store's own API), 100 customers' appends of 2
//      events per transaction, round by round over the customers: $all interleaves them as live traffic does
//      (a command appends an event or two to one customer among many), so a batch of 500 events touches 250
//      rows — not the 5 or 25 that whole-history appends would give, which flatter a set-based projection;
//   1. catch-up: a ProjectionRunner from the start of the store until caught up;
//   2. rebuild: `runner.rebuild()` into new tables while the live version serves point reads and keeps up with
//      a trickle of appends; the rebuilt rows are checked against the replaced ones (checksum) and both against
//      the summary recomputed in SQL from the events table, so the figure is of a correct rebuild;
//   3. the same projection with per-event handlers (no applyBatch), and applyBatch with larger batches and
//      with asynchronous commit, at a smaller N on a second store, with checksums showing all leave the same rows.
//
// Env: CRM_BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres); BENCH_EVENTS (default
// 1,000,000); BENCH_STREAMS (default BENCH_EVENTS / 20); BENCH_APPEND_SIZE (events per append, default 2: a
// batch folds 2:1; 1 is the worst case, 10 folds 10:1); BENCH_APPENDS_PER_TX (default 100); BENCH_WRITERS
// (concurrent seeding transactions, default 4); BENCH_COMPARE_EVENTS (step 3, default min(BENCH_EVENTS,
// 100,000)); BENCH_LIVE_RATE (events/s appended during the rebuild, default 50); BENCH_READ_RATE (point reads/s
// on the view during the rebuild, default 200).
import { comparePositions, PostgresEventStore, START, type EventData, type Position } from '@crm/event-store';
import { defineProjection, ProjectionRunner, type ProjectionDefinition, type ProjectionLogger, type ProjectionEvent, type TableNames } from '@crm/projections';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client, Pool, type ClientBase } from 'pg';
import { Registry } from 'prom-client';

const ADMIN_URL = process.env['CRM_BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'crm_bench_projections';
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);
const EVENTS = intEnv('BENCH_EVENTS', 1_000_000);
const STREAMS = intEnv('BENCH_STREAMS', Math.max(1, Math.round(EVENTS / 20)));
const APPEND_SIZE = intEnv('BENCH_APPEND_SIZE', 2);
const APPENDS_PER_TX = intEnv('BENCH_APPENDS_PER_TX', 100);
const WRITERS = intEnv('BENCH_WRITERS', 4);
const COMPARE_EVENTS = intEnv('BENCH_COMPARE_EVENTS', Math.min(EVENTS, 100_000));
const LIVE_RATE = intEnv('BENCH_LIVE_RATE', 50);
const READ_RATE = intEnv('BENCH_READ_RATE', 200);
const BATCH_SIZE = 500; // the runner's default
const GOAL_CATCH_UP = 20_000;
const MAIN_SCHEMA = 'event_store';
const COMPARE_SCHEMA = 'event_store_compare';
const READ_SCHEMA = 'bench_read';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
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

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// The events: per customer stream, a registration, then renames, tags, orders and notes (~350-byte events
// with the platform's metadata).

type SummaryEvent =
  | { type: 'CustomerRegistered'; data: { customerId: string; name: string; email: string; segment: string } }
  | { type: 'CustomerRenamed'; data: { name: string } }
  | { type: 'CustomerTagged'; data: { tag: string } }
  | { type: 'OrderPlaced'; data: { orderId: string; amountCents: number; currency: string } }
  | { type: 'NoteAdded'; data: { text: string; channel: string } };

const HANDLED = ['CustomerRegistered', 'CustomerRenamed', 'CustomerTagged', 'OrderPlaced', 'NoteAdded'];
const TAGS = ['vip', 'b2b', 'smb', 'enterprise', 'trial', 'partner', 'newsletter', 'churn-risk'];
const SEGMENTS = ['retail', 'wholesale', 'public-sector'];

function metadata() {
  return { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', time: new Date().toISOString(), schemaVersion: 1 };
}

function eventFor(customer: number, id: string, index: number): EventData {
  const base = { id: randomUUID(), metadata: metadata() };
  if (index === 0) {
    return { ...base, type: 'CustomerRegistered', data: { customerId: id, name: `Customer ${customer}`, email: `c${customer}@example.com`, segment: SEGMENTS[customer % 3] as string } };
  }
  const kind = (customer * 31 + index * 17) % 20;
  if (kind < 2) return { ...base, type: 'CustomerRenamed', data: { name: `Customer ${customer} (${index})` } };
  if (kind < 6) return { ...base, type: 'CustomerTagged', data: { tag: TAGS[(customer + index) % TAGS.length] as string } };
  if (kind < 12) return { ...base, type: 'OrderPlaced', data: { orderId: randomUUID(), amountCents: 100 + ((customer * 7919 + index * 104_729) % 50_000), currency: 'EUR' } };
  return { ...base, type: 'NoteAdded', data: { text: 'Called about the renewal; prefers e-mail in the morning.', channel: 'phone' } };
}

interface Seeded {
  seconds: number;
  commits: number;
  ids: string[];
}

/**
 * `events` over `streams` customers in rounds: each round gives every customer its next `APPEND_SIZE` events,
 * `APPENDS_PER_TX` customers' appends per transaction (`appendInTransaction`), `WRITERS` transactions in flight.
 */
async function seed(store: PostgresEventStore, events: number, streams: number): Promise<Seeded> {
  const ids = Array.from({ length: streams }, () => randomUUID());
  const perStream = (s: number) => Math.floor(events / streams) + (s < events % streams ? 1 : 0);
  const rounds = Math.ceil(Math.ceil(events / streams) / APPEND_SIZE);
  const started = performance.now();
  let commits = 0;
  for (let round = 0; round < rounds; round++) {
    // A barrier between rounds: a customer's next events never overtake its registration.
    let next = 0;
    const from = round * APPEND_SIZE;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < streams) {
          const first = next;
          const end = Math.min(streams, first + APPENDS_PER_TX);
          next = end;
          const client = await store.pool.connect();
          let broken: Error | undefined;
          try {
            await client.query('BEGIN');
            for (let s = first; s < end; s++) {
              const to = Math.min(from + APPEND_SIZE, perStream(s));
              if (from >= to) continue;
              const id = ids[s] as string;
              const batch = Array.from({ length: to - from }, (_, i) => eventFor(s, id, from + i));
              // As a command handler appends: at the revision it decided on (the store's fast path).
              await store.appendInTransaction(client, `customer-${id}`, batch, { expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1) });
            }
            await client.query('COMMIT');
            commits += 1;
          } catch (error) {
            broken = error instanceof Error ? error : new Error(String(error));
            throw error;
          } finally {
            client.release(broken);
          }
        }
      }),
    );
  }
  return { seconds: (performance.now() - started) / 1000, commits, ids };
}

// ---------------------------------------------------------------------------------------------------------
// The projection: one row per customer. Per-event handlers write one upsert each; `applyBatch` folds the
// batch per customer in memory first and writes one multi-row upsert (`unnest`) for the whole batch.

interface BatchStats {
  batches: number;
  events: number;
  rows: number;
  ms: number;
}

const newStats = (): BatchStats => ({ batches: 0, events: 0, rows: 0, ms: 0 });

const COLUMNS = 'stream_id, name, events, last_revision, last_event_at, tags, orders, order_total_cents';
const ON_CONFLICT = `
  ON CONFLICT (stream_id) DO UPDATE SET
    name              = coalesce(excluded.name, s.name),
    events            = s.events + excluded.events,
    last_revision     = excluded.last_revision,
    last_event_at     = excluded.last_event_at,
    tags              = CASE WHEN cardinality(excluded.tags) = 0 THEN s.tags
                             ELSE ARRAY(SELECT DISTINCT x FROM unnest(s.tags || excluded.tags) AS x ORDER BY x) END,
    orders            = s.orders + excluded.orders,
    order_total_cents = s.order_total_cents + excluded.order_total_cents`;

interface Delta {
  name: string | null;
  events: number;
  lastRevision: bigint;
  lastEventAt: Date;
  tags: string[];
  orders: number;
  totalCents: number;
}

function deltaOf(event: ProjectionEvent, into?: Delta): Delta {
  const d = into ?? { name: null, events: 0, lastRevision: -1n, lastEventAt: event.created, tags: [], orders: 0, totalCents: 0 };
  d.events += 1;
  d.lastRevision = event.revision ?? -1n;
  d.lastEventAt = event.created;
  const e = event as unknown as SummaryEvent;
  switch (e.type) {
    case 'CustomerRegistered':
    case 'CustomerRenamed':
      d.name = e.data.name;
      break;
    case 'CustomerTagged':
      if (!d.tags.includes(e.data.tag)) d.tags.push(e.data.tag);
      break;
    case 'OrderPlaced':
      d.orders += 1;
      d.totalCents += e.data.amountCents;
      break;
    case 'NoteAdded':
      break;
  }
  return d;
}

/** A text[] literal, for an array of arrays passed through `unnest` as one text per row. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

async function upsertOne(tx: ClientBase, table: string, streamId: string, d: Delta): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} AS s (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8) ${ON_CONFLICT}`,
    [streamId, d.name, d.events, d.lastRevision.toString(), d.lastEventAt, d.tags.sort(), d.orders, d.totalCents],
  );
}

function customerSummary(name: string, mode: 'batch' | 'handlers', stats: BatchStats, readSchema = READ_SCHEMA): ProjectionDefinition<'customer_summary', SummaryEvent> {
  const one = (tx: ClientBase, event: ProjectionEvent, t: TableNames<'customer_summary'>) => upsertOne(tx, t.customer_summary, event.streamId, deltaOf(event));
  return defineProjection<'customer_summary', SummaryEvent>({
    name,
    version: 1,
    readSchema,
    tables: ['customer_summary'],
    filter: { streamNamePrefixes: ['customer-'] },
    createTables: (t) => [
      `CREATE TABLE ${t.customer_summary} (
         stream_id         text PRIMARY KEY,
         name              text,
         events            integer NOT NULL,
         last_revision     bigint NOT NULL,
         last_event_at     timestamptz NOT NULL,
         tags              text[] COLLATE "C" NOT NULL DEFAULT '{}',
         orders            integer NOT NULL,
         order_total_cents bigint NOT NULL
       )`,
      `CREATE INDEX customer_summary_name ON ${t.customer_summary} (name)`,
    ],
    handlers: { CustomerRegistered: one, CustomerRenamed: one, CustomerTagged: one, OrderPlaced: one, NoteAdded: one },
    ...(mode === 'batch'
      ? {
          async applyBatch(tx: ClientBase, events: readonly ProjectionEvent[], t: TableNames<'customer_summary'>) {
            const started = performance.now();
            const rows = new Map<string, Delta>();
            for (const event of events) rows.set(event.streamId, deltaOf(event, rows.get(event.streamId)));
            const ids: string[] = [];
            const names: (string | null)[] = [];
            const counts: number[] = [];
            const revisions: string[] = [];
            const times: Date[] = [];
            const tags: string[] = [];
            const orders: number[] = [];
            const totals: number[] = [];
            for (const [id, d] of rows) {
              ids.push(id);
              names.push(d.name);
              counts.push(d.events);
              revisions.push(d.lastRevision.toString());
              times.push(d.lastEventAt);
              tags.push(arrayLiteral(d.tags.sort()));
              orders.push(d.orders);
              totals.push(d.totalCents);
            }
            await tx.query(
              `INSERT INTO ${t.customer_summary} AS s (${COLUMNS})
               SELECT u.stream_id, u.name, u.events, u.last_revision, u.last_event_at, u.tags::text[], u.orders, u.order_total_cents
                 FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::timestamptz[], $6::text[], $7::int[], $8::bigint[])
                      AS u(stream_id, name, events, last_revision, last_event_at, tags, orders, order_total_cents)
               ${ON_CONFLICT}`,
              [ids, names, counts, revisions, times, tags, orders, totals],
            );
            stats.batches += 1;
            stats.events += events.length;
            stats.rows += rows.size;
            stats.ms += performance.now() - started;
          },
        }
      : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Checks: an exact checksum of a table's rows, and the rows that differ from the summary recomputed in SQL
// from the events table up to a position (JS Dates hold milliseconds: event times match to within 2 ms).

interface Checksum {
  rows: number;
  events: string;
  md5: string;
}

async function checksum(pool: Pool, table: string, exclude: readonly string[] = []): Promise<Checksum> {
  const { rows } = await pool.query<Checksum>(
    `SELECT count(*)::int AS rows, coalesce(sum(events), 0)::text AS events,
            md5(coalesce(string_agg(concat_ws('|', stream_id, name, events, last_revision, last_event_at, tags, orders, order_total_cents),
                                    E'\\n' ORDER BY stream_id COLLATE "C"), '')) AS md5
       FROM ${table} WHERE NOT (stream_id = ANY ($1::text[]))`,
    [exclude],
  );
  return rows[0] as Checksum;
}

async function differingFromEvents(pool: Pool, schema: string, table: string, upTo: Position): Promise<{ differing: number; truthRows: number }> {
  const { rows } = await pool.query<{ differing: number; truth_rows: number }>(
    `WITH ev AS (
       SELECT stream_id, revision, event_type, data, created FROM "${schema}".events
        WHERE stream_id ^@ 'customer-' AND event_type = ANY ($3::text[]) AND (transaction_id, sequence) <= ($1::xid8, $2::bigint)
     ), truth AS (
       SELECT stream_id,
              (array_agg(data->>'name' ORDER BY revision DESC) FILTER (WHERE event_type IN ('CustomerRegistered', 'CustomerRenamed')))[1] AS name,
              count(*)::int AS events,
              max(revision) AS last_revision,
              (array_agg(created ORDER BY revision DESC))[1] AS last_event_at,
              coalesce(array_agg(DISTINCT (data->>'tag') COLLATE "C") FILTER (WHERE event_type = 'CustomerTagged'), '{}') AS tags,
              (count(*) FILTER (WHERE event_type = 'OrderPlaced'))::int AS orders,
              coalesce(sum((data->>'amountCents')::bigint) FILTER (WHERE event_type = 'OrderPlaced'), 0) AS order_total_cents
         FROM ev GROUP BY stream_id
     )
     SELECT (SELECT count(*) FROM truth)::int AS truth_rows, count(*)::int AS differing
       FROM truth t FULL JOIN ${table} p USING (stream_id)
      WHERE t.stream_id IS NULL OR p.stream_id IS NULL
         OR t.name IS DISTINCT FROM p.name OR t.events <> p.events OR t.last_revision <> p.last_revision
         OR abs(extract(epoch FROM t.last_event_at - p.last_event_at)) >= 0.002
         OR t.tags <> p.tags OR t.orders <> p.orders OR t.order_total_cents <> p.order_total_cents`,
    [upTo.commit.toString(), upTo.prepare.toString(), HANDLED],
  );
  const row = rows[0] as { differing: number; truth_rows: number };
  return { differing: row.differing, truthRows: row.truth_rows };
}

interface VersionRow {
  version: number;
  status: string;
  position: Position;
}

async function versions(pool: Pool, name: string): Promise<VersionRow[]> {
  const { rows } = await pool.query<{ version: number; status: string; commit: string; prepare: string }>(
    'SELECT version, status, commit::text, prepare::text FROM projections.checkpoints WHERE name = $1 ORDER BY version',
    [name],
  );
  return rows.map((r) => ({ version: r.version, status: r.status, position: { commit: BigInt(r.commit), prepare: BigInt(r.prepare) } }));
}

const tableOf = (name: string, version: number) => `"${name}_v${version}".customer_summary`;

async function headOf(store: PostgresEventStore): Promise<Position> {
  for await (const e of store.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 })) return e.position;
  return START;
}

// ---------------------------------------------------------------------------------------------------------
// Instruments: load average, peak RSS, time in the subscription's polls, batch transaction time, log counts.

interface Load {
  start: number[];
  end: number[];
}

const loadNow = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const loadText = (l: Load) => `${(l.start[0] ?? 0).toFixed(2)} → ${(l.end[0] ?? 0).toFixed(2)}`;

let peakRss = 0;
const rssSampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 250);
rssSampler.unref();

/**
 * Times the store's subscription polls (one at a time per subscription, so the sum is wall time) and counts
 * the empty ones: during a catch-up those mean $all was held back (an old open transaction in the cluster).
 */
function timePolls(store: PostgresEventStore): { ms: number; calls: number; empty: number } {
  const timing = { ms: 0, calls: 0, empty: 0 };
  const pool = store.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
  const original = pool.query.bind(pool);
  pool.query = async (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (!text.includes('is_tail')) return original(...args);
    const started = performance.now();
    try {
      const result = (await original(...args)) as { rows: Array<{ is_tail: boolean; scanned: string | null }> };
      if (result.rows.some((row) => row.is_tail && Number(row.scanned) === 0)) timing.empty += 1;
      return result;
    } finally {
      timing.ms += performance.now() - started;
      timing.calls += 1;
    }
  };
  return timing;
}

async function batchSeconds(registry: Registry, projection: string): Promise<{ seconds: number; count: number }> {
  const metric = await registry.getSingleMetric('crm_projection_batch_duration_seconds')?.get();
  const value = (suffix: string) => metric?.values.find((v) => (v as { metricName?: string }).metricName === `crm_projection_batch_duration_seconds${suffix}` && v.labels['projection'] === projection)?.value ?? 0;
  return { seconds: value('_sum'), count: value('_count') };
}

const logCounts = { warn: 0, error: 0 };
const logger: ProjectionLogger = {
  info: (fields, message) => {
    if (process.env['BENCH_DEBUG']) console.log('info:', message, fields);
  },
  warn: (fields, message) => {
    logCounts.warn += 1;
    console.warn('warn:', message, fields);
  },
  error: (fields, message) => {
    logCounts.error += 1;
    console.error('error:', message, fields);
  },
};

// ---------------------------------------------------------------------------------------------------------
// Catch-up: a runner from the start of the store until it has caught up once.

interface CatchUp {
  events: number;
  seconds: number;
  load: Load;
  stats: BatchStats;
  pollMs: number;
  polls: number;
  emptyPolls: number;
  batchSeconds: number;
  batches: number;
  runner: ProjectionRunner;
}

async function catchUp(pool: Pool, store: PostgresEventStore, projection: ProjectionDefinition, stats: BatchStats, batchSize: number): Promise<CatchUp> {
  const registry = new Registry();
  const polls = timePolls(store);
  const runner = new ProjectionRunner({ pool, store, projection, batchSize, logger, metricsRegistry: registry });
  const load: Load = { start: loadNow(), end: [] };
  const started = performance.now();
  await runner.start();
  await runner.caughtUp();
  const seconds = (performance.now() - started) / 1000;
  load.end = loadNow();
  const batches = await batchSeconds(registry, projection.name);
  const result = {
    events: runner.status().eventsApplied,
    seconds,
    load,
    stats,
    pollMs: polls.ms,
    polls: polls.calls,
    emptyPolls: polls.empty,
    batchSeconds: batches.seconds,
    batches: batches.count,
    runner,
  };
  polls.ms = 0; // counted while the runner stays live afterwards: not part of the catch-up
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// What the live version serves during the rebuild: point reads on the view, and a trickle of new customers.

interface Readers {
  stop(): Promise<{ reads: number; errors: number; missing: number; p50: number; p99: number; max: number }>;
}

function startReaders(pool: Pool, ids: readonly string[]): Readers {
  let stopped = false;
  const latencies: number[] = [];
  let errors = 0;
  let missing = 0;
  const interval = 1000 / Math.max(1, READ_RATE);
  const loop = (async () => {
    let due = performance.now();
    while (!stopped && READ_RATE > 0) {
      const id = ids[Math.floor(Math.random() * ids.length)] as string;
      const started = performance.now();
      try {
        const { rowCount } = await pool.query(`SELECT * FROM ${READ_SCHEMA}.customer_summary WHERE stream_id = $1`, [`customer-${id}`]);
        if (rowCount !== 1) missing += 1;
        latencies.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        console.error('reader:', error);
      }
      due += interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
      return { reads: latencies.length, errors, missing, p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? NaN };
    },
  };
}

interface Trickle {
  ids: string[];
  stop(): Promise<{ events: number; last: Position }>;
}

/** New customers while the rebuild runs: a registration and an order per append, at `LIVE_RATE` events/s. */
function startTrickle(store: PostgresEventStore): Trickle {
  let stopped = false;
  const ids: string[] = [];
  let events = 0;
  let last = START;
  const loop = (async () => {
    const started = performance.now();
    while (!stopped && LIVE_RATE > 0) {
      const due = Math.floor(((performance.now() - started) / 1000) * LIVE_RATE);
      while (events + 2 <= due) {
        const id = randomUUID();
        const customer = STREAMS + ids.length;
        ids.push(`customer-${id}`);
        const { position } = await store.appendToStream(`customer-${id}`, [eventFor(customer, id, 0), eventFor(customer, id, 6)]);
        if (comparePositions(position, last) > 0) last = position;
        events += 2;
      }
      await sleep(20);
    }
  })();
  return {
    ids,
    async stop() {
      stopped = true;
      await loop;
      return { events, last };
    },
  };
}

async function waitForLive(pool: Pool, name: string, head: Position, timeoutMs = 120_000): Promise<VersionRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = (await versions(pool, name)).find((v) => v.status === 'live');
    if (live && comparePositions(live.position, head) >= 0) return live;
    if (Date.now() > deadline) throw new Error(`${name}: the live version did not reach the head in ${timeoutMs} ms`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------------------

interface Row {
  measure: string;
  events: number;
  seconds: number;
  rate: string;
  goal: string;
  load: Load;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const totalStart = performance.now();
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DB_NAME}"`);
  });
  const pool = new Pool({ connectionString: DB_URL, max: 10 });
  pool.on('error', () => undefined);
  const store = await PostgresEventStore.create({ connectionString: DB_URL, schema: MAIN_SCHEMA, poolConfig: { max: 10 } });
  const compareStore = await PostgresEventStore.create({ connectionString: DB_URL, schema: COMPARE_SCHEMA, poolConfig: { max: 10 } });
  const runners: ProjectionRunner[] = [];
  const pools: Pool[] = [];
  const rows: Row[] = [];
  const notes: string[] = [];
  let failed = false;
  try {
    const { rows: info } = await pool.query<{ server_version: string; shared_buffers: string; synchronous_commit: string }>(
      `SELECT current_setting('server_version') AS server_version, current_setting('shared_buffers') AS shared_buffers,
              current_setting('synchronous_commit') AS synchronous_commit`,
    );
    const pg = info[0] as { server_version: string; shared_buffers: string; synchronous_commit: string };
    const machine =
      `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, node ${process.version}, ` +
      `PostgreSQL ${pg.server_version} (shared_buffers ${pg.shared_buffers}, synchronous_commit ${pg.synchronous_commit}), same host`;
    console.log(`# bench:projections — ${startedAt.toISOString()}`);
    console.log(machine);
    console.log(`load average at start: ${loadNow().join(' ')}`);
    console.log(`${fmt(EVENTS)} events over ${fmt(STREAMS)} customers, ${APPEND_SIZE} events per append, ${APPENDS_PER_TX} appends per transaction, ${WRITERS} writers; comparison at ${fmt(COMPARE_EVENTS)} events\n`);

    // 0. Seeding.
    let load: Load = { start: loadNow(), end: [] };
    const seeded = await seed(store, EVENTS, STREAMS);
    load.end = loadNow();
    rows.push({
      measure: `Seeding: \`appendInTransaction\`, ${APPEND_SIZE} event${APPEND_SIZE > 1 ? 's' : ''} per append, ${APPENDS_PER_TX} customers per transaction, ${WRITERS} writers`,
      events: EVENTS,
      seconds: seeded.seconds,
      rate: `${fmt(EVENTS / seeded.seconds)} events/s (${fmt(seeded.commits / seeded.seconds)} commits/s)`,
      goal: '—',
      load,
    });
    console.log(`seeded ${fmt(EVENTS)} events in ${fmt(seeded.seconds, 1)} s`);
    // As after a while in production: hint bits set and statistics known, so the catch-up is not the first reader.
    const vacuumStart = performance.now();
    await pool.query(`VACUUM (ANALYZE) "${MAIN_SCHEMA}".events`);
    notes.push(`\`VACUUM (ANALYZE)\` of the events table after seeding (${fmt((performance.now() - vacuumStart) / 1000, 1)} s, not counted).`);

    // 1. Catch-up with applyBatch.
    const mainStats = newStats();
    const projection = customerSummary('bench_customer_summary', 'batch', mainStats);
    const live = await catchUp(pool, store, projection, mainStats, BATCH_SIZE);
    runners.push(live.runner);
    console.log(`catch-up: ${fmt(live.events)} events in ${fmt(live.seconds, 2)} s`);
    if (live.events !== EVENTS) throw new Error(`catch-up applied ${live.events} events, expected ${EVENTS}`);
    const catchUpRate = live.events / live.seconds;
    rows.push({
      measure: `**Catch-up**, \`applyBatch\` (one \`unnest\` upsert per batch of ${BATCH_SIZE}), from the start until caught up`,
      events: live.events,
      seconds: live.seconds,
      rate: `**${fmt(catchUpRate)} events/s**`,
      goal: `≥ ${fmt(GOAL_CATCH_UP)} events/s: ${catchUpRate >= GOAL_CATCH_UP ? '**met**' : '**missed**'}`,
      load: live.load,
    });
    const [v1] = await versions(pool, projection.name);
    if (!v1) throw new Error('no live version after the catch-up');
    const afterCatchUp = await differingFromEvents(pool, MAIN_SCHEMA, tableOf(projection.name, v1.version), v1.position);
    const otherSeconds = live.seconds - live.pollMs / 1000 - live.batchSeconds;
    notes.push(
      `Catch-up time: subscription polls ${fmt(live.pollMs / 1000, 1)} s (${fmt(live.polls)} polls of ≤ 1,000 events, ${fmt(live.emptyPolls)} empty incl. the last at the head), batch transactions ` +
        `${fmt(live.batchSeconds, 1)} s (${fmt(live.batches)} batches; of which the \`unnest\` upsert incl. in-memory fold ${fmt(mainStats.ms / 1000, 1)} s), ` +
        `the rest ${fmt(otherSeconds, 1)} s (decoding rows into events, batching). A batch of ${BATCH_SIZE} events folded into ${fmt(mainStats.rows / Math.max(1, mainStats.batches), 0)} rows on average.`,
    );
    notes.push(`After the catch-up: ${fmt(afterCatchUp.truthRows)} customers recomputed in SQL from the events table, ${afterCatchUp.differing} rows differ from the projection.`);
    if (afterCatchUp.differing !== 0) failed = true;

    // 2. Rebuild while the live version serves reads and follows new appends.
    const readers = startReaders(pool, seeded.ids);
    const trickle = startTrickle(store);
    load = { start: loadNow(), end: [] };
    const rebuildStart = performance.now();
    const rebuilt = await live.runner.rebuild({ keepReplacedVersion: true });
    const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
    load.end = loadNow();
    const written = await trickle.stop();
    const reads = await readers.stop();
    console.log(`rebuild: version ${rebuilt.version} in ${fmt(rebuildSeconds, 2)} s (${rebuilt.appliedInSwitch} events applied in the switch)`);
    const head = comparePositions(written.last, START) > 0 ? written.last : await headOf(store);
    const newLive = await waitForLive(pool, projection.name, head);
    const all = await versions(pool, projection.name);
    const replaced = all.find((v) => v.version === rebuilt.replaced);
    if (!replaced) throw new Error('the replaced version was not kept');
    const [oldSum, newSum] = await Promise.all([
      checksum(pool, tableOf(projection.name, replaced.version), trickle.ids),
      checksum(pool, tableOf(projection.name, newLive.version), trickle.ids),
    ]);
    const [oldTruth, newTruth] = await Promise.all([
      differingFromEvents(pool, MAIN_SCHEMA, tableOf(projection.name, replaced.version), replaced.position),
      differingFromEvents(pool, MAIN_SCHEMA, tableOf(projection.name, newLive.version), newLive.position),
    ]);
    const sameRows = oldSum.md5 === newSum.md5 && oldSum.rows === newSum.rows && oldSum.events === newSum.events;
    if (!sameRows || oldTruth.differing !== 0 || newTruth.differing !== 0 || reads.errors > 0 || reads.missing > 0) failed = true;
    rows.push({
      measure:
        `**Rebuild** (blue/green, \`runner.rebuild()\`) of the whole projection while the live version serves ${fmt(READ_RATE)} point reads/s ` +
        `on the view and follows ${fmt(LIVE_RATE)} appended events/s`,
      events: EVENTS + written.events,
      seconds: rebuildSeconds,
      rate: `**${fmt(rebuildSeconds, 1)} s** (${fmt(EVENTS / rebuildSeconds)} events/s)`,
      goal: `time reported: ${sameRows && newTruth.differing === 0 ? 'rows verified' : '**rows differ**'}`,
      load,
    });
    notes.push(
      `Rebuild check: replaced v${replaced.version} and rebuilt v${newLive.version} have the same ${fmt(newSum.rows)} seeded customers ` +
        `(md5 of all columns ${sameRows ? 'equal' : '**different**'}: ${newSum.md5.slice(0, 12)}…, ${newSum.events} events); against the SQL ` +
        `recomputation from the events table, ${oldTruth.differing} (v${replaced.version}) and ${newTruth.differing} (v${newLive.version}) rows differ ` +
        `(v${newLive.version} includes the ${fmt(trickle.ids.length)} customers appended during the rebuild). ${rebuilt.appliedInSwitch} events applied inside the switch.`,
    );
    notes.push(
      `Readers during the rebuild: ${fmt(reads.reads)} point reads on \`${READ_SCHEMA}.customer_summary\`, ${reads.errors} errors, ${reads.missing} missing rows, ` +
        `p50 ${fmt(reads.p50, 2)} ms, p99 ${fmt(reads.p99, 2)} ms, max ${fmt(reads.max, 1)} ms.`,
    );
    await live.runner.stop();

    // 3. Per-event handlers against applyBatch, on a second store of COMPARE_EVENTS events.
    if (COMPARE_EVENTS > 0) {
      const compareStreams = Math.max(1, Math.round(COMPARE_EVENTS / (EVENTS / STREAMS)));
      const compareSeed = await seed(compareStore, COMPARE_EVENTS, compareStreams);
      await pool.query(`VACUUM (ANALYZE) "${COMPARE_SCHEMA}".events`);
      console.log(`seeded the comparison store: ${fmt(COMPARE_EVENTS)} events in ${fmt(compareSeed.seconds, 1)} s`);
      // Asynchronous commit on the projection's connections: a batch does not wait for its WAL flush. Safe for a
      // store-fed projection: rows and checkpoint are in one transaction, so a crash loses both together and the
      // runner replays those events from the store.
      const asyncPool = new Pool({ connectionString: DB_URL, max: 10 });
      asyncPool.on('error', () => undefined);
      asyncPool.on('connect', (client) => void client.query('SET synchronous_commit = off').catch(() => undefined));
      pools.push(asyncPool);
      const variants = [
        { name: 'bench_summary_handlers', mode: 'handlers' as const, batchSize: BATCH_SIZE, pool, label: `per-event handlers (one upsert per event), batches of ${BATCH_SIZE}` },
        { name: 'bench_summary_batch500', mode: 'batch' as const, batchSize: BATCH_SIZE, pool, label: `\`applyBatch\`, batches of ${BATCH_SIZE}` },
        { name: 'bench_summary_batch2000', mode: 'batch' as const, batchSize: 2000, pool, label: '`applyBatch`, batches of 2,000' },
        { name: 'bench_summary_async500', mode: 'batch' as const, batchSize: BATCH_SIZE, pool: asyncPool, label: `\`applyBatch\`, batches of ${BATCH_SIZE}, \`synchronous_commit = off\` on the projection's pool` },
        { name: 'bench_summary_async2000', mode: 'batch' as const, batchSize: 2000, pool: asyncPool, label: '`applyBatch`, batches of 2,000, `synchronous_commit = off`' },
      ];
      const sums: Checksum[] = [];
      let handlersRate = 0;
      for (const variant of variants) {
        const stats = newStats();
        const p = customerSummary(variant.name, variant.mode, stats, `${variant.name}_read`);
        const result = await catchUp(variant.pool, compareStore, p, stats, variant.batchSize);
        await result.runner.stop();
        if (result.events !== COMPARE_EVENTS) throw new Error(`${variant.name} applied ${result.events} events, expected ${COMPARE_EVENTS}`);
        const rate = result.events / result.seconds;
        if (variant.mode === 'handlers') handlersRate = rate;
        console.log(`${variant.name}: ${fmt(result.events)} events in ${fmt(result.seconds, 2)} s`);
        rows.push({
          measure: `Catch-up, ${variant.label}`,
          events: result.events,
          seconds: result.seconds,
          rate: `${fmt(rate)} events/s${variant.mode === 'batch' && handlersRate > 0 ? ` (× ${fmt(rate / handlersRate, 1)})` : ''}`,
          goal: variant.mode === 'handlers' ? '(comparison)' : `≥ ${fmt(GOAL_CATCH_UP)}: ${rate >= GOAL_CATCH_UP ? 'met' : 'missed'}`,
          load: result.load,
        });
        const [v] = await versions(pool, variant.name);
        if (!v) throw new Error(`${variant.name}: no live version`);
        sums.push(await checksum(pool, tableOf(variant.name, v.version)));
        if (variant.mode === 'handlers') {
          const truth = await differingFromEvents(pool, COMPARE_SCHEMA, tableOf(variant.name, v.version), v.position);
          if (truth.differing !== 0) failed = true;
          notes.push(`Comparison store: ${fmt(COMPARE_EVENTS)} events over ${fmt(compareStreams)} customers; the handlers' rows against the SQL recomputation: ${truth.differing} differ.`);
        }
      }
      const same = sums.every((s) => s.md5 === sums[0]?.md5 && s.rows === sums[0]?.rows);
      if (!same) failed = true;
      notes.push(`Per-event handlers and every \`applyBatch\` variant leave the same rows: md5 ${same ? 'equal' : '**different**'} (${sums.map((s) => s.md5.slice(0, 8)).join(', ')}).`);
    }

    notes.push(`Projection runner logs: ${logCounts.warn} warnings, ${logCounts.error} errors. Peak RSS of the benchmark process ${fmt(peakRss / 2 ** 20)} MiB.`);
    const totalSeconds = (performance.now() - totalStart) / 1000;
    console.log('\n| measure | events | elapsed | result | goal (issue 4) | load avg 1 min, start → end |');
    console.log('| --- | ---: | ---: | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.measure} | ${fmt(r.events)} | ${fmt(r.seconds, 1)} s | ${r.rate} | ${r.goal} | ${loadText(r.load)} |`);
    console.log('');
    for (const note of notes) console.log(`- ${note}`);
    console.log(`\nload average at end: ${loadNow().join(' ')} (${os.cpus().length} cores); whole run ${fmt(totalSeconds, 0)} s`);
    if (failed) {
      console.error('\nFAILED: a check above did not hold');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
    await store.close();
    await compareStore.close();
    await Promise.all(pools.map((p) => p.end()));
    await pool.end();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
