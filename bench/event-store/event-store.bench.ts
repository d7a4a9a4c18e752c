// npm run bench:event-store — PostgresEventStore beside Emmett's PostgreSQL event store
// (@event-driven-io/emmett-postgresql) and a raw `pg` single-row INSERT per transaction (the ceiling), in one
// run against one fresh database. Prints machine info and a Markdown table with the ratios against the goals
// of issue 3 (docs/benchmarks.md keeps the results).
//
// Env: CRM_BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres); BENCH_SCALE (default 1)
// scales every duration and count; BENCH_SECONDS (per contender and measure, default 8 × scale),
// BENCH_READALL_EVENTS (default 200,000 × scale), BENCH_MEMORY_EVENTS (default 1,000,000 × scale),
// BENCH_ONLY (comma list of: appends,batch,readStream,lag,readAll,memory). Creates and drops its database.
import { PostgresEventStore, type EventData, type ExpectedRevision } from '@crm/event-store';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore as EmmettEventStore } from '@event-driven-io/emmett-postgresql';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool, types, type CustomTypesConfig } from 'pg';

const ADMIN_URL = process.env['CRM_BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'crm_bench_event_store';
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);
const SCHEMA = 'event_store';
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8 * SCALE);
const READALL_EVENTS = Math.round(Number(process.env['BENCH_READALL_EVENTS'] ?? 200_000 * SCALE));
const MEMORY_EVENTS = Math.round(Number(process.env['BENCH_MEMORY_EVENTS'] ?? 1_000_000 * SCALE));
const READSTREAM_EVENTS = 10_000;
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'appends,batch,readStream,lag,readAll,memory').split(',').map((s) => s.trim()));
const WRITERS = 8;
/** Rounds per measure: the contenders take turns, so that a change in the machine's load hits all of them. */
const ROUNDS = 4;
const WARM_UP_MS = 1000 * Math.min(1, SCALE);
/** Writers move on to a new stream after this many events (aggregates are short in a CRM). */
const STREAM_LENGTH = 100;
const GOALS = { vsEmmett: 2, vsRaw: 0.8, readAllPerSecond: 100_000, rssMb: 200 };

// Emmett's driver (dumbo) replaces pg's global type parsers when its store is created: int8 → BigInt and
// json/jsonb through JSON.parse with a reviver. Our store and the raw contender keep pg's defaults, as in a
// service without Emmett; Emmett keeps its own, as it runs in an Emmett service.
const PG_DEFAULTS = new Map([20, 114, 3802].map((oid) => [oid, types.getTypeParser(oid, 'text')]));
const pgDefaultTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format !== 'binary' && PG_DEFAULTS.get(oid)) || types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// ---------------------------------------------------------------------------------------------------------
// Payloads: the same event for every contender (a CRM note with the platform's metadata, ~350 bytes).

function note(customerId: string, seq: number) {
  return { customerId, seq, note: 'Called about the renewal; prefers e-mail in the morning.', channel: 'phone' };
}

function metadata() {
  return { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', time: new Date().toISOString(), schemaVersion: 1 };
}

interface BenchEvent extends EventData {
  type: 'CustomerNoted';
  data: ReturnType<typeof note>;
  metadata: ReturnType<typeof metadata>;
}

function events(customerId: string, from: number, n: number): BenchEvent[] {
  return Array.from({ length: n }, (_, i) => ({ id: randomUUID(), type: 'CustomerNoted', data: note(customerId, from + i), metadata: metadata() }));
}

/** Emmett's shape of the same events (it makes its own ids). */
function forEmmett(batch: BenchEvent[]) {
  return batch.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
}

// ---------------------------------------------------------------------------------------------------------
// Contenders. A writer appends `batch` events per call to its own streams.

type Op = () => Promise<void>;

interface Contender {
  name: string;
  writer(batch: number): Op;
}

function ours(store: PostgresEventStore, prefix: string): Contender {
  return {
    name: 'PostgresEventStore',
    writer(batch) {
      let customer = randomUUID();
      let revision: ExpectedRevision = 'no_stream';
      let written = 0;
      return async () => {
        if (written >= STREAM_LENGTH) {
          customer = randomUUID();
          revision = 'no_stream';
          written = 0;
        }
        const result = await store.appendToStream(`${prefix}-${customer}`, events(customer, written, batch), { expectedRevision: revision });
        revision = result.nextExpectedRevision;
        written += batch;
      };
    },
  };
}

function emmett(store: EmmettEventStore, prefix: string): Contender {
  return {
    name: 'Emmett',
    writer(batch) {
      let customer = randomUUID();
      let version: bigint | typeof STREAM_DOES_NOT_EXIST = STREAM_DOES_NOT_EXIST;
      let written = 0;
      return async () => {
        if (written >= STREAM_LENGTH) {
          customer = randomUUID();
          version = STREAM_DOES_NOT_EXIST;
          written = 0;
        }
        const result = await store.appendToStream(`${prefix}-${customer}`, forEmmett(events(customer, written, batch)), { expectedStreamVersion: version });
        version = result.nextExpectedStreamVersion;
        written += batch;
      };
    },
  };
}

const RAW_TABLE = `
  CREATE TABLE raw_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id  text        NOT NULL,
    revision   bigint      NOT NULL,
    event_id   uuid        NOT NULL,
    event_type text        NOT NULL,
    data       jsonb       NOT NULL,
    metadata   jsonb       NOT NULL,
    created    timestamptz NOT NULL DEFAULT now()
  )`;
const RAW_INSERT = `INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`;
const RAW_INSERT_MANY = `
  INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`;

/**
 * The ceiling: one INSERT per transaction (autocommit, one round trip, a named prepared statement) into a table
 * with only a primary key.
 */
function raw(pool: Pool, prefix: string): Contender {
  return {
    name: 'raw pg INSERT',
    writer(batch) {
      let customer = randomUUID();
      let written = 0;
      return async () => {
        if (written >= STREAM_LENGTH) {
          customer = randomUUID();
          written = 0;
        }
        const stream = `${prefix}-${customer}`;
        const batchEvents = events(customer, written, batch);
        if (batch === 1) {
          const [e] = batchEvents as [BenchEvent];
          await pool.query({ name: 'raw-insert', text: RAW_INSERT, values: [stream, written, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)] });
        } else {
          await pool.query({ name: 'raw-insert-many', text: RAW_INSERT_MANY, values: [
            batchEvents.map(() => stream),
            batchEvents.map((_, i) => written + i),
            batchEvents.map((e) => e.id),
            batchEvents.map((e) => e.type),
            batchEvents.map((e) => JSON.stringify(e.data)),
            batchEvents.map((e) => JSON.stringify(e.metadata)),
          ] });
        }
        written += batch;
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring.

async function drive(ops: Op[], ms: number): Promise<{ calls: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + ms;
  let calls = 0;
  await Promise.all(
    ops.map(async (op) => {
      while (performance.now() < deadline) {
        await op();
        calls += 1;
      }
    }),
  );
  return { calls, seconds: (performance.now() - started) / 1000 };
}

interface Throughput {
  perSecond: number;
  /** CPU per call of this process (the client, bench harness included) and of the contender's database backends, µs. */
  clientCpuUs: number;
  serverCpuUs: number;
}

/** Calls per second for each contender: warm-up, then ROUNDS turns of SECONDS / ROUNDS each. */
async function throughput(contenders: Contender[], writers: number, batch: number, seconds: number): Promise<Map<string, Throughput>> {
  const ops = contenders.map((c) => Array.from({ length: writers }, () => c.writer(batch)));
  for (const writerOps of ops) await drive(writerOps, WARM_UP_MS);
  const totals = contenders.map(() => ({ calls: 0, seconds: 0, clientUs: 0, serverTicks: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, writerOps] of ops.entries()) {
      const client = process.cpuUsage();
      const server = backendCpuTicks();
      const { calls, seconds: s } = await drive(writerOps, (seconds * 1000) / ROUNDS);
      const used = process.cpuUsage(client);
      const t = totals[i]!;
      t.serverTicks += backendCpuTicks() - server;
      t.clientUs += used.user + used.system;
      t.calls += calls;
      t.seconds += s;
    }
  }
  return new Map(
    contenders.map((c, i) => {
      const t = totals[i]!;
      return [c.name, { perSecond: t.calls / t.seconds, clientCpuUs: t.clientUs / t.calls, serverCpuUs: (t.serverTicks * TICK_US) / t.calls }];
    }),
  );
}

/**
 * CPU time (clock ticks) of the PostgreSQL backends connected to the bench database, from /proc (the server
 * runs on this machine). Only the contender being measured is busy, so the difference is its cost; shared
 * server processes (WAL writer, checkpointer) are not counted. NaN where /proc is not readable.
 */
const TICK_US = 10_000; // USER_HZ = 100 on Linux
function backendCpuTicks(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${DB_NAME} `)) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return Number.NaN;
  }
  return ticks;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------------------
// Database lifecycle.

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL, types: pgDefaultTypes });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function recreateDatabase(): Promise<void> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DB_NAME}`);
  });
}

async function dropDatabase(): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`));
}

async function machine(): Promise<{ line: string; pg: string }> {
  const pg = await withAdmin(async (c) => {
    const { rows } = await c.query<{ version: string; sc: string; sb: string; av: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sc,
              current_setting('shared_buffers') AS sb, current_setting('autovacuum') AS av`,
    );
    const r = rows[0]!;
    return `PostgreSQL ${r.version} (synchronous_commit=${r.sc}, shared_buffers=${r.sb}, autovacuum=${r.av})`;
  });
  const cpus = os.cpus();
  const line = `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
  return { line, pg };
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

// ---------------------------------------------------------------------------------------------------------
// The memory probe runs in a child process so that its RSS is its own.

interface ProbeResult {
  mode: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  baselineRssMb: number;
  peakRssMb: number;
  vmHwmMb: number;
}

function probe(mode: 'readAll' | 'subscribe'): Promise<ProbeResult> {
  const runner = path.join(__dirname, '..', 'run.js');
  const script = path.join(__dirname, 'memory-probe.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, script, mode], {
      env: { ...process.env, BENCH_DB_URL: DB_URL, BENCH_SCHEMA: SCHEMA },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory probe ${mode} exited with ${code}`));
      const last = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(last) as ProbeResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------

interface Row {
  measure: string;
  ours: string;
  emmett: string;
  raw: string;
  ratios: string;
  goal: string;
  met: string;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
const tick = (ok: boolean) => (ok ? 'yes' : '**no**');

async function countEvents(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}

/** Seeds `total` events through the store's API: appends of 1,000 events, 4 at a time, fresh streams. */
async function seed(store: PostgresEventStore, prefix: string, total: number): Promise<{ seconds: number; perSecond: number }> {
  const perAppend = 1000;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < total) {
        const n = Math.min(perAppend, total - next);
        next += n;
        const customer = randomUUID();
        await store.appendToStream(`${prefix}-${customer}`, events(customer, 0, n), { expectedRevision: 'no_stream' });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: total / seconds };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const info = await machine();
  console.log(`# Event store benchmark — ${startedAt.toISOString()}`);
  console.log(`Machine: ${info.line}; ${info.pg}`);
  console.log(`Load average at start (1/5/15 min): ${loadAverage()}`);
  console.log(`Scale ${SCALE}: ${SECONDS} s per contender and measure (${ROUNDS} rounds), readAll ${READALL_EVENTS} events, memory ${MEMORY_EVENTS} events`);

  let peakLoad = os.loadavg()[0] ?? 0;
  const loadSampler = setInterval(() => (peakLoad = Math.max(peakLoad, os.loadavg()[0] ?? 0)), 2000);
  await recreateDatabase();
  const ourStore = await PostgresEventStore.create({ connectionString: DB_URL, schema: SCHEMA, poolConfig: { max: WRITERS, idleTimeoutMillis: 0, types: pgDefaultTypes } });
  // Connections stay open between turns (no idle time-out), so that no contender pays for reconnecting.
  const emmettPool = new Pool({ connectionString: DB_URL, max: WRITERS, idleTimeoutMillis: 0 });
  const emmettStore = getPostgreSQLEventStore(DB_URL, { connectionOptions: { pool: emmettPool } });
  await emmettStore.schema.migrate();
  const rawPool = new Pool({ connectionString: DB_URL, max: WRITERS, idleTimeoutMillis: 0, types: pgDefaultTypes });
  await rawPool.query(RAW_TABLE);
  const pools = [emmettPool, rawPool];
  for (const p of pools) p.on('error', () => undefined);

  const rows: Row[] = [];
  const profile: [string, Map<string, Throughput>][] = [];
  const notes: string[] = [];
  const misses: string[] = [];
  const log = (s: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

  try {
    const contenders = [raw(rawPool, 'customer'), ours(ourStore, 'customer'), emmett(emmettStore, 'customer')];

    if (ONLY.has('appends')) {
      for (const writers of [1, WRITERS]) {
        log(`appends, 1 event, ${writers} writer(s)`);
        const r = await throughput(contenders, writers, 1, SECONDS);
        profile.push([`1 event per append, ${writers} writer(s)`, r]);
        const [o, e, w] = [r.get('PostgresEventStore')!.perSecond, r.get('Emmett')!.perSecond, r.get('raw pg INSERT')!.perSecond];
        const ok = o >= GOALS.vsEmmett * e && o >= GOALS.vsRaw * w;
        if (!ok) misses.push(`appends/s, ${writers} writer(s)`);
        rows.push({
          measure: `Appends/s, 1 event per append, ${writers} writer${writers > 1 ? 's (distinct streams)' : ''}`,
          ours: fmt(o),
          emmett: fmt(e),
          raw: fmt(w),
          ratios: `${ratio(o, e)} Emmett; ${pct(o, w)} of raw`,
          goal: '≥ 2× Emmett, ≥ 80 % of raw',
          met: tick(ok),
        });
      }
    }

    if (ONLY.has('batch')) {
      log('appends, 100 events, 1 writer');
      const r = await throughput(contenders, 1, 100, Math.max(1, SECONDS * 0.6));
      profile.push(['100 events per append, 1 writer', r]);
      const [o, e, w] = [r.get('PostgresEventStore')!.perSecond * 100, r.get('Emmett')!.perSecond * 100, r.get('raw pg INSERT')!.perSecond * 100];
      rows.push({
        measure: 'Events/s, 100 events per append, 1 writer',
        ours: fmt(o),
        emmett: fmt(e),
        raw: `${fmt(w)} (multi-row INSERT)`,
        ratios: `${ratio(o, e)} Emmett; ${pct(o, w)} of raw`,
        goal: '—',
        met: '—',
      });
    }

    if (ONLY.has('readStream')) {
      log(`readStream of ${READSTREAM_EVENTS} events`);
      const customer = randomUUID();
      const stream = `readstream-${customer}`;
      let revision: ExpectedRevision = 'no_stream';
      let version: bigint | typeof STREAM_DOES_NOT_EXIST = STREAM_DOES_NOT_EXIST;
      for (let from = 0; from < READSTREAM_EVENTS; from += 100) {
        const batch = events(customer, from, 100);
        revision = (await ourStore.appendToStream(stream, batch, { expectedRevision: revision })).nextExpectedRevision;
        version = (await emmettStore.appendToStream(stream, forEmmett(batch), { expectedStreamVersion: version })).nextExpectedStreamVersion;
      }
      // Fresh statistics, as autovacuum keeps them in production (it may be off on a test server); without
      // them the planner can sort a whole stream's tail for every page of readStream.
      await rawPool.query('ANALYZE');
      const readOurs = async () => {
        let n = 0;
        for await (const _event of ourStore.readStream(stream)) n += 1;
        if (n !== READSTREAM_EVENTS) throw new Error(`readStream returned ${n} events`);
      };
      const readEmmett = async () => {
        const { events: read } = await emmettStore.readStream(stream);
        if (read.length !== READSTREAM_EVENTS) throw new Error(`Emmett readStream returned ${read.length} events`);
      };
      await readOurs();
      await readEmmett();
      const oursMs: number[] = [];
      const emmettMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        oursMs.push(await timeMs(readOurs));
        emmettMs.push(await timeMs(readEmmett));
      }
      const [o, e] = [median(oursMs), median(emmettMs)];
      rows.push({
        measure: `readStream of a ${fmt(READSTREAM_EVENTS)}-event stream, ms (median of 5)`,
        ours: fmt(o, 1),
        emmett: fmt(e, 1),
        raw: '—',
        ratios: `ours takes ${ratio(o, e)} Emmett's time`,
        goal: '—',
        met: '—',
      });
    }

    if (ONLY.has('lag')) {
      log(`subscription lag, ${WRITERS} writers`);
      // The subscriber is another store instance (its own pool), as a projection in another process would be.
      const subscriberStore = await PostgresEventStore.create({ connectionString: DB_URL, schema: SCHEMA, poolConfig: { max: 2, types: pgDefaultTypes } });
      const resolvedAt = new Map<string, number>();
      const appendMs: number[] = [];
      const seenAt = new Map<string, number>();
      let caughtUp!: () => void;
      const live = new Promise<void>((resolve) => (caughtUp = resolve));
      const subscription = subscriberStore.subscribeToAll(
        {
          onEvent(event) {
            seenAt.set(event.id, performance.now());
          },
          onCaughtUp: () => caughtUp(),
          onError: (error) => console.error('subscription failed', error),
        },
        { fromPosition: 'end', filter: { streamNamePrefixes: ['lag-'] } },
      );
      await live;
      const writers = Array.from({ length: WRITERS }, () => {
        let customer = randomUUID();
        let revision: ExpectedRevision = 'no_stream';
        let written = 0;
        return async () => {
          if (written >= STREAM_LENGTH) {
            customer = randomUUID();
            revision = 'no_stream';
            written = 0;
          }
          const [e] = events(customer, written, 1) as [BenchEvent];
          const started = performance.now();
          revision = (await ourStore.appendToStream(`lag-${customer}`, e, { expectedRevision: revision })).nextExpectedRevision;
          const resolved = performance.now();
          resolvedAt.set(e.id, resolved);
          appendMs.push(resolved - started);
          written += 1;
        };
      });
      // $all readers wait for every older transaction of the cluster (ADR 0005): watch for other databases'
      // writing transactions (other jobs on this server) that hold them back.
      const watcher = new Client({ connectionString: ADMIN_URL, types: pgDefaultTypes });
      await watcher.connect();
      let heldBackMs = 0;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const { rows } = await watcher.query<{ ms: number | null }>(
            `SELECT (extract(epoch FROM max(now() - xact_start)) * 1000)::float8 AS ms
               FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM $1`,
            [DB_NAME],
          );
          heldBackMs = Math.max(heldBackMs, rows[0]?.ms ?? 0);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const { calls, seconds } = await drive(writers, SECONDS * 1000);
      const deadline = performance.now() + 10_000;
      while (seenAt.size < resolvedAt.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      watching = false;
      await watch;
      await watcher.end();
      appendMs.sort((a, b) => a - b);
      notes.push(
        `Subscription lag: appends took p50 ${fmt(percentile(appendMs, 50), 1)} ms, p99 ${fmt(percentile(appendMs, 99), 1)} ms meanwhile; ` +
          `the oldest writing transaction of another database on the server was ${fmt(heldBackMs)} ms old at worst.`,
      );
      await subscription.unsubscribe();
      await subscriberStore.close();
      const lags = [...resolvedAt].map(([id, at]) => Math.max(0, (seenAt.get(id) ?? Number.POSITIVE_INFINITY) - at)).sort((a, b) => a - b);
      const missing = resolvedAt.size - [...resolvedAt.keys()].filter((id) => seenAt.has(id)).length;
      if (missing > 0) notes.push(`Subscription lag: ${missing} of ${resolvedAt.size} events were not delivered within 10 s.`);
      rows.push({
        measure: `Subscription lag while ${WRITERS} writers append (${fmt(calls / seconds)} appends/s), ms`,
        ours: `p50 ${fmt(percentile(lags, 50), 1)} · p99 ${fmt(percentile(lags, 99), 1)} · max ${fmt(lags[lags.length - 1] ?? Number.NaN, 1)}`,
        emmett: '—',
        raw: '—',
        ratios: `${fmt(lags.length)} events`,
        goal: 'report p99',
        met: '—',
      });
    }

    const needed = Math.max(ONLY.has('readAll') ? READALL_EVENTS : 0, ONLY.has('memory') ? MEMORY_EVENTS : 0);
    if (needed > 0) {
      const have = await countEvents(ourStore.pool, `${SCHEMA}.events`);
      if (have < needed) {
        log(`seeding ${needed - have} events (appends of 1,000 events, 4 writers)`);
        const s = await seed(ourStore, 'seed', needed - have);
        notes.push(`Seeding: ${fmt(needed - have)} events through \`appendToStream\` (1,000 events per append, 4 concurrent) in ${fmt(s.seconds, 1)} s = ${fmt(s.perSecond)} events/s.`);
      }
      await rawPool.query('ANALYZE');
    }

    if (ONLY.has('readAll')) {
      log(`readAll of ${READALL_EVENTS} events`);
      let n = 0;
      for await (const _event of ourStore.readAll({ maxCount: 1000 })) n += 1; // warm-up
      n = 0;
      const oursMs = await timeMs(async () => {
        for await (const _event of ourStore.readAll({ maxCount: READALL_EVENTS })) n += 1;
      });
      const o = n / (oursMs / 1000);
      // Emmett has no readAll: its consumers pull $all with readMessagesBatch; read its whole table with it.
      const emmettTotal = await countEvents(emmettPool, 'emt_messages');
      const executor = {
        query: (sql: string) => emmettPool.query(sql),
        batchQuery: (sqls: string[]) => Promise.all(sqls.map((sql) => emmettPool.query(sql))),
        command: (sql: string) => emmettPool.query(sql),
        batchCommand: (sqls: string[]) => Promise.all(sqls.map((sql) => emmettPool.query(sql))),
      } as unknown as Parameters<typeof readMessagesBatch>[0];
      let m = 0;
      const emmettMs = await timeMs(async () => {
        let after = 0n;
        for (;;) {
          const batch = await readMessagesBatch(executor, { after, batchSize: 1000 });
          m += batch.messages.length;
          after = batch.currentGlobalPosition;
          if (!batch.areMessagesLeft) break;
        }
      });
      const e = m / (emmettMs / 1000);
      const ok = o >= GOALS.readAllPerSecond;
      if (!ok) misses.push('readAll events/s');
      rows.push({
        measure: `readAll, events/s (ours: first ${fmt(n)} of $all; Emmett: readMessagesBatch × 1,000 over its ${fmt(m)})`,
        ours: fmt(o),
        emmett: `${fmt(e)} (no readAll)`,
        raw: '—',
        ratios: ratio(o, e) + ' Emmett',
        goal: '≥ 100,000/s',
        met: tick(ok),
      });
      if (m !== emmettTotal) notes.push(`Emmett's readMessagesBatch loop returned ${fmt(m)} messages; its table holds ${fmt(emmettTotal)} (it orders by transaction id but pages by global_position).`);
    }

    if (ONLY.has('memory')) {
      const total = await countEvents(ourStore.pool, `${SCHEMA}.events`);
      for (const mode of ['readAll', 'subscribe'] as const) {
        log(`memory: ${mode} over ${total} events in a child process`);
        const p = await probe(mode);
        const peak = Math.max(p.peakRssMb, p.vmHwmMb);
        const ok = peak < GOALS.rssMb && p.events >= MEMORY_EVENTS;
        if (!ok) misses.push(`memory (${mode})`);
        rows.push({
          measure: `Memory: ${mode === 'readAll' ? 'readAll' : 'subscribeToAll from start until caught up'} over ${fmt(p.events)} events, peak RSS MB (child process)`,
          ours: `${fmt(peak, 0)} (baseline ${fmt(p.baselineRssMb, 0)})`,
          emmett: '—',
          raw: '—',
          ratios: `${fmt(p.eventsPerSecond)} events/s`,
          goal: '< 200 MB',
          met: tick(ok),
        });
      }
    }
  } finally {
    await ourStore.close();
    await emmettStore.close();
    for (const p of pools) await p.end();
    await dropDatabase();
    clearInterval(loadSampler);
  }

  const finishedAt = new Date();
  console.log('');
  console.log(`Load average at end (1/5/15 min): ${loadAverage()}; highest 1-min load seen: ${peakLoad.toFixed(2)}; took ${fmt((finishedAt.getTime() - startedAt.getTime()) / 1000)} s`);
  console.log('');
  console.log('| Measure | PostgresEventStore | Emmett | Raw pg INSERT | Ratios | Goal | Met |');
  console.log('|---|---:|---:|---:|---|---|---|');
  for (const r of rows) console.log(`| ${r.measure} | ${r.ours} | ${r.emmett} | ${r.raw} | ${r.ratios} | ${r.goal} | ${r.met} |`);
  if (profile.length) {
    console.log('');
    console.log('CPU per append, µs — client (this process, harness included) / PostgreSQL backends:');
    console.log('');
    console.log('| Appends | PostgresEventStore | Emmett | Raw pg INSERT |');
    console.log('|---|---:|---:|---:|');
    for (const [what, r] of profile) {
      const cell = (name: string) => {
        const t = r.get(name)!;
        return `${fmt(t.clientCpuUs)} / ${fmt(t.serverCpuUs)}`;
      };
      console.log(`| ${what} | ${cell('PostgresEventStore')} | ${cell('Emmett')} | ${cell('raw pg INSERT')} |`);
    }
  }
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
  console.log(misses.length ? `- Goals missed: ${misses.join(', ')}.` : '- All goals met.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
  dropDatabase().catch(() => undefined);
});
