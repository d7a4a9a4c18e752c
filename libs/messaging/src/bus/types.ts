// The message bus as the rest of the code base sees it. kafkajs stays behind these types, so it can be
// replaced (e.g. by @platformatic/kafka) without touching relays, consumers or services.

/** A message read from the bus. */
export interface BusMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are int64: kept as a decimal string. */
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** A message to publish. The key decides the partition: one key's messages stay in order. */
export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers: Record<string, string>;
}

/** Publishes batches; `publish` resolves once every message is acknowledged by all in-sync replicas. */
export interface Publisher {
  connect(): Promise<void>;
  publish(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface BusSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** How to reach the brokers. */
export interface BusConfig {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: BusSasl;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Retries of one request inside the Kafka client before it gives up (default 8 for clients, 10 for the
   * producer; back-off 200 ms → 5 s). After that our own loops take over: the relay restarts its session
   * from the checkpoint, the consumer restarts itself.
   */
  retries?: number;
}

/** A topic as the contracts define it; created when missing. */
export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  /** Kafka topic configs, e.g. `{ 'retention.ms': '604800000', 'cleanup.policy': 'delete' }`. */
  config?: Record<string, string>;
}
