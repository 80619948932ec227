/** Create: the documented example (its item, in an envelope answer) as the shape, the request's fields, a fresh id in the recorded format, server-owned timestamps. */
import type { MockResponse } from '../core/context';
import { stateResponse } from '../respond';
import { hasTemplates, render } from '../templating';
import { seedValue } from './seed';
import type { OperationData, ResourceSpec } from '../core/types';
import {
  documented2xx,
  documentsHeader,
  fillPath,
  firstExample,
  jsonMedia,
  statusOf,
  unwrapItem,
  wrapItem,
} from './answers';
import { addItem, findItem, idOf, putItem } from './collection';
import type { Ctx } from './context';
import { CREATED_FIELDS, UPDATED_FIELDS, nowLike, readOnlyFields } from './fields';
import { newId, typedId } from './ids';
import { inputFields } from './input';
import { isRecord, type Json } from './json';
import { scalarText } from './paging';

/** Base shapes without templates, built once per operation (shared: callers copy before changing). */
const staticBases = new WeakMap<OperationData, Json>();

/**
 * The shape new resources start from: the op's first 2xx example (its templates rendered for this
 * request), else the first seed, else {}. The result is shared and must not be changed in place.
 */
export function baseShape(ctx: Ctx): Json {
  const known = staticBases.get(ctx.op);
  if (known) return known;
  const example = unwrapItem(ctx.op, firstExample(documented2xx(ctx.op, [201, 200])));
  if (isRecord(example)) {
    const rendered = render(example, ctx.request, ctx.manifest);
    if (isRecord(rendered)) {
      if (!hasTemplates(example)) staticBases.set(ctx.op, rendered);
      return rendered;
    }
  }
  const seed = ctx.spec.seed.find(isRecord);
  const value = seed ? seedValue(seed, ctx.manifest) : {};
  const base = isRecord(value) ? value : {};
  if (!hasTemplates(seed)) staticBases.set(ctx.op, base);
  return base;
}

export function create(ctx: Ctx, forcedId?: string): MockResponse | undefined {
  const { spec, store } = ctx;
  const base = baseShape(ctx);
  const input = inputFields(ctx.request, base, ctx);
  if (!input) return undefined;
  const readOnly = readOnlyFields(spec);
  const baseId = base[spec.idField];
  const resource: Json = { ...base };
  // (`__proto__` from JSON.parse is an own key: assigning it would change the resource's prototype)
  for (const key in input) if (!readOnly.has(key) && key !== '__proto__') resource[key] = input[key];
  const asked = idOf(input, spec);
  let id: string;
  if (forcedId !== undefined) id = forcedId;
  else if (
    asked !== undefined &&
    asked !== '' &&
    !readOnly.has(spec.idField) &&
    !findItem(store, ctx.parent, asked)
  ) {
    id = asked;
  } else {
    id = newId(spec, store, typeof baseId === 'string' ? baseId : undefined, ctx.parent);
  }
  resource[spec.idField] = typedId(spec, id, baseId);
  const shape = baseFacts(base, spec);
  if (shape.times.length > 0) {
    // server-owned timestamps: now, in the example's format, unless the client set them
    const now = Date.now();
    for (const key of shape.times) if (!(key in input)) resource[key] = nowLike(resource[key], now);
  }
  if (shape.links.length > 0 && shape.segment && shape.id !== id) {
    // the example's links to itself (`/items/42/photos`) point at the new resource
    const target = `/${encodeURIComponent(id)}`;
    for (const key of shape.links)
      if (!(key in input)) resource[key] = (base[key] as string).replace(shape.segment, target);
  }
  const evicted = store.evicted ?? 0;
  if (forcedId !== undefined) {
    // a forced id may replace a stored resource
    const existing = findItem(store, ctx.parent, id);
    if (!existing?.created) store.created++;
    putItem(store, { id, parent: ctx.parent, value: resource, created: true });
    if (existing) existing.created = true;
  } else {
    // the id was just checked to be free
    addItem(store, { id, parent: ctx.parent, value: resource, created: true });
    store.created++;
  }

  const answer = createAnswer(ctx.op);
  const response = stateResponse(answer.status, wrapItem(ctx.op, resource), answer.mediaType);
  if ((store.evicted ?? 0) > evicted) {
    response.warning =
      `resource limit reached (MOCKGEN_RESOURCE_LIMIT=${store.limit}): the oldest resource this ` +
      `session created in ${spec.collectionPath} was evicted`;
  }
  if (answer.location) {
    response.headers.location =
      ctx.manifest.basePath + fillPath(spec.itemPath, ctx.request.pathParams, spec.idParam, id);
  }
  return response;
}

/** How an operation answers a create: its documented 201/200 (status, JSON media type, a Location). */
interface CreateAnswer {
  status: number;
  mediaType: string | undefined;
  location: boolean;
}

const createAnswers = new WeakMap<OperationData, CreateAnswer>();

function createAnswer(op: OperationData): CreateAnswer {
  let answer = createAnswers.get(op);
  if (!answer) {
    const documented = documented2xx(op, [201, 200]);
    const status = statusOf(documented, 201);
    answer = {
      status,
      mediaType: documented ? jsonMedia(documented) : 'application/json',
      location: status === 201 || documentsHeader(documented, 'location'),
    };
    createAnswers.set(op, answer);
  }
  return answer;
}

/**
 * What a create changes in the shape it starts from (looked up once per shape): its server-owned
 * timestamps, and its strings that link to the example's own id (`/items/42/photos`).
 */
interface BaseFacts {
  times: string[];
  links: string[];
  /** the example's id as text */
  id: string | undefined;
  /** `/<example id>` as a path segment */
  segment: RegExp | undefined;
}

const baseFactsCache = new WeakMap<Json, BaseFacts>();

function baseFacts(base: Json, spec: ResourceSpec): BaseFacts {
  let facts = baseFactsCache.get(base);
  if (facts) return facts;
  const times = Object.keys(base).filter((key) => CREATED_FIELDS.has(key) || UPDATED_FIELDS.has(key));
  const id = scalarText(base[spec.idField]);
  let links: string[] = [];
  let segment: RegExp | undefined;
  if (id) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const test = new RegExp(`/${escaped}(?=$|[/?#])`);
    links = Object.keys(base).filter((key) => {
      const value = base[key];
      return key !== spec.idField && typeof value === 'string' && test.test(value);
    });
    if (links.length > 0) segment = new RegExp(test.source, 'g');
  }
  facts = { times, links, id, segment };
  // a shape rendered per request (templates) is a new object: its entry goes with it
  baseFactsCache.set(base, facts);
  return facts;
}
