// npm run bench:customers — registrations over HTTP against the whole customers service (PostgreSQL event store,
// projections and relay running) on a fresh database:
//   1. throughput: autocannon, 50 connections, POST /customers with unique emails and phones for BENCH_SECONDS;
//   2. visibility: at a fixed BENCH_RATE/s, command accepted (201 received) → row visible in the read model,
//      found by polling customers.customer_profiles every few milliseconds (so slightly pessimistic).
// The service runs as a child process (from source, like this file) so that autocannon does not share its event
// loop; its peak RSS is the child's VmHWM. Needs PostgreSQL (CRM_BENCH_PG_ADMIN_URL) and Kafka (KAFKA_BROKERS).
// Knobs: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_RATE, BENCH_LATENCY_SECONDS, BENCH_LOG_LEVEL (the service's
// LOG_LEVEL, default info: one line per request), BENCH_CPU_PROF=<dir> (V8 profile of the service); the service's
// own variables (e.g. DATABASE_POOL_MAX) pass through. BENCH_SPLIT=1 runs the service as two processes, as one would
// deploy it to scale the HTTP side apart: an API process (RUN_BACKGROUND_WORK=false) that autocannon calls, and a
// worker process (projection, relay, consumer) on the same database and topics. The throughput part is register-load.ts (bench:sales runs it too).
import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { cpuSeconds, createDatabase, deleteServiceTopics, dropDatabase, f, LOG_LEVEL, pause, peakRssMb, percentile } from './bench-kit';
import { measureRegisterThroughput, Registrations, startCustomers, warmUpCustomers } from './register-load';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 20);
const POLL_MS = 2;
const SPLIT = process.env['BENCH_SPLIT'] === '1';
const run = randomBytes(3).toString('hex');
const registrations = new Registrations(run);

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
        setupRequest: (request) => ({ ...request, body: registrations.body(randomUUID()) }),
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
  const dbUrl = await createDatabase(dbName);
  const topicPrefix = `bench.${run}.`;
  const masterKey = randomBytes(32).toString('base64');
  const worker = SPLIT ? await startCustomers(dbUrl, topicPrefix, { CUSTOMERS_MASTER_KEY: masterKey }) : undefined;
  const service = await startCustomers(dbUrl, topicPrefix, { CUSTOMERS_MASTER_KEY: masterKey, ...(SPLIT ? { RUN_BACKGROUND_WORK: 'false' } : {}) }).catch(
    async (error: unknown) => {
      await worker?.stop();
      await dropDatabase(dbName);
      throw error;
    },
  );
  const { child, url } = service;
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    await warmUpCustomers(url, registrations);
    const idleRss = peakRssMb(child);
    const workerCpuBefore = cpuSeconds(worker?.child.pid);
    const { load, cpu, xacts } = await measureRegisterThroughput(service, db, registrations, { connections: CONNECTIONS, seconds: SECONDS });
    const workerCpu = cpuSeconds(worker?.child.pid) - workerCpuBefore;
    const loadavg = os.loadavg()[0] ?? NaN;
    const catchUp = await caughtUp(db, registrations.made - load.non2xx - load.errors);
    const seen = await visibility(url, db);
    const shape = SPLIT ? '; API and worker processes' : '';
    console.log(`\n| customers: register over HTTP (${CONNECTIONS} connections, ${SECONDS} s; LOG_LEVEL=${LOG_LEVEL}${shape}) | result |\n| --- | --- |`);
    console.log(`| registrations/s (201) | ${f(load['2xx'] / load.duration)} (${f(load['2xx'])} in ${load.duration.toFixed(1)} s; non-2xx ${load.non2xx}, errors ${load.errors}) |`);
    console.log(`| HTTP latency | p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms |`);
    console.log(`| read model caught up after the load ended | ${f(catchUp)} ms |`);
    const perRegistration = (seconds: number) => ((1000 * seconds) / Math.max(1, load['2xx'])).toFixed(2);
    console.log(`| PostgreSQL transactions per registration (all of the service's work) | ${(xacts / Math.max(1, load['2xx'])).toFixed(1)} |`);
    console.log(`| CPU per registration: service process / its PostgreSQL backends | ${perRegistration(cpu.service)} ms / ${perRegistration(cpu.postgres)} ms |`);
    const rest = cpu.machine - cpu.service - cpu.postgres - cpu.kafka - cpu.loadGenerator;
    console.log(`| CPU per registration, whole machine: Kafka broker / load generator (autocannon) / the rest / all | ${perRegistration(cpu.kafka)} / ${perRegistration(cpu.loadGenerator)} / ${perRegistration(rest)} / ${perRegistration(cpu.machine)} ms |`);
    console.log(`| machine busy during the throughput run | ${((100 * cpu.machine) / (load.duration * os.cpus().length)).toFixed(0)} % of ${os.cpus().length} cores |`);
    if (worker) console.log(`| CPU per registration: worker process | ${perRegistration(workerCpu)} ms |`);
    console.log(`| at ${RATE}/s for ${LATENCY_SECONDS} s: accepted → visible in the read model (n=${seen.n}) | p50 ${seen.p50.toFixed(1)} ms, p99 ${seen.p99.toFixed(1)} ms, max ${seen.max.toFixed(1)} ms |`);
    console.log(`| at ${RATE}/s: HTTP latency | p50 ${seen.result.latency.p50} ms, p99 ${seen.result.latency.p99} ms (non-2xx ${seen.result.non2xx}) |`);
    console.log(`| service RSS | ${idleRss} MB after warm-up, peak ${peakRssMb(child)} MB${worker ? `; worker peak ${peakRssMb(worker.child)} MB` : ''} |`);
    console.log(`\nload average (1 min) at the end of the throughput run: ${loadavg.toFixed(1)} (${os.cpus().length} cores, shared)`);
  } finally {
    await db.end();
    await service.stop();
    await worker?.stop();
    await dropDatabase(dbName);
    await deleteServiceTopics(topicPrefix);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
