// @crm/messaging: Kafka behind our own types — the relay from the event store, consumers with
// deduplication and dead letters, and a Nest transport strategy over the consumer.
export * from './bus/types';
export { KafkaPublisher, type KafkaPublisherOptions } from './bus/publisher';
export { ensureTopics, deleteTopics, deadLetterTopicOf } from './bus/topics';
export { traceparentFor, parseTraceparent } from './cloudevents/traceparent';
export type { MessagingLogger } from './internal/logger';
export { ensureMessagingSchema, pruneProcessedEvents, MESSAGING_SCHEMA } from './schema/messaging-schema';
export { EventConsumer, type ConsumerState, type ConsumerStatus, type EventConsumerOptions } from './consumer/event-consumer';
export type { EventHandler } from './consumer/apply';
export type { ConsumedEvent, EventValidator, ValidationOutcome } from './consumer/consumed-event';
export { NonRetriableError, PoisonMessageError } from './consumer/errors';
export { DlqHeader } from './dead-letters/dead-letter-headers';
export { replayDeadLetters, type ReplayDeadLettersOptions, type ReplayResult } from './dead-letters/replay';
export { EventRelay, type EventRelayOptions } from './relay/event-relay';
export { SupervisedRelay, WatchedPublisher, type RelayReadiness, type SupervisedRelayOptions } from './relay/supervised-relay';
export { contractMapper, ContractViolationError, topicSpecOf, type ContractMapperOptions, type TopicPlacement } from './relay/contract-publishing';
export { aggregateIdOf, toOutgoingMessage, type EventMapper, type IntegrationMessage } from './relay/envelope';
export { LeaseLostError, type LeaseSettings } from './relay/lease';
export { KafkaEventTransport, type KafkaEventTransportOptions } from './nest/kafka-event-transport';
export { KafkaEventContext } from './nest/kafka-event-context';
export { PreserveEventErrorsFilter } from './nest/preserve-event-errors.filter';
export { ServiceConsumer, type ServiceConsumerOptions } from './nest/service-consumer';
export { ServiceRelay, type ServiceRelayOptions } from './nest/service-relay';
