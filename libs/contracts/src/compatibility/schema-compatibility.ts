// Is a new JSON Schema of a published event type still the same contract? Within a version, producers and
// consumers upgrade independently, so a change must keep both directions working: a message valid under the
// old schema must stay valid under the new one (old messages, old producers), and a message valid under the
// new one must pass an old consumer's validation, which tolerates unknown fields and nothing else.
// The one change that passes is adding an optional field; annotations (descriptions, examples) may change.

type Schema = Record<string, unknown>;

export interface SchemaChange {
  /** Dotted path of the field, `items[]` for array items, `field.anyOf[1]` for union branches; `` at the root. */
  path: string;
  message: string;
}

export interface CompatibilityReport {
  /** Changes that break the contract: publish a new `.v<n+1>` type instead. */
  breaking: SchemaChange[];
  /** Compatible changes (added optional fields, annotations): refresh the snapshot. */
  compatible: SchemaChange[];
}

const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment', 'deprecated', 'readOnly', 'writeOnly']);
const STRUCTURE = new Set(['type', 'properties', 'required', 'enum', 'items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']);

export function compareSchemas(previous: Schema, next: Schema): CompatibilityReport {
  const report: CompatibilityReport = { breaking: [], compatible: [] };
  compareNode(previous, next, '', report);
  return report;
}

function compareNode(previous: Schema, next: Schema, path: string, report: CompatibilityReport): void {
  const breaking = (message: string, at = path) => report.breaking.push({ path: at, message });

  const [oldTypes, newTypes] = [typesOf(previous), typesOf(next)];
  if (oldTypes !== newTypes) breaking(`type changed from ${oldTypes || 'any'} to ${newTypes || 'any'}`);

  compareEnum(previous['enum'], next['enum'], breaking);
  compareProperties(previous, next, path, report);
  if (isSchema(previous['items']) && isSchema(next['items'])) {
    compareNode(previous['items'], next['items'], `${path}[]`, report);
  } else if (!equal(previous['items'], next['items'])) {
    breaking('array items changed');
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const [before, after] = [asSchemas(previous[keyword]), asSchemas(next[keyword])];
    if (before.length !== after.length) {
      breaking(`${keyword} changed from ${before.length} to ${after.length} alternatives`);
      continue;
    }
    after.forEach((branch, i) => compareNode(before[i] ?? {}, branch, `${path}.${keyword}[${i}]`.replace(/^\./, ''), report));
  }
  if (isOpen(previous['additionalProperties']) !== isOpen(next['additionalProperties'])) {
    breaking('additionalProperties changed');
  }

  for (const keyword of new Set([...Object.keys(previous), ...Object.keys(next)])) {
    if (STRUCTURE.has(keyword) || equal(previous[keyword], next[keyword])) continue;
    if (ANNOTATIONS.has(keyword)) report.compatible.push({ path, message: `${keyword} changed` });
    else breaking(`constraint ${keyword} changed from ${show(previous[keyword])} to ${show(next[keyword])}`);
  }
}

function compareProperties(previous: Schema, next: Schema, path: string, report: CompatibilityReport): void {
  const [oldProps, newProps] = [propertiesOf(previous), propertiesOf(next)];
  const [oldRequired, newRequired] = [requiredOf(previous), requiredOf(next)];
  const at = (name: string) => (path ? `${path}.${name}` : name);

  for (const [name, oldProp] of Object.entries(oldProps)) {
    const newProp = newProps[name];
    if (!newProp) {
      report.breaking.push({ path: at(name), message: 'field removed' });
      continue;
    }
    if (oldRequired.has(name) && !newRequired.has(name)) {
      report.breaking.push({ path: at(name), message: 'required field made optional' });
    } else if (!oldRequired.has(name) && newRequired.has(name)) {
      report.breaking.push({ path: at(name), message: 'optional field made required' });
    }
    compareNode(oldProp, newProp, at(name), report);
  }
  for (const name of Object.keys(newProps)) {
    if (oldProps[name]) continue;
    if (newRequired.has(name)) report.breaking.push({ path: at(name), message: 'required field added' });
    else report.compatible.push({ path: at(name), message: 'optional field added' });
  }
  for (const name of newRequired) {
    if (!newProps[name] && !oldRequired.has(name)) report.breaking.push({ path: at(name), message: 'required field added' });
  }
}

function compareEnum(before: unknown, after: unknown, breaking: (message: string) => void): void {
  if (before === undefined && after === undefined) return;
  if (!Array.isArray(before) || !Array.isArray(after)) {
    breaking(before === undefined ? 'enum added' : 'enum removed');
    return;
  }
  const removed = before.filter((v) => !after.some((w) => equal(v, w)));
  const added = after.filter((v) => !before.some((w) => equal(v, w)));
  if (removed.length > 0) breaking(`enum narrowed: ${removed.map(show).join(', ')} removed`);
  // A new value fails an old consumer's validation just as a removed one fails old messages.
  if (added.length > 0) breaking(`enum widened: ${added.map(show).join(', ')} added`);
}

function typesOf(schema: Schema): string {
  const type = schema['type'];
  return (Array.isArray(type) ? [...type] : type === undefined ? [] : [type]).map(String).sort().join('|');
}

function propertiesOf(schema: Schema): Record<string, Schema> {
  const properties = schema['properties'];
  return isSchema(properties) ? (properties as Record<string, Schema>) : {};
}

function requiredOf(schema: Schema): Set<string> {
  const required = schema['required'];
  return new Set(Array.isArray(required) ? required.map(String) : []);
}

function asSchemas(value: unknown): Schema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `additionalProperties` absent or `true` is the same open object; anything else must stay as it was. */
function isOpen(value: unknown): string {
  return value === undefined || value === true ? 'open' : JSON.stringify(value);
}

function equal(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isSchema(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
