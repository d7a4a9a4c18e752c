// Consumer metrics: outcomes per message, retries, dead letters, and lag per partition.
import type { Registry } from 'prom-client';
import { counter, gauge } from '../internal/metrics';

export type ConsumerMetrics = ReturnType<typeof consumerMetrics>;

export function consumerMetrics(registry: Registry | undefined, groupId: string) {
  const handled = counter(registry, 'crm_messaging_consumer_handled_total',
    'Messages a consumer group finished with, by result: applied, duplicate (already applied), ignored (type not handled).',
    ['group', 'topic', 'result']);
  const retried = counter(registry, 'crm_messaging_consumer_retries_total',
    'Retries of messages whose handler failed with a transient error.', ['group', 'topic']);
  const deadLettered = counter(registry, 'crm_messaging_consumer_dead_lettered_total',
    'Messages sent to the dead-letter topic, by error class.', ['group', 'topic', 'error_class']);
  const lag = gauge(registry, 'crm_messaging_consumer_lag',
    'Messages behind the partition end: high watermark minus the committed offset.', ['group', 'topic', 'partition']);
  return {
    handled: (topic: string, result: 'applied' | 'duplicate' | 'ignored', n = 1) =>
      handled.inc({ group: groupId, topic, result }, n),
    retried: (topic: string) => retried.inc({ group: groupId, topic }),
    deadLettered: (topic: string, errorClass: string) => deadLettered.inc({ group: groupId, topic, error_class: errorClass }),
    lag: (topic: string, partition: number, value: number) =>
      lag.set({ group: groupId, topic, partition: String(partition) }, Math.max(0, value)),
  };
}
