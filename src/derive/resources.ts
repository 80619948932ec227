/**
 * Stateful resources: collections the mock keeps in a store so that a create is visible in the
 * next list and read, an update sticks and a delete removes. Found from the contract's paths alone
 * (a collection path with list/create next to an item path `collection/{param}`), refined by
 * recordings (which property holds the id, what ids look like, the list envelope, seed data).
 */
import type { IdFormat, ResourceBinding, ResourceSpec } from '../../templates/runtime/core/types';
import { isJsonOrAnyMediaType } from '../../templates/runtime/core/media-types';
import { isUuid } from './dynamic';
import type {
  Contract,
  Defs,
  HttpMethod,
  JsonSchema,
  MatchedExchange,
  MediaTypeSpec,
  Operation,
} from '../model/types';
import { pickMedia } from './value-pools';
import { isRecord, stableStringify } from '../../templates/runtime/core/json';
import { singular, words } from '../../templates/runtime/core/names';
import {
  itemSchema,
  refName,
  selfContained,
  viewSchema,
  type SchemaView,
} from '../../templates/runtime/core/schema';

export interface DetectedResources {
  /** sorted by collection path */
  resources: ResourceSpec[];
  /** operation id → its role in a resource */
  bindings: Map<string, ResourceBinding>;
  /** resource name → when each of its `seed` items was last recorded (ms since epoch, NaN: unknown) */
  seedTimes: Map<string, number[]>;
}

type Role = ResourceBinding['role'];

/** Array properties of list envelopes, most likely first. */
const ITEMS_FIELDS = [
  'data',
  'items',
  'results',
  'content',
  'records',
  'entries',
  'values',
  'elements',
  'nodes',
  'list',
  'rows',
  'hits',
];
/** Natural keys by the last word of the path parameter: `/users/{username}` is keyed by `login`. */
const KEY_ALIASES: Record<string, string[]> = {
  username: ['login', 'username'],
  user: ['login', 'username'],
  login: ['login'],
  owner: ['login'],
  org: ['login'],
  organization: ['login'],
  slug: ['slug'],
  name: ['name'],
  key: ['key'],
  code: ['code'],
  sha: ['sha'],
  handle: ['handle'],
  tag: ['tag', 'name'],
  ref: ['ref'],
  number: ['number'],
};
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Members of item envelopes (`{"data": {...}, "meta": {...}}`), most likely first; the resource's singular noun joins them. */
const ITEM_ENVELOPE_FIELDS = ['data', 'result', 'item', 'resource', 'record', 'entity', 'object', 'payload'];

export function detectResources(contract: Contract, matched: MatchedExchange[]): DetectedResources {
  const byPath = new Map<string, Map<HttpMethod, Operation>>();
  for (const op of contract.operations) {
    let methods = byPath.get(op.path);
    if (!methods) byPath.set(op.path, (methods = new Map()));
    methods.set(op.method, op);
  }
  const ordered = chronological(matched);
  const recorded = new Map<string, MatchedExchange[]>();
  for (const m of ordered) {
    if (m.exchange.failed || m.exchange.response.status < 200 || m.exchange.response.status > 299) continue;
    const list = recorded.get(m.op.id) ?? [];
    list.push(m);
    recorded.set(m.op.id, list);
  }

  const resources: ResourceSpec[] = [];
  const bindings = new Map<string, ResourceBinding>();
  const usedCollections = new Set<string>();
  const usedNames = new Set<string>();
  const seedTimes = new Map<string, number[]>();
  for (const itemPath of [...byPath.keys()].sort()) {
    const segments = splitSegments(itemPath);
    if (segments.length < 2) continue;
    const idParam = /^\{([^{}]+)\}$/.exec(segments[segments.length - 1])?.[1];
    const parent = segments[segments.length - 2];
    if (idParam === undefined || parent.includes('{')) continue;
    const collectionPath = '/' + segments.slice(0, -1).join('/');
    const collection = byPath.get(collectionPath);
    if (!collection || usedCollections.has(collectionPath)) continue;
    const item = byPath.get(itemPath)!;

    const roles: [Role, Operation | undefined][] = [
      ['create', collection.get('post')],
      ['read', item.get('get')],
      ['replace', item.get('put')],
      ['update', item.get('patch') ?? item.get('post')],
      ['delete', item.get('delete')],
    ];
    const ops = new Map<Role, Operation>();
    for (const [role, op] of roles) if (op) ops.set(role, op);
    const listOp = collection.get('get');
    if (!ops.has('create') && !listOp) continue;
    // read-only collections are served from examples/recordings; only mutable ones need a store
    if (!ops.has('create') && !ops.has('replace') && !ops.has('update') && !ops.has('delete')) continue;

    const resource = buildResource(contract, {
      collectionPath,
      itemPath,
      idParam,
      singular: singular(parent),
      ops,
      listOp,
      recorded,
      order: new Map(ordered.map((m, i) => [m, i])),
    });
    if (!resource) continue;
    resource.spec.name = uniqueName(collectionPath, usedNames);
    usedCollections.add(collectionPath);
    resources.push(resource.spec);
    seedTimes.set(resource.spec.name, resource.seedTimes);
    for (const [role, op] of resource.ops) {
      const binding: ResourceBinding = { resource: resource.spec.name, role };
      const envelope = resource.envelopes.get(role);
      if (envelope !== undefined) binding.envelope = envelope;
      const bodyEnvelope = resource.bodyEnvelopes.get(role);
      if (bodyEnvelope !== undefined) binding.bodyEnvelope = bodyEnvelope;
      bindings.set(op.id, binding);
    }
  }
  resources.sort((a, b) =>
    a.collectionPath < b.collectionPath ? -1 : a.collectionPath > b.collectionPath ? 1 : 0,
  );
  return { resources, bindings, seedTimes };
}

interface ResourceFound {
  spec: ResourceSpec;
  ops: Map<Role, Operation>;
  /** role → the member of its success answer that holds the item (`data`) */
  envelopes: Map<Role, string>;
  /** role → the member of its request body that holds the item's fields */
  bodyEnvelopes: Map<Role, string>;
  /** when each seed item was last recorded */
  seedTimes: number[];
}

interface Candidate {
  collectionPath: string;
  itemPath: string;
  idParam: string;
  singular: string;
  ops: Map<Role, Operation>;
  listOp: Operation | undefined;
  recorded: Map<string, MatchedExchange[]>;
  /** position of every exchange in chronological order */
  order: Map<MatchedExchange, number>;
}

function buildResource(contract: Contract, c: Candidate): ResourceFound | undefined {
  const defs = contract.schemas;
  const ops = new Map(c.ops);
  // `{"data": {...}}` answers: the member holding the item, per operation (a create may wrap, a read not)
  const envelopes = new Map<Role, string>();
  const bodyEnvelopes = new Map<Role, string>();
  for (const role of ['create', 'read', 'replace', 'update'] as Role[]) {
    const op = ops.get(role);
    const found = itemEnvelope(successMedia(op)?.schema, c, defs, false);
    if (found !== undefined) envelopes.set(role, found);
    const body = itemEnvelope(requestMedia(op)?.schema, c, defs, true);
    if (body !== undefined) bodyEnvelopes.set(role, body);
  }
  const unwrap = (role: Role | undefined, value: unknown): unknown => {
    const field = role === undefined ? undefined : envelopes.get(role);
    return field !== undefined && isRecord(value) && Object.hasOwn(value, field) ? value[field] : value;
  };
  const roleOf = new Map<string, Role>([...ops].map(([role, op]) => [op.id, role]));
  // recorded bodies as the items they carry, for id evidence and seed data
  if (envelopes.size > 0) {
    const recorded = new Map<string, MatchedExchange[]>();
    const order = new Map(c.order);
    for (const [opId, list] of c.recorded) {
      const role = roleOf.get(opId);
      if (role === undefined || !envelopes.has(role)) {
        recorded.set(opId, list);
        continue;
      }
      const items = list.map((m) => {
        const item = { ...m, responseBody: unwrap(role, m.responseBody) };
        order.set(item, c.order.get(m) ?? 0);
        return item;
      });
      recorded.set(opId, items);
    }
    c = { ...c, recorded, order };
  }

  // item schema: the first success schema that describes one object: read, create, list items,
  // replace, update (not a list envelope some APIs answer a create with)
  const successSchema = (role: Role): JsonSchema | undefined => {
    const schema = successMedia(ops.get(role))?.schema;
    const field = envelopes.get(role);
    return field === undefined ? schema : viewSchema(schema, defs).properties.get(field)?.schema;
  };
  const describesObject = (s: JsonSchema | undefined): s is JsonSchema =>
    s !== undefined && viewSchema(s, defs).properties.size > 0;
  const preliminary = [successSchema('read'), successSchema('create')].find(describesObject);
  const list = c.listOp
    ? listShape(c.listOp, preliminary, defs, c.recorded.get(c.listOp.id) ?? [])
    : undefined;
  if (list) ops.set('list', c.listOp!);
  const isEnvelope = (s: JsonSchema): boolean => {
    if (list?.itemsField === undefined) return false;
    if (list.envelopeSchema !== undefined && stableStringify(s) === stableStringify(list.envelopeSchema))
      return true;
    const prop = viewSchema(s, defs).properties.get(list.itemsField);
    return prop !== undefined && viewSchema(prop.schema, defs).types.has('array');
  };
  const candidates = [
    successSchema('read'),
    successSchema('create'),
    list?.items,
    successSchema('replace'),
    successSchema('update'),
  ].filter((s): s is JsonSchema => s !== undefined && !isEnvelope(s));
  const schema = candidates.find(describesObject) ?? candidates[0];
  const view = viewSchema(schema, defs);
  // an item that is not an object (an array, a string) cannot be stored by id (corpus: mcw.edu)
  if (view.types.size > 0 && !view.types.has('object')) return undefined;

  const idField = chooseIdField(c, view, defs);
  // nor can a map whose values an id does not fit (`additionalProperties: {type: string}`)
  if (!view.properties.has(idField) && !acceptsIdMember(view)) return undefined;
  const scopeParams = [...c.collectionPath.matchAll(/\{([^{}]+)\}/g)].map((x) => x[1]);
  const seeded = collectSeed(c, ops, list, idField, scopeParams);

  const paramIds: string[] = [];
  for (const role of ['read', 'replace', 'update', 'delete'] as Role[]) {
    const op = ops.get(role);
    for (const m of op ? (c.recorded.get(op.id) ?? []) : []) {
      const id = m.pathParams[c.idParam];
      if (id !== undefined) paramIds.push(id);
    }
  }
  const exampleIds = exampleIdsOf(ops, list, idField, unwrap);
  const paramSchema = [...ops.values()]
    .flatMap((op) => op.parameters)
    .find((p) => p.in === 'path' && p.name === c.idParam)?.schema;
  const idFormat = inferIdFormat(
    seeded.seed.map((item) => (item as Record<string, unknown>)[idField]),
    paramIds,
    exampleIds,
    viewSchema(view.properties.get(idField)?.schema, defs),
    viewSchema(paramSchema, defs),
  );

  const idSchemas = [paramSchema, view.properties.get(idField)?.schema]
    .filter((s): s is JsonSchema => s !== undefined && constrainsIds(s, defs))
    .map((s) => selfContained(s, defs))
    .filter((s, i, all) => all.findIndex((other) => stableStringify(other) === stableStringify(s)) === i);
  const spec: ResourceSpec = {
    name: '',
    collectionPath: c.collectionPath,
    itemPath: c.itemPath,
    idParam: c.idParam,
    idField,
    idFormat,
    listEnvelope: list?.itemsField
      ? { itemsField: list.itemsField, template: escapeMarkers(envelopeTemplate(contract, c, list, defs)) }
      : null,
    ...(idSchemas.length > 0 ? { idSchemas } : {}),
    ...(schema !== undefined ? { schema } : {}),
    seed: seeded.seed,
  };
  if (scopeParams.length > 0) {
    spec.scopeParams = scopeParams;
    spec.seedScopes = seeded.scopes;
  }
  return { spec, ops, envelopes, bodyEnvelopes, seedTimes: seeded.times };
}

/**
 * Whether an object of `view` may carry an id member it does not declare: not a map whose values
 * are constrained (`additionalProperties: {type: string}`). With `additionalProperties: false` the
 * member is left out of responses (conform.ts) and the store still works by the path's id.
 */
function acceptsIdMember(view: SchemaView): boolean {
  if (view.patternProperties.length > 0 && view.properties.size === 0) return false;
  const extra = view.additional;
  return !isRecord(extra) || Object.keys(extra).length === 0;
}

// ---------------------------------------------------------------------------------------------
// Documented shapes

/**
 * The member of an item envelope (`{"data": {...}, "meta": {...}}`) that holds the item: a known
 * envelope name (or the resource's singular noun) whose schema describes an object, in a schema that
 * has no id of its own. A request body is an envelope only when that member is all it documents.
 */
function itemEnvelope(
  schema: JsonSchema | undefined,
  c: Candidate,
  defs: Defs,
  request: boolean,
): string | undefined {
  if (schema === undefined) return undefined;
  const view = viewSchema(schema, defs);
  if (view.properties.size === 0 || (request && view.properties.size !== 1)) return undefined;
  const keys = [...view.properties.keys()];
  const idParam = normal(c.idParam);
  if (keys.some((key) => normal(key) === 'id' || normal(key) === idParam)) return undefined;
  const names = [...ITEM_ENVELOPE_FIELDS, c.singular];
  const field = names.find((name) => view.properties.has(name));
  if (field === undefined) return undefined;
  const item = viewSchema(view.properties.get(field)!.schema, defs);
  if (item.properties.size === 0 || item.types.has('array') || item.items !== undefined) return undefined;
  return field;
}

function requestMedia(op: Operation | undefined): MediaTypeSpec | undefined {
  const content = op?.requestBody?.content;
  return content ? pickMedia(content, 'application/json') : undefined;
}

function successMedia(op: Operation | undefined): MediaTypeSpec | undefined {
  if (!op) return undefined;
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    const media = pickMedia(response.content, 'application/json');
    if (media && (isJsonOrAnyMediaType(media.mediaType) || media.schema !== undefined)) return media;
  }
  return undefined;
}

interface ListShape {
  /** undefined: a bare array */
  itemsField?: string;
  items?: JsonSchema;
  /** a recorded or example list body (an envelope object) to take the other fields from */
  sample?: Record<string, unknown>;
  envelopeSchema?: JsonSchema;
}

function listShape(
  op: Operation,
  item: JsonSchema | undefined,
  defs: Defs,
  recorded: MatchedExchange[],
): ListShape | undefined {
  const media = successMedia(op);
  const samples: unknown[] = [
    ...recorded.map((m) => m.responseBody),
    ...(media?.examples ?? []).map((e) => e.value),
  ].filter((v) => v !== undefined && typeof v !== 'string');
  const sample = samples.find(isRecord);

  if (media?.schema !== undefined) {
    const view = viewSchema(media.schema, defs);
    if (view.types.has('array') || (view.items !== undefined && view.properties.size === 0)) {
      return { items: itemSchema(view, 0) };
    }
    const arrays = [...view.properties].filter(([, p]) => {
      const sub = viewSchema(p.schema, defs);
      return sub.types.has('array') || sub.items !== undefined;
    });
    if (arrays.length > 0) {
      const itemName = refName(item) ?? viewSchema(item, defs).names[0];
      const itemsOf = (s: JsonSchema): JsonSchema | undefined => itemSchema(viewSchema(s, defs), 0);
      const chosen =
        arrays.find(([, p]) => {
          const items = itemsOf(p.schema);
          return (
            itemName !== undefined && items !== undefined && viewSchema(items, defs).names[0] === itemName
          );
        }) ??
        ITEMS_FIELDS.map((name) => arrays.find(([key]) => key === name)).find((x) => x !== undefined) ??
        arrays[0];
      return {
        itemsField: chosen[0],
        items: itemsOf(chosen[1].schema),
        sample,
        envelopeSchema: media.schema,
      };
    }
    if (view.known) return undefined;
  }
  // undocumented: decide from what was recorded or exemplified
  const first = samples[0];
  if (first === undefined || Array.isArray(first)) return {};
  if (!isRecord(first)) return undefined;
  const arrayKeys = Object.keys(first).filter((k) => Array.isArray(first[k]));
  if (arrayKeys.length === 0) return undefined;
  const itemsField = ITEMS_FIELDS.find((name) => arrayKeys.includes(name)) ?? arrayKeys[0];
  return { itemsField, sample: first };
}

function envelopeTemplate(
  contract: Contract,
  c: Candidate,
  list: ListShape,
  defs: Defs,
): Record<string, unknown> {
  const template: Record<string, unknown> = {};
  if (list.sample) {
    for (const [key, value] of Object.entries(list.sample))
      if (key !== list.itemsField) template[key] = value;
    return resetPagination(template, 0);
  }
  const view = viewSchema(list.envelopeSchema, defs);
  for (const [key, prop] of view.properties) {
    if (key === list.itemsField) continue;
    const sub = viewSchema(prop.schema, defs);
    const required = view.required.has(key);
    if (sub.enumValues && sub.enumValues.length > 0 && (required || sub.enumValues.length === 1)) {
      template[key] = sub.enumValues[0];
    } else if (sub.examples.length > 0 && required) {
      template[key] = sub.examples[0];
    } else if (key === 'url' && sub.types.has('string') && !c.collectionPath.includes('{')) {
      template[key] = contract.basePath + c.collectionPath;
    } else if (!required) {
      continue;
    } else if (sub.types.has('boolean')) {
      template[key] = false;
    } else if (sub.types.has('integer') || sub.types.has('number')) {
      template[key] = /page/i.test(key) ? 1 : 0;
    } else if (sub.types.has('null')) {
      template[key] = null;
    }
  }
  return resetPagination(template, 0);
}

/** The runtime renders the envelope template: recorded objects that look like template markers are escaped. */
function escapeMarkers<T>(value: T): T {
  if (Array.isArray(value)) return value.map(escapeMarkers) as T;
  if (!isRecord(value)) return value;
  if (['$tpl', '$tplJson', '$literal'].some((k) => Object.prototype.hasOwnProperty.call(value, k))) {
    return { $literal: value } as T;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = escapeMarkers(item);
  return out as T;
}

/**
 * A recorded page had `has_more: true` and a next cursor; the store serves everything on one page.
 * Nested objects are copied: they belong to the recording or the contract's example, served as well.
 */
function resetPagination(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  for (const [key, item] of Object.entries(value)) {
    const n = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (n === 'hasmore' || n === 'hasnextpage' || n === 'hasnext') value[key] = false;
    else if (/^next(?:page|cursor|pagetoken|token|url|link|offset|key)?$/.test(n) || n === 'cursor')
      value[key] = null;
    else if (isRecord(item) && depth < 3) value[key] = resetPagination({ ...item }, depth + 1);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The id

function chooseIdField(c: Candidate, view: SchemaView, defs: Defs): string {
  const props = [...view.properties.keys()];
  const find = (name: string): string | undefined =>
    props.find((p) => p === name) ?? props.find((p) => normal(p) === normal(name));

  const ordered: string[] = [];
  const push = (name: string | undefined): void => {
    if (name !== undefined && !ordered.includes(name)) ordered.push(name);
  };
  push(find(c.idParam));
  const paramWords = words(c.idParam);
  const singularWords = words(c.singular);
  let k = 0;
  while (k < singularWords.length && k < paramWords.length && paramWords[k] === singularWords[k]) k++;
  const rest = paramWords.slice(k);
  if (k > 0 && rest.length > 0) push(find(rest.join('_')));
  // `custom_property_name` → `property_name`, `secret_name` → `name`
  for (let i = 1; i < paramWords.length; i++) push(find(paramWords.slice(i).join('_')));
  for (const alias of KEY_ALIASES[paramWords[paramWords.length - 1]] ?? []) push(find(alias));
  push(find('id'));
  const idLike = props.filter((p) => /(?:Id|_id|ID|uuid|Uuid|UUID)$/.test(p) || p === 'uuid');
  push(idLike.find((p) => normal(p).startsWith(normal(c.singular))));
  push(idLike[0]);

  const paramView = viewSchema(
    [...c.ops.values()].flatMap((op) => op.parameters).find((p) => p.in === 'path' && p.name === c.idParam)
      ?.schema,
    defs,
  );
  const numericParam =
    paramView.types.has('integer') || (paramView.types.has('number') && !paramView.types.has('string'));

  // recordings: the property whose value is the path parameter of the item operations
  const evidence = new Map<string, number>();
  let considered = 0;
  for (const role of ['read', 'replace', 'update'] as Role[]) {
    const op = c.ops.get(role);
    for (const m of op ? (c.recorded.get(op.id) ?? []) : []) {
      const id = m.pathParams[c.idParam];
      if (id === undefined || !isRecord(m.responseBody)) continue;
      if (numericParam && !/^-?\d+(?:\.\d+)?$/.test(id)) continue;
      considered++;
      for (const [key, value] of Object.entries(m.responseBody)) {
        if ((typeof value === 'string' || typeof value === 'number') && String(value) === id) {
          evidence.set(key, (evidence.get(key) ?? 0) + 1);
        }
      }
    }
  }
  if (evidence.size > 0) {
    const confirmed = ordered.find((name) => evidence.has(name));
    if (confirmed !== undefined) return confirmed;
    // a property the schema does not suggest must hold the parameter in every recording
    const consistent = [...evidence].filter(([, n]) => n === considered).map(([key]) => key);
    if (consistent.length > 0) return consistent[0];
  }

  const compatible = ordered.find((name) => {
    const prop = viewSchema(view.properties.get(name)?.schema, defs);
    const propNumeric =
      prop.types.size > 0 && [...prop.types].every((t) => t === 'integer' || t === 'number');
    const paramText =
      paramView.types.has('string') && paramView.format === undefined && paramView.pattern === undefined;
    return !(propNumeric && paramText);
  });
  return compatible ?? ordered[0] ?? 'id';
}

/** Keywords that say nothing about which ids are valid. */
const ID_NEUTRAL_KEYWORDS = new Set([
  'type',
  'title',
  'description',
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'nullable',
  '$comment',
]);

/** Whether `schema` constrains an id beyond its type (a `pattern`, `format`, length, bound or enum). */
function constrainsIds(schema: JsonSchema, defs: Defs, depth = 0): boolean {
  if (!isRecord(schema) || depth > 8) return false;
  return Object.keys(schema).some((key) => {
    if (key === '$ref') {
      const name = refName(schema);
      return name !== undefined && defs[name] !== undefined && constrainsIds(defs[name], defs, depth + 1);
    }
    if (key === 'format') return !NUMERIC_FORMATS.has(String(schema.format));
    return !ID_NEUTRAL_KEYWORDS.has(key);
  });
}

/** Formats any JSON number of the type meets (the mock's integer ids are safe integers). */
const NUMERIC_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

function inferIdFormat(
  bodyIds: unknown[],
  paramIds: string[],
  exampleIds: unknown[],
  prop: SchemaView,
  param: SchemaView,
): IdFormat {
  const known = bodyIds.filter((id) => typeof id === 'string' || typeof id === 'number');
  if (known.length > 0) return fromValues(known, paramIds);
  if (paramIds.length > 0) {
    const numericProp = prop.types.has('integer') || prop.types.has('number') || param.types.has('integer');
    if (paramIds.every((id) => /^\d{1,15}$/.test(id)) && (numericProp || prop.types.size === 0)) {
      return { kind: 'integer', next: Math.max(...paramIds.map(Number)) + 1 };
    }
    return fromStrings(paramIds);
  }
  for (const view of [prop, param]) {
    if (view.types.has('integer') || (view.types.has('number') && !view.types.has('string'))) {
      const examples = [...exampleIds, ...view.examples].filter(
        (x): x is number => typeof x === 'number' && Number.isInteger(x),
      );
      return { kind: 'integer', next: examples.length > 0 ? Math.max(...examples) + 1 : 1 };
    }
    if (view.format === 'uuid') return { kind: 'uuid' };
  }
  const examples = [...exampleIds, ...prop.examples, ...param.examples].filter(
    (x): x is string | number => typeof x === 'string' || typeof x === 'number',
  );
  if (examples.length > 0) return fromValues(examples, []);
  for (const view of [prop, param]) {
    const prefix =
      view.pattern !== undefined ? /^\^?([A-Za-z][A-Za-z0-9]*[_-])/.exec(view.pattern)?.[1] : undefined;
    if (prefix !== undefined) return { kind: 'prefixed', prefix, length: 24, alphabet: ALNUM };
  }
  const maxLength = [prop, param].map((v) => v.maxLength).find((n): n is number => n !== undefined);
  if (maxLength !== undefined && maxLength < 36) {
    return { kind: 'string', length: Math.max(1, Math.min(maxLength, 24)), alphabet: ALNUM };
  }
  return { kind: 'uuid' };
}

function fromValues(ids: (string | number)[], paramIds: string[]): IdFormat {
  if (ids.every((id) => typeof id === 'number' && Number.isInteger(id))) {
    const numbers = [...(ids as number[]), ...paramIds.filter((p) => /^\d{1,15}$/.test(p)).map(Number)];
    return { kind: 'integer', next: Math.max(...numbers) + 1 };
  }
  return fromStrings(ids.map(String));
}

function fromStrings(ids: string[]): IdFormat {
  if (ids.every(isUuid)) return { kind: 'uuid' };
  let common = ids[0];
  for (const id of ids) {
    let i = 0;
    while (i < common.length && i < id.length && common[i] === id[i]) i++;
    common = common.slice(0, i);
  }
  const cut = Math.max(common.lastIndexOf('_'), common.lastIndexOf('-'));
  const prefix = cut >= 0 ? common.slice(0, cut + 1) : '';
  const rests = ids.map((id) => id.slice(prefix.length));
  // `cus_NffrFeUfNV2Hib`: a short word, then something random-looking (not `blue-box`)
  const randomLooking = rests.every(
    (r) => r.length >= 6 && (/[0-9]/.test(r) || (/[a-z]/.test(r) && /[A-Z]/.test(r))),
  );
  if (/^[A-Za-z][A-Za-z0-9_-]{0,15}[_-]$/.test(prefix) && randomLooking) {
    return {
      kind: 'prefixed',
      prefix,
      length: Math.max(...rests.map((r) => r.length)),
      alphabet: alphabetOf(rests),
    };
  }
  return { kind: 'string', length: Math.max(...ids.map((id) => id.length)), alphabet: alphabetOf(ids) };
}

function alphabetOf(values: string[]): string {
  if (values.every((v) => /^[0-9a-f]+$/.test(v)) && values.some((v) => /[a-f]/.test(v)))
    return '0123456789abcdef';
  if (values.every((v) => /^[0-9A-F]+$/.test(v)) && values.some((v) => /[A-F]/.test(v)))
    return '0123456789ABCDEF';
  const all = values.join('');
  let alphabet = '';
  if (/[0-9]/.test(all)) alphabet += '0123456789';
  if (/[A-Z]/.test(all)) alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (/[a-z]/.test(all)) alphabet += 'abcdefghijklmnopqrstuvwxyz';
  const others = [...new Set(all.replace(/[0-9A-Za-z]/g, ''))].filter((ch) => /[\x21-\x7e]/.test(ch)).sort();
  alphabet += others.join('');
  return alphabet === '' ? ALNUM : alphabet;
}

function exampleIdsOf(
  ops: Map<Role, Operation>,
  list: ListShape | undefined,
  idField: string,
  unwrap: (role: Role, value: unknown) => unknown,
): unknown[] {
  const ids: unknown[] = [];
  for (const role of ['read', 'create', 'replace', 'update'] as Role[]) {
    for (const example of successMedia(ops.get(role))?.examples ?? []) {
      const item = unwrap(role, example.value);
      if (isRecord(item)) ids.push(item[idField]);
    }
  }
  for (const example of successMedia(ops.get('list'))?.examples ?? []) {
    for (const item of itemsOf(example.value, list)) ids.push(item[idField]);
  }
  return ids.filter((id) => id !== undefined && id !== null);
}

// ---------------------------------------------------------------------------------------------
// Seed data

function collectSeed(
  c: Candidate,
  ops: Map<Role, Operation>,
  list: ListShape | undefined,
  idField: string,
  scopeParams: string[],
): { seed: unknown[]; scopes: Record<string, string>[]; times: number[] } {
  const roleOf = new Map<string, Role>();
  for (const [role, op] of ops) roleOf.set(op.id, role);
  const entries = new Map<
    string,
    { item: Record<string, unknown>; scope: Record<string, string>; at: number }
  >();
  const upsert = (item: unknown, scope: Record<string, string>, key: string, at: number): void => {
    if (!isRecord(item)) return;
    const id = item[idField];
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const entryKey = `${key}\u0000${String(id)}`;
    const existing = entries.get(entryKey);
    // latest state wins; fields only an earlier (fuller) representation had are kept
    if (existing) {
      existing.item = { ...existing.item, ...item };
      existing.at = at;
    } else entries.set(entryKey, { item: { ...item }, scope, at });
  };

  const exchanges = [...ops.values()]
    .flatMap((op) => c.recorded.get(op.id) ?? [])
    .sort((a, b) => (c.order.get(a) ?? 0) - (c.order.get(b) ?? 0));
  for (const m of exchanges) {
    const role = roleOf.get(m.op.id);
    if (!role) continue;
    const scope: Record<string, string> = {};
    for (const name of scopeParams) scope[name] = m.pathParams[name] ?? '';
    const scopeKey = JSON.stringify(scopeParams.map((name) => scope[name]));
    const at = Date.parse(m.exchange.startedDateTime);
    if (role === 'list') {
      for (const item of itemsOf(m.responseBody, list)) upsert(item, scope, scopeKey, at);
    } else if (role === 'delete') {
      const id = m.pathParams[c.idParam];
      if (id !== undefined) entries.delete(`${scopeKey}\u0000${id}`);
    } else {
      upsert(m.responseBody, scope, scopeKey, at);
    }
  }
  const values = [...entries.values()];
  return {
    seed: values.map((v) => v.item),
    scopes: values.map((v) => v.scope),
    times: values.map((v) => v.at),
  };
}

/** Recorded order by `startedDateTime` (stable); an entry without a valid time stays after its predecessor. */
function chronological(matched: MatchedExchange[]): MatchedExchange[] {
  let last = -Infinity;
  const timed = matched.map((m, index) => {
    const t = Date.parse(m.exchange.startedDateTime);
    if (Number.isFinite(t)) last = t;
    return { m, index, t: Number.isFinite(t) ? t : last };
  });
  timed.sort((a, b) => a.t - b.t || a.index - b.index);
  return timed.map((x) => x.m);
}

function itemsOf(body: unknown, list: ListShape | undefined): Record<string, unknown>[] {
  const items = Array.isArray(body)
    ? body
    : isRecord(body) && list?.itemsField !== undefined && Array.isArray(body[list.itemsField])
      ? (body[list.itemsField] as unknown[])
      : [];
  return items.filter(isRecord);
}

// ---------------------------------------------------------------------------------------------

function splitSegments(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function normal(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `/v1/customers` → `v1-customers`, `/users/{userId}/repos` → `users-repos`; unique. */
function uniqueName(collectionPath: string, used: Set<string>): string {
  const base =
    splitSegments(collectionPath)
      .filter((s) => !s.includes('{'))
      .map((s) => s.replace(/[^A-Za-z0-9_.]+/g, '_'))
      .join('-') || 'resource';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}
