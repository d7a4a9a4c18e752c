// Which parts of an event are personal data, and whose: per event type, the paths of its personal values, each
// naming its data subject. A service declares this beside its events (its domain), and the codec encrypts exactly
// these values with the subject's key; after erasure readers get the event without them.
import type { JsonData } from '../decider';

/**
 * `path` is property names joined by dots; `*` stands for every element of an array (or property of an object).
 * It always ends with a property name. `subject` names the data subject: by default the property of the event's
 * data that holds the subject's id (e.g. `customerId`, or `mergedId` for another person's values).
 */
export type PersonalPath<S extends string = string> = { readonly path: string; readonly subject: S };

/** Per event type, the personal paths of its data; an empty list for a type without personal data. */
export type PersonalFieldMap<S extends string = string> = { readonly [eventType: string]: readonly PersonalPath<S>[] };

/** The id of a path's data subject, from the event's data. */
export type SubjectOf<S extends string = string> = (data: Readonly<Record<string, unknown>>, subject: S) => unknown;

export type PersonalValueTransform = (value: JsonData, subjectId: string, path: string) => JsonData | undefined;

/** The default SubjectOf: the data's property named by the subject. */
export const subjectProperty: SubjectOf = (data, subject) => data[subject];

/**
 * The event's data with every personal value at `paths` (not null, not absent) replaced by `transform`'s result,
 * or removed where it returns undefined: encrypt on write, decrypt on read, drop after erasure. The given data is
 * not changed.
 */
export function mapPersonalValues<S extends string>(
  event: { readonly type: string; readonly data: unknown },
  paths: readonly PersonalPath<S>[],
  transform: PersonalValueTransform,
  subjectOf: SubjectOf<S> = subjectProperty,
): unknown {
  const original = (event.data ?? {}) as Record<string, unknown>;
  let data: unknown = event.data;
  for (const { path, subject } of paths) {
    const subjectId = subjectOf(original, subject);
    if (typeof subjectId !== 'string') throw new Error(`${event.type} has no ${subject} to encrypt ${path} with`);
    data = mapAt(data, path.split('.'), (value) => transform(value, subjectId, path));
  }
  return data;
}

/** The event as it reads after its subjects' erasure: its personal values left out. Unknown types stay as they are. */
export function withoutPersonalValues<E extends { readonly type: string; readonly data: unknown }, S extends string>(
  event: E,
  fields: PersonalFieldMap<S>,
  subjectOf: SubjectOf<S> = subjectProperty,
): E {
  const paths = fields[event.type] ?? [];
  return paths.length === 0 ? event : { ...event, data: mapPersonalValues(event, paths, () => undefined, subjectOf) };
}

// Copies only the objects on the path: the same object may appear at two paths (a merge's value before and
// after share entries), and each occurrence must be transformed exactly once.
function mapAt(node: unknown, segments: readonly string[], replace: (value: JsonData) => JsonData | undefined): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as Record<string, unknown>;
  const [head = '', ...rest] = segments;
  for (const key of head === '*' ? Object.keys(copy) : [head]) {
    if (!Object.hasOwn(copy, key)) continue;
    const child = copy[key];
    if (rest.length > 0) copy[key] = mapAt(child, rest, replace);
    else if (child !== undefined && child !== null) {
      const next = replace(child as JsonData);
      if (next === undefined) delete copy[key];
      else copy[key] = next;
    }
  }
  return copy;
}
