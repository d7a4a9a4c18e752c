// What the HTTP benchmarks share: fresh databases, services as child processes, CPU and memory from /proc, percentiles.
import { deadLetterTopicOf, deleteTopics } from '@crm/messaging';
import type { INestApplication } from '@nestjs/common';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export const ADMIN_URL = process.env['CRM_BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
export const LOG_LEVEL = process.env['BENCH_LOG_LEVEL'] ?? 'info';
export const ROOT = path.resolve(__dirname, '../..');
/** The flags the services run with; BENCH_NODE_FLAGS (space-separated) replaces them. */
export const SERVICE_NODE_FLAGS = (process.env['BENCH_NODE_FLAGS'] ?? '--max-semi-space-size=64').split(' ').filter(Boolean);

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A whole number with thousands separators. */
export const f = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database and answers its URL. */
export async function createDatabase(name: string): Promise<string> {
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Deletes the services' topics under the run's prefix, with their dead-letter topics (those that exist). */
export async function deleteServiceTopics(topicPrefix: string): Promise<void> {
  const topics = ['crm.customers.v1', 'crm.sales.v1'].flatMap((name) => [`${topicPrefix}${name}`, deadLetterTopicOf(`${topicPrefix}${name}`)]);
  await deleteTopics({ brokers: BROKERS.split(','), clientId: 'bench-admin' }, topics);
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0; // the process ended
  }
}

/** Where a benchmark's CPU went: the service process, its PostgreSQL backends, the Kafka broker, this process (the load generator), the whole machine. */
export interface CpuUse {
  service: number;
  postgres: number;
  kafka: number;
  loadGenerator: number;
  machine: number;
}

/** CPU seconds the whole machine has been busy (all cores; user, nice, system, irq, softirq, steal), from /proc/stat. */
export function machineCpuSeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

/** The local Kafka broker's pid (infra/local/kafka/start.sh's pid file), if it runs here. */
function kafkaPid(): number | undefined {
  try {
    return Number(readFileSync(path.join(process.env['KAFKA_DATA_DIR'] ?? path.join(ROOT, '.local/kafka'), 'kafka.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined; // a broker started elsewhere: its CPU counts under the machine's only
  }
}

/** CPU seconds so far of the service process, of the PostgreSQL backends serving its database (`db`'s), and of the rest. */
export async function cpuUse(db: Client, child: ChildProcess): Promise<CpuUse> {
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const own = process.cpuUsage();
  return {
    service: cpuSeconds(child.pid),
    postgres: rows.reduce((sum, row) => sum + cpuSeconds(row.pid), 0),
    kafka: cpuSeconds(kafkaPid()),
    loadGenerator: (own.user + own.system) / 1e6,
    machine: machineCpuSeconds(),
  };
}

/** Transactions committed or rolled back in `db`'s database so far. */
export async function transactions(db: Client): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.n);
}

/** The load `run` puts on one service: its result, and the CPU seconds and transactions spent meanwhile. */
export async function costOf<T>(db: Client, child: ChildProcess, run: () => Promise<T>): Promise<{ result: T; cpu: CpuUse; xacts: number }> {
  const xactsBefore = await transactions(db);
  const cpuBefore = await cpuUse(db, child);
  const result = await run();
  const cpuAfter = await cpuUse(db, child);
  const xacts = (await transactions(db)) - xactsBefore;
  const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - cpuBefore[k as keyof CpuUse]])) as unknown as CpuUse;
  return { result, cpu, xacts };
}

/** The process's peak resident set (VmHWM) in MB. */
export function peakRssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024);
  } catch {
    return NaN; // the process ended
  }
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Asks the service to stop gracefully; kills it when it has not after 30 s. */
  stop(): Promise<void>;
}

/**
 * Forks `script` (a service entry under bench/, run from source like the benchmark) with `env` on top of the
 * benchmark's environment; resolves once it listens and has reported its URL over IPC.
 */
export async function startServiceProcess(script: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = fork(path.join(ROOT, 'bench/run.js'), [script], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: BROKERS, LOG_LEVEL, PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // As deployed (scripts/start.sh, infra/docker/Dockerfile; docs/decisions/0018); BENCH_CPU_PROF=<dir>: a V8
    // CPU profile of the service, written when it stops.
    execArgv: [...SERVICE_NODE_FLAGS, ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']] : [])],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { url: string }).url.replace('[::1]', '127.0.0.1')));
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it listened`)));
    });
    return { child, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until GET /health/ready answers 200 (Kafka consumers joined, connections up). */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    await pause(200);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`);
}

/**
 * The body of a service's benchmark entry (a child process): the real app from source, configured by the
 * environment, on 127.0.0.1 on a free port reported to the parent over IPC; 'stop' over IPC closes it gracefully.
 */
export function serveForBenchmark(create: () => Promise<INestApplication>): void {
  const main = async (): Promise<void> => {
    const app = await create();
    await app.listen(0, '127.0.0.1');
    process.send?.({ url: await app.getUrl() });
    process.on('message', (message) => {
      if (message === 'stop') void app.close().then(() => process.exit(0));
    });
  };
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
