// The customers service under registration load, shared by bench:customers and bench:sales: the service as a
// child process, unique registrations, and the throughput measurement (autocannon, N connections, T seconds).
import autocannon, { type Result } from 'autocannon';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { costOf, startServiceProcess, type CpuUse, type ServiceProcess } from './bench-kit';

/** Registrations nobody made before (unique email and phone, so the duplicate check passes), counted. */
export class Registrations {
  /** Bodies made so far (sent or about to be). */
  made = 0;

  constructor(private readonly run: string) {}

  body(customerId?: string): string {
    this.made += 1;
    const n = String(this.made).padStart(7, '0');
    return JSON.stringify({
      ...(customerId ? { customerId } : {}),
      name: { given: 'Ada', family: `Lovelace ${n}` },
      emails: [{ address: `ada.${this.run}.${n}@bench.example`, primary: true }],
      phones: [{ number: `+49 30 2${n}` }],
      address: { lines: ['12 St James Square'], city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
      company: 'Analytical Engines Ltd',
      tags: ['vip', 'bench'],
      acquisitionSource: 'benchmark',
    });
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The customers service (command side, projections, relay, lead-conversion consumer) on `dbUrl`. */
export function startCustomers(dbUrl: string, topicPrefix: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess('bench/customers/customers-service.ts', {
    DATABASE_URL: dbUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'),
    DEFAULT_PHONE_REGION: 'DE',
    ...env,
  });
}

/** `amount` registrations over 10 connections: JIT, pools and caches warm before anything is measured. */
export async function warmUpCustomers(url: string, registrations: Registrations, amount = 500): Promise<Result> {
  return autocannon({ url, connections: 10, amount, requests: [{ method: 'POST', path: '/customers', headers: JSON_HEADERS, setupRequest: (r) => ({ ...r, body: registrations.body() }) }] });
}

export interface RegisterThroughput {
  load: Result;
  /** CPU seconds during the load: the service process, its PostgreSQL backends, Kafka, the load generator, the machine. */
  cpu: CpuUse;
  /** PostgreSQL transactions in the service's database during the load (all of its work). */
  xacts: number;
}

/**
 * Registration throughput: autocannon, `connections` connections, POST /customers with unique bodies for
 * `seconds`; `db` is a connection to the service's database (for its transactions and backends' CPU).
 */
export async function measureRegisterThroughput(
  service: ServiceProcess,
  db: Client,
  registrations: Registrations,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<RegisterThroughput> {
  const { result: load, cpu, xacts } = await costOf(db, service.child, () =>
    autocannon({
      url: service.url,
      connections,
      duration: seconds,
      requests: [{ method: 'POST', path: '/customers', headers: JSON_HEADERS, setupRequest: (request) => ({ ...request, body: registrations.body() }) }],
    }),
  );
  return { load, cpu, xacts };
}
