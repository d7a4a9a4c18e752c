// npm run bench:customers — registrations over HTTP against the whole customers service (PostgreSQL event store,
// projections and relay running) on a fresh database:
//   1. throughput: autocannon, 50 connections, POST /customers with unique emails and phones for BENCH_SECONDS;
//   2. visibility: at a fixed BENCH_RATE/s, command accepted (201 received) → row visible in the read model,
//      found by polling customers.customer_profiles every few milliseconds (so slightly pessimistic).
// The service runs as a child process (from source, like this file) so that autocannon does not share its event
// loop; its peak RSS is the child's VmHWM. Needs PostgreSQL (CRM_BENCH_PG_ADMIN_URL) and Kafka (KAFKA_BROKERS).
// Knobs: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_RATE, BENCH_LATENCY_SECONDS, BENCH_LOG_LEVEL (the service's
// LOG_LEVEL, default info: one line per request), BENCH_CPU_PROF=<dir> (V8 profile of the service); the service's
// own variables (e.g. DATABASE_POOL_MAX) pass through.
import { deleteTopics } from '@crm/messaging';
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const ADMIN_URL = process.env['CRM_BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 20);
const LOG_LEVEL = process.env['BENCH_LOG_LEVEL'] ?? 'info';
const POLL_MS = 2;
const run = randomBytes(3).toString('hex');
const root = path.resolve(__dirname, '../..');

let sequence = 0;
/** A registration nobody made before: unique email and phone, so the duplicate check passes. */
function registration(customerId?: string): string {
  sequence += 1;
  const n = String(sequence).padStart(7, '0');
  return JSON.stringify({
    ...(customerId ? { customerId } : {}),
    name: { given: 'Ada', family: `Lovelace ${n}` },
    emails: [{ address: `ada.${run}.${n}@bench.example`, primary: true }],
    phones: [{ number: `+49 30 2${n}` }],
    address: { lines: ['12 St James Square'], city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    company: 'Analytical Engines Ltd',
    tags: ['vip', 'bench'],
    acquisitionSource: 'benchmark',
  });
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0; // the process ended
  }
}

/** CPU seconds of the service process and of the PostgreSQL backends serving its database. */
async function cpuUse(db: Client, child: ChildProcess): Promise<{ service: number; postgres: number }> {
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return { service: cpuSeconds(child.pid), postgres: rows.reduce((sum, row) => sum + cpuSeconds(row.pid), 0) };
}

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024);
}

async function startService(dbUrl: string, topicPrefix: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(root, 'bench/run.js'), ['bench/customers/customers-service.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      KAFKA_BROKERS: BROKERS,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'),
      DEFAULT_PHONE_REGION: 'DE',
      LOG_LEVEL,
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the service, written when it stops.
    execArgv: process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']] : [],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url.replace('[::1]', '127.0.0.1')));
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
  });
  return { child, url };
}

async function throughput(url: string) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'POST', path: '/customers', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: registration() }) }],
  });
}

/** Waits until the read model holds `count` rows; returns how long that took. */
async function caughtUp(db: Client, count: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM customers.customer_profiles');
    if (Number(rows[0]?.n) >= count) return performance.now() - started;
    await pause(20);
  }
}

async function visibility(url: string, db: Client) {
  const pending = new Map<string, number>();
  const samples: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling || pending.size > 0) {
      if (pending.size === 0) {
        await pause(POLL_MS);
        continue;
      }
      const asked = performance.now(); // the query's snapshot: the row was visible by then
      const { rows } = await db.query<{ customer_id: string }>('SELECT customer_id FROM customers.customer_profiles WHERE customer_id = ANY($1::uuid[])', [[...pending.keys()]]);
      for (const { customer_id: id } of rows) {
        samples.push(Math.max(0, asked - (pending.get(id) ?? asked)));
        pending.delete(id);
      }
      await pause(POLL_MS);
    }
  })();
  const result = await autocannon({
    url,
    connections: CONNECTIONS, // enough that a slow answer does not hold the rate back
    overallRate: RATE,
    duration: LATENCY_SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/customers',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: registration(randomUUID()) }),
        onResponse: (status, body) => {
          if (status === 201) pending.set((JSON.parse(body) as { customerId: string }).customerId, performance.now());
        },
      },
    ],
  });
  polling = false;
  await Promise.race([poller, pause(30_000)]);
  const sorted = samples.sort((a, b) => a - b);
  return { result, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

async function main(): Promise<void> {
  const dbName = `crm_bench_customers_${run}`;
  await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
  const topicPrefix = `bench.${run}.`;
  const { child, url } = await startService(dbUrl, topicPrefix);
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    await autocannon({ url, connections: 10, amount: 500, requests: [{ method: 'POST', path: '/customers', headers: { 'content-type': 'application/json' }, setupRequest: (r) => ({ ...r, body: registration() }) }] }); // warm-up
    const idleRss = peakRssMb(child);
    const xacts = async () => Number((await db.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]?.n);
    const xactsBefore = await xacts();
    const cpuBefore = await cpuUse(db, child);
    const load = await throughput(url);
    const cpuAfter = await cpuUse(db, child);
    const xactsPerRegistration = (await xacts()) - xactsBefore;
    const loadavg = os.loadavg()[0] ?? NaN;
    const catchUp = await caughtUp(db, sequence - load.non2xx - load.errors);
    const seen = await visibility(url, db);
    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\n| customers: register over HTTP (${CONNECTIONS} connections, ${SECONDS} s; LOG_LEVEL=${LOG_LEVEL}) | result |\n| --- | --- |`);
    console.log(`| registrations/s (201) | ${f(load['2xx'] / load.duration)} (${f(load['2xx'])} in ${load.duration.toFixed(1)} s; non-2xx ${load.non2xx}, errors ${load.errors}) |`);
    console.log(`| HTTP latency | p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms |`);
    console.log(`| read model caught up after the load ended | ${f(catchUp)} ms |`);
    const perRegistration = (seconds: number) => ((1000 * seconds) / Math.max(1, load['2xx'])).toFixed(2);
    console.log(`| PostgreSQL transactions per registration (all of the service's work) | ${(xactsPerRegistration / Math.max(1, load['2xx'])).toFixed(1)} |`);
    console.log(`| CPU per registration: service process / its PostgreSQL backends | ${perRegistration(cpuAfter.service - cpuBefore.service)} ms / ${perRegistration(cpuAfter.postgres - cpuBefore.postgres)} ms |`);
    console.log(`| at ${RATE}/s for ${LATENCY_SECONDS} s: accepted → visible in the read model (n=${seen.n}) | p50 ${seen.p50.toFixed(1)} ms, p99 ${seen.p99.toFixed(1)} ms, max ${seen.max.toFixed(1)} ms |`);
    console.log(`| at ${RATE}/s: HTTP latency | p50 ${seen.result.latency.p50} ms, p99 ${seen.result.latency.p99} ms (non-2xx ${seen.result.non2xx}) |`);
    console.log(`| service RSS | ${idleRss} MB after warm-up, peak ${peakRssMb(child)} MB |`);
    console.log(`\nload average (1 min) at the end of the throughput run: ${loadavg.toFixed(1)} (${os.cpus().length} cores, shared)`);
  } finally {
    await db.end();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    await deleteTopics({ brokers: BROKERS.split(','), clientId: 'bench-admin' }, [`${topicPrefix}crm.customers.v1`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
