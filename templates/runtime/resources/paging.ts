/** Lists: filters on scalar fields, cursors (`starting_after`), limit / offset / page, and the envelope (`{data, has_more, total}`). */
import type { MockRequest } from '../core/context';
import type { ResourceStore } from '../session';
import { markImmutable } from '../respond';
import { render } from '../templating';
import { MORE_FIELDS, NEXT_FIELDS } from '../pagination';
import type { Manifest, ResourceSpec } from '../core/types';
import { SEED_PARENT, idOf, parentKey, templateParams } from './collection';
import { isRecord, type Json } from './json';

const LIMIT_PARAMS = [
  'limit',
  'per_page',
  'perPage',
  'page_size',
  'pageSize',
  'max_results',
  'maxResults',
  '$top',
  'top',
];
const OFFSET_PARAMS = ['offset', 'skip', '$skip', 'start'];
const PAGING_PARAMS = new Set([
  ...LIMIT_PARAMS,
  ...OFFSET_PARAMS,
  'page',
  'starting_after',
  'ending_before',
  'cursor',
  'after',
  'before',
  'sort',
  'order',
  'direction',
  'expand',
  'expand[]',
  'fields',
]);
const TOTAL_FIELDS = [
  'total',
  'total_count',
  'totalCount',
  'count',
  'totalElements',
  'total_results',
  'totalResults',
];

const FIRST_FIELDS = ['first_id', 'firstId'];
const LAST_FIELDS = ['last_id', 'lastId'];

const WILDCARDS = new Set(['all', 'any', '*']);

function queryParam(request: MockRequest, names: string[]): string | undefined {
  for (const name of names) {
    const pair = request.query.find(([n]) => n === name);
    if (pair) return pair[1];
  }
  return undefined;
}

function nonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** Items visible at this parent, filtered by query parameters naming scalar fields, then paged. */
function listItems(
  store: ResourceStore,
  spec: ResourceSpec,
  request: MockRequest,
): { items: Json[]; total: number; more: boolean } {
  const parent = parentKey(spec, request);
  let items: Json[] = [];
  for (const key of parent === SEED_PARENT ? [SEED_PARENT] : [SEED_PARENT, parent]) {
    const byId = store.items.get(key);
    if (byId) for (const item of byId.values()) items.push(item.value);
  }
  const pathNames = new Set(templateParams(spec.collectionPath));
  for (const [name, value] of request.query) {
    if (PAGING_PARAMS.has(name) || pathNames.has(name)) continue;
    // filter only on fields every item has as a scalar, so unrelated parameters do not empty the list
    if (items.length === 0 || !items.every((item) => scalarText(item[name]) !== undefined)) continue;
    // `state=all` (GitHub, GitLab...): a wildcard no item holds as a value selects them all
    if (WILDCARDS.has(value.toLowerCase()) && !items.some((item) => scalarText(item[name]) === value))
      continue;
    items = items.filter((item) => scalarText(item[name]) === value);
  }
  const total = items.length;
  const after = queryParam(request, ['starting_after', 'after']);
  const before = queryParam(request, ['ending_before', 'before']);
  if (after !== undefined) {
    const at = items.findIndex((item) => idOf(item, spec) === after);
    if (at !== -1) items = items.slice(at + 1);
  }
  if (before !== undefined) {
    const at = items.findIndex((item) => idOf(item, spec) === before);
    if (at !== -1) items = items.slice(0, at);
  }
  const limit = nonNegativeInt(queryParam(request, LIMIT_PARAMS));
  let offset = nonNegativeInt(queryParam(request, OFFSET_PARAMS)) ?? 0;
  const page = nonNegativeInt(queryParam(request, ['page']));
  if (page !== undefined && page >= 1 && limit !== undefined && offset === 0) offset = (page - 1) * limit;
  const end = limit === undefined ? items.length : offset + limit;
  const more = end < items.length;
  // stored values are never changed in place (see itemResponse): the page shares them, no copies
  const shown = items.slice(offset, end);
  for (const item of shown) markImmutable(item);
  return { items: shown, total, more };
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) node = isRecord(node) ? node[key] : undefined;
  return node;
}

export function listBody(
  spec: ResourceSpec,
  request: MockRequest,
  manifest: Manifest,
  store: ResourceStore,
): unknown {
  const { items, total, more } = listItems(store, spec, request);
  if (!spec.listEnvelope) return items;
  const rendered = render(spec.listEnvelope.template, request, manifest);
  const envelope: Json = isRecord(rendered) ? rendered : {};
  setPath(envelope, spec.listEnvelope.itemsField, items);
  for (const field of TOTAL_FIELDS) if (typeof envelope[field] === 'number') envelope[field] = total;
  for (const field of MORE_FIELDS) if (field in envelope) envelope[field] = more;
  if (!more) for (const field of NEXT_FIELDS) if (field in envelope) envelope[field] = null;
  // cursors naming the page's ends (`first_id` / `last_id`): the example's ids would point elsewhere
  for (const [fields, item] of [
    [FIRST_FIELDS, items[0]],
    [LAST_FIELDS, items[items.length - 1]],
  ] as const) {
    for (const field of fields) {
      if (field in envelope) envelope[field] = item === undefined ? null : (item[spec.idField] ?? null);
    }
  }
  return envelope;
}

/** The resources a recorded list response holds (bare array or envelope). */
export function recordedListItems(spec: ResourceSpec, body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (spec.listEnvelope) {
    const items = getPath(body, spec.listEnvelope.itemsField);
    if (Array.isArray(items)) return items;
  }
  return [];
}
