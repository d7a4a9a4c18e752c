// The only place that builds kafkajs clients. kafkajs's own log lines go to our logger.
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { silentLogger, type MessagingLogger } from '../internal/logger';
import type { BusConfig } from './types';

export function createKafka(config: BusConfig, logger: MessagingLogger = silentLogger): Kafka {
  const kafkaConfig: KafkaConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    connectionTimeout: config.connectionTimeoutMs ?? 3_000,
    requestTimeout: config.requestTimeoutMs ?? 30_000,
    // Reconnects are our business too (relay and consumer restart their sessions), so kafkajs gives up
    // within tens of seconds instead of retrying for ever.
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: config.retries ?? 8 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...fields } = entry.log;
      const line = { kafka: entry.namespace, ...fields };
      // Bounded producer retries are deliberate (see publisher.ts): at-least-once, never stuck in stop().
      if (message.startsWith('Limiting retries for the idempotent producer')) logger.debug(line, message);
      else if (entry.level === logLevel.ERROR) logger.error(line, message);
      else if (entry.level === logLevel.WARN) logger.warn(line, message);
      else logger.debug(line, message);
    },
  };
  if (config.sasl) kafkaConfig.sasl = { ...config.sasl } as KafkaConfig['sasl'];
  return new Kafka(kafkaConfig);
}
