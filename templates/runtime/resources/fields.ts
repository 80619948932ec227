/** Server-owned fields: creation and update timestamps (now, in the recorded format), read-only properties. */
import { formatTime } from '../templating';
import type { ResourceSpec } from '../core/types';
import { isRecord, type Json } from './json';

export const CREATED_FIELDS: ReadonlySet<string> = new Set([
  'created',
  'createdAt',
  'created_at',
  'creationDate',
  'creation_date',
  'createTime',
  'create_time',
  'createdOn',
  'created_on',
  'dateCreated',
  'date_created',
  'insertedAt',
  'inserted_at',
]);
export const UPDATED_FIELDS: ReadonlySet<string> = new Set([
  'updated',
  'updatedAt',
  'updated_at',
  'modified',
  'modifiedAt',
  'modified_at',
  'lastModified',
  'last_modified',
  'updateTime',
  'update_time',
  'updatedOn',
  'updated_on',
  'lastUpdated',
  'last_updated',
  'dateModified',
  'date_modified',
]);

/** `now` in the format of `sample` (ISO with/without ms, date, epoch s/ms as number or text, HTTP date). */
export function nowLike(sample: unknown, now: number): unknown {
  if (typeof sample === 'number') return sample > 1e11 ? now : Math.floor(now / 1000);
  if (typeof sample !== 'string') return formatTime(now, 'iso');
  if (/^\d{4}-\d{2}-\d{2}$/.test(sample)) return formatTime(now, 'date');
  if (/^\d{12,}$/.test(sample)) return formatTime(now, 'epoch-ms');
  if (/^\d{9,11}$/.test(sample)) return formatTime(now, 'epoch-s');
  if (/^[A-Z][a-z]{2}, /.test(sample)) return formatTime(now, 'http-date');
  if (/T\d{2}:\d{2}:\d{2}Z$/.test(sample) || /T\d{2}:\d{2}:\d{2}[+-]\d{2}:?\d{2}$/.test(sample)) {
    return formatTime(now, 'iso-seconds');
  }
  return formatTime(now, 'iso');
}

export function touch(resource: Json, names: ReadonlySet<string>, now: number, keep: Json = {}): void {
  for (const key of Object.keys(resource)) {
    if (names.has(key) && !(key in keep)) resource[key] = nowLike(resource[key], now);
  }
}

/** Top-level properties the item schema marks readOnly (when it is inline). */
const readOnlyCache = new WeakMap<ResourceSpec, ReadonlySet<string>>();

export function readOnlyFields(spec: ResourceSpec): ReadonlySet<string> {
  let fields = readOnlyCache.get(spec);
  if (fields) return fields;
  const found = new Set<string>();
  const schema = spec.schema;
  if (isRecord(schema) && isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (isRecord(property) && property.readOnly === true) found.add(name);
    }
  }
  fields = found;
  readOnlyCache.set(spec, fields);
  return fields;
}
