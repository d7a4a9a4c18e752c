// The sales service under load for bench:sales: the service as a child process, request bodies, and the phases —
// the customer directory catching up, opportunities opened, stage moves, leads captured, conversions at a rate
// with the saga's link latency.
import autocannon, { type Result } from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { pause, percentile, startServiceProcess, type ServiceProcess } from '../customers/bench-kit';

const JSON_HEADERS = { 'content-type': 'application/json' };
const POLL_MS = 2;

export const STAGES = ['qualification', 'discovery', 'proposal', 'negotiation', 'contract'].map((id, i) => ({
  id,
  name: id[0]?.toUpperCase() + id.slice(1),
  winProbability: (i + 1) / 6,
}));

/** The sales service (commands, read side, relay, conversion saga, reminders) on `dbUrl`. */
export function startSales(dbUrl: string, topicPrefix: string): Promise<ServiceProcess> {
  return startServiceProcess('bench/sales/sales-service.ts', {
    DATABASE_URL: dbUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    SALES_MASTER_KEY: randomBytes(32).toString('base64'),
    DEFAULT_PHONE_REGION: 'DE',
  });
}

/** POSTs one JSON body; answers the parsed answer, or throws with the status and body. */
export async function postJson(url: string, path: string, body: unknown, expected: number): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status} (expected ${expected}): ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function definePipeline(url: string): Promise<string> {
  const answer = await postJson(url, '/pipelines', { name: 'Bench licences', stages: STAGES }, 201);
  return String(answer['pipelineId']);
}

/**
 * Waits until sales.known_customers holds every customer the customers service has registered (its streams):
 * the customers relay and sales' customers feed caught up. Answers how long that took and the counts.
 */
export async function directoryCaughtUp(salesDb: Client, customersDb: Client, timeoutMs: number): Promise<{ ms: number; known: number; registered: number }> {
  const started = performance.now();
  const count = async (db: Client, sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
  for (;;) {
    // Read again each time: requests still in flight when the load ended may register after it.
    const registered = await count(customersDb, `SELECT count(*) AS n FROM event_store.streams WHERE stream_id LIKE 'customer-%'`);
    const known = await count(salesDb, 'SELECT count(*) AS n FROM sales.known_customers');
    const ms = performance.now() - started;
    if (known >= registered) return { ms, known, registered };
    if (ms > timeoutMs) throw new Error(`sales.known_customers holds ${known} of ${registered} registered customers after ${Math.round(ms)} ms`);
    await pause(20);
  }
}

/** Opens one opportunity per customer (client-chosen ids) over 20 connections; answers the opened ids. */
export async function openOpportunities(url: string, pipelineId: string, customerIds: readonly string[]): Promise<{ ids: string[]; load: Result }> {
  const ids: string[] = [];
  let next = 0;
  const load = await autocannon({
    url,
    connections: 20,
    amount: customerIds.length,
    requests: [
      {
        method: 'POST',
        path: '/opportunities',
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          const customerId = customerIds[next++ % customerIds.length];
          const body = { opportunityId: randomUUID(), customerId, pipelineId, title: 'Fleet licence', amount: { amount: '48000.00', currency: 'EUR' } };
          return { ...request, body: JSON.stringify(body) };
        },
        onResponse: (status, body) => {
          if (status === 201) ids.push((JSON.parse(body) as { opportunityId: string }).opportunityId);
        },
      },
    ],
  });
  return { ids, load };
}

/**
 * Stage moves: request k moves opportunity k mod n one stage on (cyclically), so every request is a real move and
 * consecutive requests hit different opportunities; no If-Match, so moves never conflict with each other.
 */
export function stageMoves(url: string, opportunityIds: readonly string[], { connections, seconds }: { connections: number; seconds: number }): Promise<Result> {
  let k = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          const id = opportunityIds[k % opportunityIds.length];
          const stage = STAGES[(Math.floor(k / opportunityIds.length) + 1) % STAGES.length];
          k += 1;
          return { ...request, path: `/opportunities/${id}/stage`, body: JSON.stringify({ stageId: stage?.id }) };
        },
      },
    ],
  });
}

/** Captures `amount` leads with unique emails (no phone: the customers service's duplicate rules would match). */
export async function captureLeads(url: string, run: string, amount: number): Promise<{ ids: string[]; load: Result }> {
  const ids: string[] = [];
  let n = 0;
  const load = await autocannon({
    url,
    connections: 20,
    amount,
    requests: [
      {
        method: 'POST',
        path: '/leads',
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          n += 1;
          const contact = { name: { fullName: `Grace Hopper ${n}` }, email: `grace.${run}.${n}@bench.example`, company: 'Cobol Corp' };
          return { ...request, body: JSON.stringify({ leadId: randomUUID(), source: 'benchmark', contact }) };
        },
        onResponse: (status, body) => {
          if (status === 201) ids.push((JSON.parse(body) as { leadId: string }).leadId);
        },
      },
    ],
  });
  return { ids, load };
}

export interface SagaLatency {
  load: Result;
  /** Conversions answered 200 and then linked in time. Percentiles count the unlinked as Infinity. */
  n: number;
  p50: number;
  p99: number;
  max: number;
  /** Answered 200 but the opportunity was not linked within the timeout. */
  unlinked: number;
}

/**
 * Converts each lead (contact data → the customers service registers a customer) with a new opportunity at `rate`/s,
 * and measures from the convert answer (200) to the OpportunityCustomerLinked event committed in sales' event
 * store, found by polling it every few milliseconds for every pending opportunity at once (slightly pessimistic).
 */
export async function sagaLatency(url: string, salesDb: Client, pipelineId: string, leadIds: readonly string[], options: { rate: number; timeoutMs: number }): Promise<SagaLatency> {
  const pending = new Map<string, number>(); // stream → when the convert was answered
  const samples: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling || pending.size > 0) {
      let took = 0;
      if (pending.size > 0) {
        const asked = performance.now(); // the query's snapshot: the link was committed by then
        const { rows } = await salesDb.query<{ stream_id: string }>(
          `SELECT stream_id FROM event_store.events WHERE stream_id = ANY($1::text[]) AND event_type = 'OpportunityCustomerLinked'`,
          [[...pending.keys()]],
        );
        for (const { stream_id: stream } of rows) {
          samples.push(Math.max(0, asked - (pending.get(stream) ?? asked)));
          pending.delete(stream);
        }
        took = performance.now() - asked;
      }
      // When the saga falls behind, thousands are pending: polling at most a quarter of the time keeps the probe
      // from taking the CPU the services need.
      await pause(Math.max(POLL_MS, 3 * took));
    }
  })();
  poller.catch(() => undefined); // a failed query surfaces when the poller is awaited, not as an unhandled rejection
  let next = 0;
  const load = await autocannon({
    url,
    connections: 20, // enough that a slow answer does not hold the rate back
    overallRate: options.rate,
    amount: leadIds.length,
    requests: [
      {
        method: 'POST',
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          const leadId = leadIds[next++ % leadIds.length];
          const opportunity = { opportunityId: randomUUID(), pipelineId, title: 'Fleet licence', amount: { amount: '48000.00', currency: 'EUR' } };
          return { ...request, path: `/leads/${leadId}/convert`, body: JSON.stringify({ opportunity }) };
        },
        onResponse: (status, body) => {
          if (status === 200) pending.set(`opportunity-${(JSON.parse(body) as { opportunityId: string }).opportunityId}`, performance.now());
        },
      },
    ],
  });
  polling = false;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([poller, new Promise((resolve) => (timer = setTimeout(resolve, options.timeoutMs)))]);
  clearTimeout(timer);
  const unlinked = pending.size;
  pending.clear(); // stops the poller if the deadline came first
  await poller;
  // The unlinked count as never linked (Infinity), so that a saga that falls behind shows in its percentiles.
  const sorted = [...samples.sort((a, b) => a - b), ...new Array<number>(unlinked).fill(Infinity)];
  return { load, n: samples.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, unlinked };
}

/** p50 and p99 of each leg of the saga, in ms. */
export interface SagaLegs {
  n: number;
  /** LeadConverted appended in sales → CustomerRegistered{leadId} appended in customers (sales relay, Kafka, customers consumer). */
  toCustomer: { p50: number; p99: number };
  /** CustomerRegistered appended → OpportunityCustomerLinked appended in sales (customers relay, Kafka, sales' customers feed). */
  toLink: { p50: number; p99: number };
}

/**
 * Where the saga's time goes, from the append times (statement_timestamp, one PostgreSQL server's clock) of its three
 * events in both event stores, per converted lead.
 */
export async function sagaLegs(salesDb: Client, customersDb: Client): Promise<SagaLegs> {
  type Row = { lead: string; at: number };
  const times = async (db: Client, type: string) => {
    const { rows } = await db.query<Row>(
      `SELECT data->>'leadId' AS lead, extract(epoch FROM created) * 1000 AS at FROM event_store.events WHERE event_type = $1 AND data ? 'leadId'`,
      [type],
    );
    return new Map(rows.map((row) => [row.lead, Number(row.at)]));
  };
  const converted = await times(salesDb, 'LeadConverted');
  const registered = await times(customersDb, 'CustomerRegistered');
  const linked = await times(salesDb, 'OpportunityCustomerLinked');
  const toCustomer: number[] = [];
  const toLink: number[] = [];
  for (const [lead, at] of linked) {
    const start = converted.get(lead);
    const middle = registered.get(lead);
    if (start === undefined || middle === undefined) continue;
    toCustomer.push(middle - start);
    toLink.push(at - middle);
  }
  const summary = (samples: number[]) => {
    const sorted = samples.sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return { n: toLink.length, toCustomer: summary(toCustomer), toLink: summary(toLink) };
}
