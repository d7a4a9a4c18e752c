// A Kafka topic as the contract states it: name, partitions, replication, retention and what the key is.
export interface TopicDefinition {
  /** The topic name, versioned as a whole: a new topic only if the key or partitioning changes. */
  readonly name: string;
  /** The service that publishes to it, the only writer. */
  readonly service: string;
  /** The CloudEvents `source` of every event on this topic. */
  readonly source: string;
  readonly description: string;
  /** Fixed for the topic's life: adding partitions moves keys and breaks per-aggregate order. */
  readonly partitions: number;
  /** In production; a single local broker caps it at 1. */
  readonly replicationFactor: number;
  readonly minInSyncReplicas: number;
  /** `delete`: an event stream, never compacted (compaction would keep only an aggregate's last event). */
  readonly cleanupPolicy: 'delete';
  readonly retentionMs: number;
  /** What the message key is, in words; each event type names the payload field it comes from. */
  readonly key: string;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function defineTopic(topic: TopicDefinition): TopicDefinition {
  return Object.freeze({ ...topic });
}

/** The topic-level configuration to create the topic with (kafkajs `configEntries`, `kafka-topics --config`). */
export function topicConfigEntries(topic: TopicDefinition): { name: string; value: string }[] {
  return [
    { name: 'cleanup.policy', value: topic.cleanupPolicy },
    { name: 'retention.ms', value: String(topic.retentionMs) },
    { name: 'min.insync.replicas', value: String(topic.minInSyncReplicas) },
  ];
}
