// docs/asyncapi.yaml and the reference in docs/events.md are generated from the contracts: they must be valid
// AsyncAPI and equal to a fresh render. On a failure here, run `npm run contracts:generate` and commit the result.
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { allContracts, topics } from '../registry';
import { asyncApiDocument } from './asyncapi-document';
import { eventCatalogueMarkdown } from './event-catalogue';

const docs = join(__dirname, '..', '..', '..', '..', 'docs');
const REGENERATE = 'run `npm run contracts:generate`';

describe('docs/asyncapi.yaml', () => {
  const committed = readFileSync(join(docs, 'asyncapi.yaml'), 'utf8');

  it('is a valid AsyncAPI 3.0 document', async () => {
    const diagnostics = await new Parser().validate(committed);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  });

  it(`equals a fresh render of the contracts (else ${REGENERATE})`, () => {
    expect(YAML.parse(committed)).toEqual(asyncApiDocument());
  });

  it('describes every topic as a channel with Kafka bindings and every type as a message keyed by its aggregate id', async () => {
    const { document } = await new Parser().parse(committed);
    expect(document).toBeDefined();
    const channels = document!.channels();
    expect(channels.all().map((c) => c.address())).toEqual(topics.map((t) => t.name));
    for (const topic of topics) {
      const kafka = channels.get(topic.name)!.bindings().get('kafka')!.value();
      expect(kafka).toMatchObject({
        partitions: topic.partitions,
        topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': topic.retentionMs },
      });
    }
    const messages = document!.allMessages();
    expect(messages.all().map((m) => m.name()).sort()).toEqual(allContracts.map((c) => c.type).sort());
    for (const m of messages.all()) {
      expect(m.bindings().get('kafka')?.value()).toMatchObject({ key: { type: 'string', format: 'uuid' } });
      expect(m.headers()?.json()).toBeDefined();
    }
    expect(document!.operations().all().every((o) => o.action() === 'send')).toBe(true);
  });
});

describe('docs/events.md', () => {
  it(`contains the generated topic and event reference (else ${REGENERATE})`, () => {
    expect(readFileSync(join(docs, 'events.md'), 'utf8')).toContain(eventCatalogueMarkdown());
  });
});
