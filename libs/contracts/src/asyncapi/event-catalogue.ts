// The topic and event reference of docs/events.md, rendered from the contracts so that it cannot drift.
import type { EventContract } from '../common/define-event';
import { DAY_MS, type TopicDefinition } from '../common/topic';
import { contractsOn, topics } from '../registry';

type Schema = Record<string, unknown>;
interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

export function eventCatalogueMarkdown(): string {
  const lines = [
    '## Topics',
    '',
    '| topic | published by | key | partitions | replicas (min in sync) | cleanup.policy | retention |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...topics.map(
      (t) =>
        `| \`${t.name}\` | ${t.service} (\`ce_source\` \`${t.source}\`) | ${t.key} | ${t.partitions} | ` +
        `${t.replicationFactor} (${t.minInSyncReplicas}) | ${t.cleanupPolicy} | ${retention(t)} |`,
    ),
    '',
    '## Events',
    ...topics.flatMap((t) => [
      '',
      `### On \`${t.name}\``,
      '',
      t.description,
      ...contractsOn(t.name).flatMap((c) => ['', ...eventSection(c)]),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

function retention(topic: TopicDefinition): string {
  return topic.retentionMs % DAY_MS === 0 ? `${topic.retentionMs / DAY_MS} days` : `${topic.retentionMs} ms`;
}

function eventSection(contract: EventContract): string[] {
  const personal = contract.personalData.length > 0 ? contract.personalData.map((p) => `\`${p}\``).join(', ') : 'none';
  return [
    `#### \`${contract.type}\``,
    '',
    contract.description,
    '',
    `Key: \`${contract.keyField}\` (the ${contract.aggregate} id). Personal data: ${personal}.`,
    '',
    '| field | type | required | description |',
    '| --- | --- | --- | --- |',
    ...rows(contract.schema as unknown as Schema, '').map(
      (r) => `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.description)} |`,
    ),
  ];
}

function rows(schema: Schema, prefix: string): Row[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const own: Row = { path, type: typeName(property), required: required.has(name), description: String(property['description'] ?? '') };
    return [own, ...nested(property, path)];
  });
}

function nested(schema: Schema, path: string): Row[] {
  if (schema['properties']) return rows(schema, `${path}.`);
  const items = schema['items'] as Schema | undefined;
  if (items?.['properties']) return rows(items, `${path}[].`);
  const branches = schema['anyOf'] as Schema[] | undefined;
  return (branches ?? []).flatMap((branch) => {
    const kind = (branch['properties'] as Record<string, Schema> | undefined)?.['kind']?.['const'];
    return rows(branch, `${path}[kind=${String(kind)}].`).filter((r) => !r.path.endsWith('.kind'));
  });
}

function typeName(schema: Schema): string {
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => JSON.stringify(v)).join(' | ');
  if (schema['anyOf']) {
    const kinds = (schema['anyOf'] as Schema[]).map((b) => (b['properties'] as Record<string, Schema>)['kind']?.['const']);
    return `one of, by \`kind\`: ${kinds.map((k) => JSON.stringify(k)).join(' | ')}`;
  }
  const type = String(schema['type']);
  if (type === 'string') {
    if (schema['format']) return String(schema['format']);
    return schema['maxLength'] !== undefined ? `string ≤ ${String(schema['maxLength'])}` : 'string';
  }
  if (type === 'array') {
    const max = schema['maxItems'] !== undefined ? ` (≤ ${String(schema['maxItems'])})` : '';
    return `array of ${typeName(schema['items'] as Schema)}${max}`;
  }
  if (type === 'integer' || type === 'number') {
    const [min, max] = [schema['minimum'], schema['maximum']];
    if (min !== undefined && max !== undefined) return `${type} ${String(min)}–${String(max)}`;
    return min !== undefined ? `${type} ≥ ${String(min)}` : type;
  }
  return type;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
