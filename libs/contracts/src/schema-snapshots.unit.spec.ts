// Published schemas are frozen: each type's JSON Schema is kept in __snapshots__/schemas/<type>.json, and a
// change fails here unless it only adds optional fields (or edits descriptions). A breaking change is a new
// `.v<n+1>` type published beside the old one (docs/events.md, "Evolution").
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareSchemas } from './compatibility/schema-compatibility';
import { allContracts, jsonSchemaOf } from './registry';

const directory = join(__dirname, '__snapshots__', 'schemas');
const update = process.env['UPDATE_CONTRACT_SNAPSHOTS'] === '1';
const UPDATE_COMMAND = 'UPDATE_CONTRACT_SNAPSHOTS=1 npx jest libs/contracts --selectProjects unit';
const snapshotPath = (type: string) => join(directory, `${type}.json`);
const serialise = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;

function write(type: string, schema: unknown): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(snapshotPath(type), serialise(schema));
}

describe.each(allContracts.map((c) => [c.type]))('the published schema of %s', (type) => {
  it('changes only compatibly', () => {
    const current = jsonSchemaOf(type);
    if (!existsSync(snapshotPath(type))) {
      if (!update) throw new Error(`${type} is new and has no published snapshot. Publish it with:\n  ${UPDATE_COMMAND}`);
      write(type, current);
      return;
    }
    const stored = readFileSync(snapshotPath(type), 'utf8');
    if (stored === serialise(current)) return;

    const { breaking, compatible } = compareSchemas(JSON.parse(stored) as Record<string, unknown>, current);
    if (breaking.length > 0) {
      const next = type.replace(/\.v(\d+)$/, (_, v: string) => `.v${Number(v) + 1}`);
      throw new Error(
        `${type} changed incompatibly:\n` +
          breaking.map((c) => `  - ${c.path ? `field '${c.path}'` : 'the payload'}: ${c.message}`).join('\n') +
          `\nWithin a version only optional fields may be added. Keep ${type} as it is and publish ${next} beside it.`,
      );
    }
    if (update) {
      write(type, current);
    } else {
      console.warn(
        `${type} changed compatibly (${compatible.map((c) => `${c.path || 'payload'}: ${c.message}`).join('; ')}). ` +
          `Refresh its snapshot so later changes are compared with it:\n  ${UPDATE_COMMAND}`,
      );
    }
  });
});

it('given the stored snapshots, then every published type is still defined', () => {
  const published = existsSync(directory) ? readdirSync(directory).filter((f) => f.endsWith('.json')) : [];
  const defined = new Set(allContracts.map((c) => `${c.type}.json`));
  const removed = published.filter((file) => !defined.has(file)).map((file) => file.replace(/\.json$/, ''));
  // Retiring a type is a decision (subscribers must have moved to its successor): delete its snapshot with it.
  expect(removed).toEqual([]);
});
