// Stream metadata in EventStoreDB's own JSON shape ($maxAge, $maxCount, $tb, custom keys beside them),
// as the PostgreSQL store keeps it in the $$<stream> metastream.
import type { JsonObject, StreamMetadata } from './types';

/** EventStoreDB's `EventNumber.DeletedStream`: the $tb of a soft-deleted stream. */
export const DELETED_STREAM = 9223372036854775807n;

const SYSTEM_KEYS = ['$maxAge', '$maxCount', '$tb', '$cacheControl', '$acl'];

function integer(key: string, value: number | bigint): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (!Number.isInteger(n) || n < 0) throw new Error(`Invalid stream metadata: "${key}" must be a non-negative integer.`);
  return n;
}

export function metadataToJson(metadata: StreamMetadata): JsonObject {
  const json: JsonObject = { ...(metadata.custom ?? {}) };
  if (metadata.maxAge !== undefined) json['$maxAge'] = integer('maxAge', metadata.maxAge);
  if (metadata.maxCount !== undefined) json['$maxCount'] = integer('maxCount', metadata.maxCount);
  if (metadata.truncateBefore !== undefined) json['$tb'] = integer('truncateBefore', metadata.truncateBefore);
  return json;
}

export function metadataFromJson(json: JsonObject): StreamMetadata {
  const metadata: StreamMetadata = {};
  if (typeof json['$maxAge'] === 'number') metadata.maxAge = json['$maxAge'];
  if (typeof json['$maxCount'] === 'number') metadata.maxCount = json['$maxCount'];
  // A soft delete's $tb is long.MaxValue, which a JSON number cannot hold exactly.
  const tb = json['$tb'];
  if (typeof tb === 'number') metadata.truncateBefore = tb >= Number.MAX_SAFE_INTEGER ? DELETED_STREAM : BigInt(tb);
  const custom = Object.fromEntries(Object.entries(json).filter(([key]) => !SYSTEM_KEYS.includes(key)));
  if (Object.keys(custom).length > 0) metadata.custom = custom;
  return metadata;
}

export function metastreamOf(stream: string): string {
  return `$$${stream}`;
}
