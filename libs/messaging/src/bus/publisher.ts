// The idempotent Kafka producer behind `Publisher`: acks from all in-sync replicas, one request in
// flight per broker (so a retried request cannot overtake a later one), and the Java-compatible
// murmur2 partitioner, so Java and Node producers put one key on the same partition.
import { CompressionTypes, Partitioners, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { silentLogger, type MessagingLogger } from '../internal/logger';
import { createKafka } from './kafka';
import type { BusConfig, OutgoingMessage, Publisher } from './types';

export interface KafkaPublisherOptions {
  /** Broker-side wait for acknowledgements, per request. */
  ackTimeoutMs?: number;
  compression?: 'none' | 'gzip';
  logger?: MessagingLogger;
}

export class KafkaPublisher implements Publisher {
  private readonly producer: Producer;
  private readonly ackTimeoutMs: number;
  private readonly compression: CompressionTypes;

  constructor(bus: BusConfig, options: KafkaPublisherOptions = {}) {
    const kafka = createKafka(bus, options.logger ?? silentLogger);
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, unlike kafkajs's default for idempotent producers (retry for ever): after this the
      // caller's session restarts from its checkpoint, which keeps at-least-once and lets stop() finish.
      retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: Math.max(1, bus.retries ?? 10) },
    });
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: m.value, headers: m.headers });
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
    await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.ackTimeoutMs, compression: this.compression });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
