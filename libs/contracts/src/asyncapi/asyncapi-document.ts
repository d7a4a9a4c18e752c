// The AsyncAPI 3.0 description of every topic and event type, built from the contracts themselves.
// tools/contracts/generate-asyncapi.ts writes it to docs/asyncapi.yaml; a test keeps the two equal.
import { CLOUDEVENTS_SPEC_VERSION, CONTENT_TYPE_JSON, EnvelopeHeader, EnvelopeHeaders } from '../common/envelope';
import type { EventContract } from '../common/define-event';
import type { TopicDefinition } from '../common/topic';
import { contractsOn, topics } from '../registry';

type Json = Record<string, unknown>;

const KAFKA_BINDING_VERSION = '0.5.0';
const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json;
const ref = (pointer: string) => ({ $ref: pointer });
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function asyncApiDocument(): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const schemas: Json = { EnvelopeHeaders: plain(EnvelopeHeaders) };

  for (const topic of topics) {
    const published = contractsOn(topic.name);
    channels[topic.name] = channel(topic, published);
    operations[`send${capitalise(topic.service)}Events`] = {
      action: 'send',
      channel: ref(`#/channels/${topic.name}`),
      title: `${capitalise(topic.service)} publishes its events`,
      summary: `The ${topic.service} service's relay publishes each event once its append is committed, at least once, in order per key.`,
      messages: published.map((c) => ref(`#/channels/${topic.name}/messages/${c.type}`)),
    };
    for (const contract of published) {
      messages[contract.type] = message(contract);
      schemas[contract.type] = plain(contract.schema);
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CRM integration events',
      version: '1.0.0',
      description:
        'The events the CRM services publish on Kafka for other services. Every message is keyed by its ' +
        'aggregate id and carries CloudEvents 1.0 binary-mode headers; the value is the JSON payload. ' +
        'Evolution, ordering and the erasure duty are described in docs/events.md. ' +
        'Generated from @crm/contracts (npm run contracts:generate): do not edit by hand.',
      license: { name: 'Apache-2.0' },
    },
    defaultContentType: CONTENT_TYPE_JSON,
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'The single local broker started by infra/local.' },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}

function channel(topic: TopicDefinition, published: readonly EventContract[]): Json {
  return {
    address: topic.name,
    title: topic.name,
    description: `${topic.description} Key: ${topic.key}.`,
    messages: Object.fromEntries(published.map((c) => [c.type, ref(`#/components/messages/${c.type}`)])),
    bindings: {
      kafka: {
        topic: topic.name,
        partitions: topic.partitions,
        replicas: topic.replicationFactor,
        topicConfiguration: {
          'cleanup.policy': [topic.cleanupPolicy],
          'retention.ms': topic.retentionMs,
          'min.insync.replicas': topic.minInSyncReplicas,
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function message(contract: EventContract): Json {
  return {
    name: contract.type,
    title: `${contract.name} v${contract.version}`,
    summary: contract.description,
    contentType: CONTENT_TYPE_JSON,
    headers: {
      allOf: [
        ref('#/components/schemas/EnvelopeHeaders'),
        {
          type: 'object',
          properties: {
            [EnvelopeHeader.Type]: { const: contract.type },
            [EnvelopeHeader.Source]: { const: contract.topic.source },
          },
        },
      ],
    },
    payload: ref(`#/components/schemas/${contract.type}`),
    correlationId: { description: 'The conversation the event belongs to.', location: `$message.header#/${EnvelopeHeader.CorrelationId}` },
    bindings: {
      kafka: {
        key: { type: 'string', format: 'uuid', description: `The ${contract.aggregate} id (payload.${contract.keyField}).` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    ...(contract.personalData.length > 0 ? { 'x-personal-data': [...contract.personalData] } : {}),
    examples: [{ name: 'example', headers: exampleHeaders(contract), payload: contract.example }],
  };
}

function exampleHeaders(contract: EventContract): Json {
  return {
    [EnvelopeHeader.SpecVersion]: CLOUDEVENTS_SPEC_VERSION,
    [EnvelopeHeader.Id]: '7d1c6f0e-3b7a-4c2e-9f51-2a8d4b6e0c13',
    [EnvelopeHeader.Source]: contract.topic.source,
    [EnvelopeHeader.Type]: contract.type,
    [EnvelopeHeader.Time]: '2024-05-01T12:00:00.000Z',
    [EnvelopeHeader.Subject]: contract.keyOf(contract.example),
    [EnvelopeHeader.ContentType]: CONTENT_TYPE_JSON,
    [EnvelopeHeader.TraceParent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    [EnvelopeHeader.CorrelationId]: '1f0e9d8c-7b6a-4594-8372-6150f4e3d2c1',
    [EnvelopeHeader.CausationId]: '1f0e9d8c-7b6a-4594-8372-6150f4e3d2c1',
    [EnvelopeHeader.StreamRevision]: '0',
  };
}
