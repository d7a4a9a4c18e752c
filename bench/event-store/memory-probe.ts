// Child process of event-store.bench.ts: reads every event of the store once, by readAll or by a
// subscribeToAll from the start until caught up, and reports its peak RSS (sampled every 10 ms, and
// the kernel's high-water mark VmHWM) as one JSON line on stdout. Run apart so that RSS is its own.
// Usage: node bench/run.js bench/event-store/memory-probe.ts readAll|subscribe  (env BENCH_DB_URL, BENCH_SCHEMA)
import { PostgresEventStore } from '@crm/event-store';
import { readFileSync } from 'node:fs';

const mode = process.argv[3]; // node bench/run.js <this file> <mode>
if (mode !== 'readAll' && mode !== 'subscribe') throw new Error('usage: memory-probe.ts readAll|subscribe');
const url = process.env['BENCH_DB_URL'];
if (!url) throw new Error('BENCH_DB_URL is not set');
const schema = process.env['BENCH_SCHEMA'] ?? 'event_store';
const MB = 1024 * 1024;

function vmHwmBytes(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) * 1024 : Number.NaN;
}

async function main(): Promise<void> {
  // Nothing else is loaded here: pg's default type parsers, as in a service.
  const store = await PostgresEventStore.create({ connectionString: url, schema, poolConfig: { max: 2 } });
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  let events = 0;
  let bytes = 0;
  const started = performance.now();
  if (mode === 'readAll') {
    for await (const event of store.readAll()) {
      events += 1;
      if (events % 1000 === 0) bytes += JSON.stringify(event.data).length; // touch the payloads a little
    }
  } else {
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        onEvent(event) {
          events += 1;
          if (events % 1000 === 0) bytes += JSON.stringify(event.data).length;
        },
        onCaughtUp() {
          void subscription.unsubscribe().then(resolve, reject);
        },
        onError: reject,
      });
    });
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await store.close();
  const result = { mode, events, seconds, eventsPerSecond: events / seconds, baselineRssMb: baseline / MB, peakRssMb: peak / MB, vmHwmMb: vmHwmBytes() / MB, sampledBytes: bytes };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
