// Publishing a service's integration events as its contracts define them: the topic as the contract states it
// (with the environment's prefix and replication), and a mapper that publishes only contract types of that topic,
// each payload validated first: a mapping bug stops the relay (it retries from its checkpoint, loudly) instead of
// publishing a message subscribers would reject.
import { contractOf, isKnownType, topicConfigEntries, validate, type TopicDefinition } from '@crm/contracts';
import type { RecordedEvent } from '@crm/event-store';
import type { TopicSpec } from '../bus/types';
import type { EventMapper } from './envelope';

/** An event the relay was about to publish breaks its contract, or belongs on another topic. */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
}

export interface TopicPlacement {
  /** Put before the contract's name, e.g. a test run's or an environment's prefix. Default none. */
  prefix?: string;
  /** The cluster's replication factor; `min.insync.replicas` is capped by it. */
  replicationFactor: number;
}

/** The topic to create for a contract's topic definition. */
export function topicSpecOf(topic: TopicDefinition, { prefix = '', replicationFactor }: TopicPlacement): TopicSpec {
  const entries = topicConfigEntries(topic).map(({ name, value }) =>
    // min.insync.replicas above the replication factor would refuse every acks=all write.
    name === 'min.insync.replicas' ? [name, String(Math.min(Number(value), replicationFactor))] : [name, value],
  );
  return { name: `${prefix}${topic.name}`, partitions: topic.partitions, replicationFactor, config: Object.fromEntries(entries) };
}

export interface ContractMapperOptions {
  /** The contracts' topic: only event types of its contracts are published. */
  topic: TopicDefinition;
  /** The topic name published to: the contract's, prefixed (`topicSpecOf(...).name`). */
  publishTo: string;
  /** The message key. Default: the stream id after its category (`lead-<uuid>` → `<uuid>`). */
  keyOf?: (event: RecordedEvent) => string;
}

/**
 * Events whose type is a contract type are published after validation; other events (the store's internal ones,
 * which the feed passes through) are not. An event of another topic's contract is a bug and stops the relay.
 */
export function contractMapper({ topic, publishTo, keyOf }: ContractMapperOptions): EventMapper {
  return (event) => {
    if (!isKnownType(event.type)) return null;
    const where = `${event.type} from ${event.streamId}@${event.revision}`;
    if (contractOf(event.type).topic.name !== topic.name) throw new ContractViolationError(`${where} belongs on ${contractOf(event.type).topic.name}, not ${topic.name}`);
    const result = validate(event.type, event.data);
    if (!result.ok) throw new ContractViolationError(`${where} breaks its contract: ${JSON.stringify(result.errors)}`);
    return { topic: publishTo, type: event.type, payload: event.data, ...(keyOf === undefined ? {} : { key: keyOf(event) }) };
  };
}
