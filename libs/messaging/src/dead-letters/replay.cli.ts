// Command line for replayDeadLetters:
//   npm run dlq:replay -- --dlq-topic crm.customers.v1.dlq --group analytics.dlq-replay [--type crm.customer.registered.v1]
//                         [--id <event id>] [--error-class SchemaViolationError] [--brokers 127.0.0.1:9092]
import { parseArgs } from 'node:util';
import { DlqHeader } from './dead-letter-headers';
import { replayDeadLetters } from './replay';
import { CeHeader } from '../cloudevents/headers';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'dlq-topic': { type: 'string' },
      group: { type: 'string' },
      brokers: { type: 'string', default: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092' },
      type: { type: 'string', multiple: true },
      id: { type: 'string', multiple: true },
      'error-class': { type: 'string', multiple: true },
      'timeout-ms': { type: 'string', default: '120000' },
    },
  });
  const dlqTopic = values['dlq-topic'];
  const groupId = values.group;
  if (!dlqTopic || !groupId) {
    console.error('usage: dlq:replay --dlq-topic <topic>.dlq --group <replay group> [--type T]... [--id ID]... [--error-class C]... [--brokers host:port,...]');
    process.exit(2);
  }
  const types = values.type ? new Set(values.type) : null;
  const ids = values.id ? new Set(values.id) : null;
  const classes = values['error-class'] ? new Set(values['error-class']) : null;
  const result = await replayDeadLetters({
    bus: { brokers: values.brokers.split(',').map((b) => b.trim()), clientId: 'crm-dlq-replay' },
    dlqTopic,
    groupId,
    timeoutMs: Number(values['timeout-ms']),
    filter: (letter) =>
      (!types || types.has(letter.headers[CeHeader.Type] ?? '')) &&
      (!ids || ids.has(letter.headers[CeHeader.Id] ?? '')) &&
      (!classes || classes.has(letter.headers[DlqHeader.ErrorClass] ?? '')),
  });
  console.log(JSON.stringify({ dlqTopic, groupId, ...result }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
