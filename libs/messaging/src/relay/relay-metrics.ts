// Relay metrics: events published, whether this replica holds the lease, and how far behind it is.
import type { Registry } from 'prom-client';
import { counter, gauge } from '../internal/metrics';

export type RelayMetrics = ReturnType<typeof relayMetrics>;

export function relayMetrics(registry: Registry | undefined, relay: string) {
  const published = counter(registry, 'crm_messaging_relay_published_total',
    'Events the relay published to Kafka (acknowledged by the broker), by topic.', ['relay', 'topic']);
  const leaseHeld = gauge(registry, 'crm_messaging_relay_lease_held',
    '1 while this replica holds the relay lease (publishes), 0 while it stands by.', ['relay']);
  const lag = gauge(registry, 'crm_messaging_relay_lag_seconds',
    'Age of the oldest event in the last published batch when the broker acknowledged it; 0 when idle.', ['relay']);
  return {
    published: (topic: string, n: number) => published.inc({ relay, topic }, n),
    leaseHeld: (held: boolean) => leaseHeld.set({ relay }, held ? 1 : 0),
    lag: (seconds: number) => lag.set({ relay }, Math.max(0, seconds)),
  };
}
