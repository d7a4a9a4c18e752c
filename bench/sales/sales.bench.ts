// npm run bench:sales — the sales service over HTTP beside the customers service, in one run (issue 6):
//   1. customers: registrations, BENCH_CONNECTIONS (50) connections for BENCH_SECONDS (register-load.ts, as bench:customers);
//   2. sales' customer directory (sales.known_customers, fed by crm.customers.v1) catching up with those customers;
//   3. stage moves: BENCH_OPPORTUNITIES opportunities for known customers in a five-stage pipeline, then 50
//      connections POST /opportunities/:id/stage for BENCH_SECONDS (round-robin, each a real move, no If-Match);
//   4. the lead-conversion saga: leads converted with contact data and an opportunity at BENCH_SAGA_RATE (100)/s for
//      BENCH_SAGA_SECONDS (20); convert answered → OpportunityCustomerLinked committed in sales' event store
//      (lead.converted → customers registers → customer.registered{leadId} → sales links).
// Both services run as child processes (from source) on fresh databases crm_bench_{customers,sales}_<run> with one
// Kafka topic prefix; databases, topics and children are cleaned up on failure and on Ctrl-C too.
// Other knobs: BENCH_SAGA_TIMEOUT_MS, BENCH_LOG_LEVEL, BENCH_CPU_PROF (see bench/customers/register.bench.ts).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { costOf, cpuSeconds, createDatabase, deleteServiceTopics, dropDatabase, f, LOG_LEVEL, peakRssMb, waitReady, type ServiceProcess } from '../customers/bench-kit';
import { measureRegisterThroughput, Registrations, startCustomers, warmUpCustomers } from '../customers/register-load';
import { captureLeads, definePipeline, directoryCaughtUp, openOpportunities, sagaLatency, sagaLegs, stageMoves, startSales } from './sales-load';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const OPPORTUNITIES = Number(process.env['BENCH_OPPORTUNITIES'] ?? 1000);
const SAGA_RATE = Number(process.env['BENCH_SAGA_RATE'] ?? 100);
const SAGA_SECONDS = Number(process.env['BENCH_SAGA_SECONDS'] ?? 20);
const SAGA_TIMEOUT_MS = Number(process.env['BENCH_SAGA_TIMEOUT_MS'] ?? 30_000);
const DIRECTORY_TIMEOUT_MS = 120_000;
const run = randomBytes(3).toString('hex');
const topicPrefix = `bench.${run}.`;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs one phase; a failure is reported in the table (and on stderr) instead of ending the run. */
async function attempt<T>(phase: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    console.error(`bench:sales: ${phase} failed:`, error);
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Clean-ups in reverse order of creation; each runs once, whether the run ends, fails or is interrupted. */
const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp(): Promise<void> {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) await step().catch((error: unknown) => console.error('bench:sales: clean-up step failed:', error));
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

async function database(name: string): Promise<{ url: string; client: Client }> {
  const url = await createDatabase(name);
  cleanups.push(() => dropDatabase(name));
  const client = new Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return { url, client };
}

async function service(start: () => Promise<ServiceProcess>): Promise<ServiceProcess> {
  const started = await start();
  cleanups.push(() => started.stop());
  await waitReady(started.url);
  return started;
}

/** Both values, or the first failure once neither is still starting (so that each has its clean-up registered). */
function settled<A, B>([a, b]: [PromiseSettledResult<A>, PromiseSettledResult<B>]): [A, B] {
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

async function main(): Promise<number> {
  cleanups.push(() => deleteServiceTopics(topicPrefix));
  const [customersDb, salesDb] = settled(await Promise.allSettled([database(`crm_bench_customers_${run}`), database(`crm_bench_sales_${run}`)]));
  const [customers, sales] = settled(
    await Promise.allSettled([service(() => startCustomers(customersDb.url, topicPrefix)), service(() => startSales(salesDb.url, topicPrefix))]),
  );
  const registrations = new Registrations(run);
  const loadavg = () => os.loadavg()[0] ?? NaN;

  await warmUpCustomers(customers.url, registrations);
  const pipelineId = await definePipeline(sales.url);
  const rss = { customers: peakRssMb(customers.child), sales: peakRssMb(sales.child) };
  const register = await measureRegisterThroughput(customers, customersDb.client, registrations, { connections: CONNECTIONS, seconds: SECONDS });
  const loadAfterRegister = loadavg();

  const directory = await attempt('the customer directory', () => directoryCaughtUp(salesDb.client, customersDb.client, DIRECTORY_TIMEOUT_MS));
  const moves = await attempt('the stage moves', async () => {
    const known = await salesDb.client.query<{ customer_id: string }>(`SELECT customer_id FROM sales.known_customers WHERE status = 'active' LIMIT $1`, [OPPORTUNITIES]);
    if (known.rows.length === 0) throw new Error('sales.known_customers holds no active customer: no opportunity can be opened');
    const opened = await openOpportunities(sales.url, pipelineId, known.rows.map((row) => row.customer_id));
    if (opened.ids.length === 0) throw new Error(`no opportunity opened (non-2xx ${opened.load.non2xx}, errors ${opened.load.errors})`);
    const measured = await costOf(salesDb.client, sales.child, () => stageMoves(sales.url, opened.ids, { connections: CONNECTIONS, seconds: SECONDS }));
    return { opened, ...measured, loadavg: loadavg() };
  });
  const saga = await attempt('the saga', async () => {
    const leads = await captureLeads(sales.url, run, Math.round(SAGA_RATE * SAGA_SECONDS));
    if (leads.ids.length === 0) throw new Error(`no lead captured (non-2xx ${leads.load.non2xx}, errors ${leads.load.errors})`);
    const cpuBefore = [cpuSeconds(customers.child.pid), cpuSeconds(sales.child.pid)];
    const latency = await sagaLatency(sales.url, salesDb.client, pipelineId, leads.ids, { rate: SAGA_RATE, timeoutMs: SAGA_TIMEOUT_MS });
    const cpu = { customers: cpuSeconds(customers.child.pid) - (cpuBefore[0] ?? 0), sales: cpuSeconds(sales.child.pid) - (cpuBefore[1] ?? 0) };
    if (latency.n === 0) throw new Error(`no opportunity linked (converts: 200 ${latency.load['2xx']}, non-2xx ${latency.load.non2xx}, errors ${latency.load.errors}; unlinked after ${SAGA_TIMEOUT_MS} ms: ${latency.unlinked})`);
    return { leads, latency, cpu, loadavg: loadavg(), legs: await sagaLegs(salesDb.client, customersDb.client) };
  });

  if (interrupted) return 130; // the clean-up is under way: the phases' figures would be half-measured
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const perOp = (seconds: number, ops: number) => `${((1000 * seconds) / Math.max(1, ops)).toFixed(2)} ms`;
  const row = (label: string, value: string) => console.log(`| ${label} | ${value} |`);
  const failed = (outcome: { ok: false; error: string }) => `**failed**: ${outcome.error.replaceAll('|', '\\|')}`;
  const { load } = register;
  console.log(`\n| bench:sales (run ${run}; ${CONNECTIONS} connections, ${SECONDS} s per load; LOG_LEVEL=${LOG_LEVEL}) | result |\n| --- | --- |`);
  row('customers: registrations/s (201)', `${f(load['2xx'] / load.duration)} (${f(load['2xx'])} in ${load.duration.toFixed(1)} s; non-2xx ${load.non2xx}, errors ${load.errors})`);
  row('customers: register HTTP latency', `p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms`);
  row('customers: CPU per registration, service / its PostgreSQL backends', `${perOp(register.cpu.service, load['2xx'])} / ${perOp(register.cpu.postgres, load['2xx'])}`);
  row(
    "sales: customer directory (sales.known_customers) caught up after the register load",
    directory.ok ? `${f(directory.value.ms)} ms (${f(directory.value.known)} of ${f(directory.value.registered)} customers)` : failed(directory),
  );
  if (moves.ok) {
    const { opened, result: m, cpu, xacts } = moves.value;
    row('sales: opportunities opened for the moves (20 connections)', `${f(opened.ids.length)} (${f(opened.load['2xx'] / opened.load.duration)}/s; non-2xx ${opened.load.non2xx}, errors ${opened.load.errors})`);
    row('sales: stage moves/s (200)', `${f(m['2xx'] / m.duration)} (${f(m['2xx'])} in ${m.duration.toFixed(1)} s; non-2xx ${m.non2xx}, errors ${m.errors})`);
    row('sales: stage move HTTP latency', `p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms, max ${m.latency.max} ms`);
    row('sales: CPU per stage move, service / its PostgreSQL backends', `${perOp(cpu.service, m['2xx'])} / ${perOp(cpu.postgres, m['2xx'])}`);
    row("sales: PostgreSQL transactions per stage move (all of the service's work)", (xacts / Math.max(1, m['2xx'])).toFixed(1));
  } else {
    row('sales: stage moves', failed(moves));
  }
  if (saga.ok) {
    const { leads, latency: s } = saga.value;
    const linkMs = (n: number) => (Number.isFinite(n) ? ms(n) : `not linked ${SAGA_TIMEOUT_MS / 1000} s after the last convert`);
    row(`saga at ${SAGA_RATE}/s for ${SAGA_SECONDS} s: convert answered → opportunity linked (n=${s.n} linked)`, `p50 ${linkMs(s.p50)}, p99 ${linkMs(s.p99)}, max ${linkMs(s.max)}`);
    const { legs } = saga.value;
    row(`saga legs (append times, n=${legs.n}): lead converted → customer registered / → opportunity linked`, `p50 ${ms(legs.toCustomer.p50)} / ${ms(legs.toLink.p50)}, p99 ${ms(legs.toCustomer.p99)} / ${ms(legs.toLink.p99)}`);
    row('saga: convert HTTP latency', `p50 ${s.load.latency.p50} ms, p99 ${s.load.latency.p99} ms, max ${s.load.latency.max} ms`);
    const { cpu } = saga.value;
    row('saga: CPU per linked conversion, customers / sales service process', `${perOp(cpu.customers, s.n)} / ${perOp(cpu.sales, s.n)}`);
    const leadFailures = leads.load.non2xx + leads.load.errors;
    row('saga: failures', `capture ${leadFailures}, convert non-2xx ${s.load.non2xx} / errors ${s.load.errors}, not linked within ${SAGA_TIMEOUT_MS / 1000} s ${s.unlinked}`);
  } else {
    row('saga: convert → opportunity linked', failed(saga));
  }
  row('service RSS: customers / sales', `${rss.customers} / ${rss.sales} MB after warm-up, peak ${peakRssMb(customers.child)} / ${peakRssMb(sales.child)} MB`);
  const loads = [loadAfterRegister, moves.ok ? moves.value.loadavg : NaN, saga.ok ? saga.value.loadavg : NaN].map((n) => n.toFixed(1)).join(' / ');
  row('load average (1 min) after the register / stage-move / saga loads', `${loads} (${os.cpus().length} cores, shared)`);
  return directory.ok && moves.ok && saga.ok ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
