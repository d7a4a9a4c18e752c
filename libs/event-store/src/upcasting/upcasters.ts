// Upcasters raise the data of old events to the current shape on read, so deciders and projections
// only ever see the current shape. Stored events are never rewritten.
import type { JsonData } from '../decider';
import type { JsonObject } from '../types';
import { schemaVersionOf } from '../metadata';

export interface Upcaster {
  /** The version this step reads; it returns the data of `fromVersion + 1`. */
  readonly fromVersion: number;
  /** Pure. Typed as `(data: never)` so that `(data: CustomerRegisteredV1) => CustomerRegisteredV2` fits. */
  readonly upcast: (data: never, metadata: JsonObject) => JsonData;
}

/** Per event type, the steps from version 1 upwards; the current version is the number of steps + 1. */
export type UpcasterRegistry = { readonly [eventType: string]: readonly Upcaster[] };

export class UpcastingError extends Error {
  override readonly name = 'UpcastingError';
  constructor(
    readonly eventType: string,
    message: string,
  ) {
    super(`${eventType}: ${message}`);
  }
}

function stepsOf(registry: UpcasterRegistry | undefined, eventType: string): readonly Upcaster[] {
  return (registry !== undefined && Object.hasOwn(registry, eventType) ? registry[eventType] : undefined) ?? [];
}

/** Checks, once at start-up, that every type's steps are 1, 2, … n in order. */
export function defineUpcasters<R extends UpcasterRegistry>(registry: R): R {
  for (const [eventType, steps] of Object.entries(registry)) {
    steps.forEach((step, index) => {
      if (step.fromVersion !== index + 1) {
        throw new UpcastingError(eventType, `step ${index} must have fromVersion ${index + 1}, has ${step.fromVersion}`);
      }
    });
  }
  return registry;
}

/** The schema version new events of this type are written with. */
export function currentSchemaVersion(registry: UpcasterRegistry | undefined, eventType: string): number {
  return stepsOf(registry, eventType).length + 1;
}

/**
 * The event's data in the current shape. Throws UpcastingError for an event written by a newer version
 * of the code (its shape is unknown here: failing beats folding it wrongly) or a gap in the steps.
 */
export function upcast(
  registry: UpcasterRegistry | undefined,
  event: { type: string; data: unknown; metadata?: JsonObject },
): { data: unknown; schemaVersion: number } {
  const steps = stepsOf(registry, event.type);
  const current = steps.length + 1;
  const metadata = event.metadata ?? {};
  let version = schemaVersionOf(metadata);
  if (version > current) {
    throw new UpcastingError(event.type, `schema version ${version} is newer than this code knows (${current})`);
  }
  let data = event.data;
  while (version < current) {
    const step = steps.find((s) => s.fromVersion === version);
    if (step === undefined) throw new UpcastingError(event.type, `no upcaster from version ${version}`);
    data = (step.upcast as (data: unknown, metadata: JsonObject) => JsonData)(data, metadata);
    version += 1;
  }
  return { data, schemaVersion: version };
}
