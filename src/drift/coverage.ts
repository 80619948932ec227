import type { Contract, Defs, JsonSchema, Operation, ResponseSpec } from '../model/types';
import { defName, escapeToken } from '../../templates/runtime/core/pointer';
import { MockgenError } from '../errors';
import { operationLabel } from './match';

/**
 * Coverage: which documented operations, parameters, response codes and body properties the traffic
 * exercised. Built for drift's single pass: `coverageIndex` walks the contract once into numbered
 * slots (per operation: its parameters, its responses, the properties of its request and response
 * bodies as trees); `countExchange` bumps counters from what the check already read (parameter values,
 * the matched response, the parsed bodies), walking a body only along its schema's property tree,
 * with a visit budget; `summarizeCoverage` turns the counters into plain data.
 */

export const COVERAGE_DIMENSIONS = ['operations', 'parameters', 'responses', 'properties'] as const;
export type CoverageDimension = (typeof COVERAGE_DIMENSIONS)[number];

export interface CoverageCount {
  covered: number;
  total: number;
  /** covered / total × 100, one decimal; `null` when there is nothing to cover */
  percent: number | null;
}

export interface OperationCoverage {
  /** `GET /pets/{petId}` */
  operation: string;
  operationId: string;
  /** recorded entries that exercised it */
  entries: number;
  /** every documented parameter, with the number of entries that sent it */
  parameters: { in: string; name: string; hits: number }[];
  /** every documented response (`200`, `4XX`, `default`), with the number of entries answered by it */
  responses: { status: string; hits: number }[];
  /**
   * every documented body property: `body` is `request` or the response's status; `pointer` is the
   * property's place in the body (`/owner/email`; `*` stands for any array item); hits = entries
   */
  properties: { body: string; pointer: string; hits: number }[];
  /** the schema had more properties than are counted (a cap keeps huge or recursive schemas bounded) */
  propertiesTruncated?: boolean;
  parametersCoverage: CoverageCount;
  responsesCoverage: CoverageCount;
  propertiesCoverage: CoverageCount;
}

export interface CoverageThreshold {
  dimension: CoverageDimension;
  /** the `--min-coverage` percentage */
  minimum: number;
  /** measured percentage (`null`: nothing to cover, which passes) */
  actual: number | null;
  passed: boolean;
}

export interface Coverage {
  totals: Record<CoverageDimension, CoverageCount>;
  /** documented operations, in contract order */
  operations: OperationCoverage[];
  /** `--min-coverage` results, when given */
  thresholds?: CoverageThreshold[];
}

/** Bounds that keep coverage cheap whatever the contract or the traffic. */
export const COVERAGE_LIMITS = {
  /** property slots per body (request, or one response) */
  propertiesPerBody: 400,
  /** nesting depth of counted properties */
  depth: 8,
  /** value nodes visited per recorded body */
  visitsPerBody: 2000,
};

/** A schema's properties as a tree the recorded body is walked along: names → slot + subtree. */
interface PropertyTree {
  props: Map<string, PropertyNode>;
  /** array items (`items`, `prefixItems`) */
  items?: PropertyTree;
}

interface PropertyNode {
  slot: number;
  tree?: PropertyTree;
}

interface OperationSlots {
  op: Operation;
  label: string;
  responses: ResponseSpec[];
  request?: PropertyTree;
  /** per response, in `op.responses` order */
  responseTrees: (PropertyTree | undefined)[];
  properties: { body: string; pointer: string }[];
  truncated: boolean;
}

export interface CoverageIndex {
  operations: OperationSlots[];
  byOperation: Map<Operation, number>;
}

/** The counters: per operation, entries and hits per parameter / response / property slot. */
export interface CoverageCounts {
  entries: number[];
  parameters: number[][];
  responses: number[][];
  properties: number[][];
  /** per operation and property slot, the last exchange that hit it (hits count entries, not items) */
  stamps: number[][];
  serial: number;
}

/** What one checked exchange exercised; the drift check fills it from what it already read. */
export interface ExchangeCoverage {
  op: Operation;
  /** parameter values as the request interpreter read them: `params[in][name]` */
  params?: Record<string, Record<string, unknown> | undefined>;
  /** the parsed request body */
  requestBody?: unknown;
  /** the documented response that answered (exact code, range or `default`) */
  response?: ResponseSpec;
  /** the parsed response body */
  responseBody?: unknown;
}

/** Numbers every documented parameter, response and body property of the contract (once per run). */
export function coverageIndex(contract: Contract): CoverageIndex {
  const operations: OperationSlots[] = [];
  const byOperation = new Map<Operation, number>();
  for (const op of contract.operations) {
    const slots: OperationSlots = {
      op,
      label: operationLabel(op),
      responses: op.responses,
      responseTrees: [],
      properties: [],
      truncated: false,
    };
    if (op.requestBody)
      slots.request = propertyTree(
        op.requestBody.content.map((m) => m.schema),
        contract.schemas,
        'request',
        slots,
      );
    for (const response of op.responses) {
      slots.responseTrees.push(
        propertyTree(
          response.content.map((m) => m.schema),
          contract.schemas,
          response.status,
          slots,
        ),
      );
    }
    byOperation.set(op, operations.length);
    operations.push(slots);
  }
  return { operations, byOperation };
}

export function emptyCounts(index: CoverageIndex): CoverageCounts {
  return {
    entries: index.operations.map(() => 0),
    parameters: index.operations.map((s) => s.op.parameters.map(() => 0)),
    responses: index.operations.map((s) => s.responses.map(() => 0)),
    properties: index.operations.map((s) => s.properties.map(() => 0)),
    stamps: index.operations.map((s) => s.properties.map(() => -1)),
    serial: 0,
  };
}

/**
 * Adds the hits of `from` (another run over other entries, same contract) to `into`. Property hits
 * count entries, so the sums stay exact when each entry was counted by one run only.
 */
export function addCounts(into: CoverageCounts, from: CoverageCounts): void {
  const add = (a: number[], b: number[]): void => {
    for (let k = 0; k < a.length; k++) a[k] += b[k] ?? 0;
  };
  add(into.entries, from.entries);
  for (let op = 0; op < into.entries.length; op++) {
    add(into.parameters[op], from.parameters[op] ?? []);
    add(into.responses[op], from.responses[op] ?? []);
    add(into.properties[op], from.properties[op] ?? []);
  }
}

/** Counts what one exchange exercised (mutates `counts`; nothing else is kept). */
export function countExchange(index: CoverageIndex, counts: CoverageCounts, seen: ExchangeCoverage): void {
  const i = index.byOperation.get(seen.op);
  if (i === undefined) return;
  const slots = index.operations[i];
  counts.entries[i]++;
  const serial = ++counts.serial;
  if (seen.params) {
    const hits = counts.parameters[i];
    const params = slots.op.parameters;
    for (let p = 0; p < params.length; p++) {
      if (seen.params[params[p].in]?.[params[p].name] !== undefined) hits[p]++;
    }
  }
  const walk = { hits: counts.properties[i], stamps: counts.stamps[i], serial, budget: 0 };
  if (slots.request && seen.requestBody !== undefined) {
    walk.budget = COVERAGE_LIMITS.visitsPerBody;
    walkBody(slots.request, seen.requestBody, walk);
  }
  if (seen.response) {
    const r = slots.responses.indexOf(seen.response);
    if (r >= 0) {
      counts.responses[i][r]++;
      const tree = slots.responseTrees[r];
      if (tree && seen.responseBody !== undefined) {
        walk.budget = COVERAGE_LIMITS.visitsPerBody;
        walkBody(tree, seen.responseBody, walk);
      }
    }
  }
}

interface Walk {
  hits: number[];
  stamps: number[];
  serial: number;
  budget: number;
}

function walkBody(tree: PropertyTree, value: unknown, walk: Walk): void {
  if (value === null || typeof value !== 'object' || --walk.budget < 0) return;
  if (Array.isArray(value)) {
    if (tree.items) for (const item of value) walkBody(tree.items, item, walk);
    return;
  }
  for (const key in value) {
    const node = tree.props.get(key);
    if (node === undefined) continue;
    if (walk.stamps[node.slot] !== walk.serial) {
      walk.stamps[node.slot] = walk.serial;
      walk.hits[node.slot]++;
    }
    if (node.tree) walkBody(node.tree, (value as Record<string, unknown>)[key], walk);
  }
}

/** The counters as plain data: per operation what was and was not exercised, and the totals. */
export function summarizeCoverage(index: CoverageIndex, counts: CoverageCounts): Coverage {
  const operations = index.operations.map((slots, i): OperationCoverage => {
    const parameters = slots.op.parameters.map((p, j) => ({
      in: p.in,
      name: p.name,
      hits: counts.parameters[i][j],
    }));
    const responses = slots.responses.map((r, j) => ({ status: r.status, hits: counts.responses[i][j] }));
    const properties = slots.properties.map((p, j) => ({ ...p, hits: counts.properties[i][j] }));
    const row: OperationCoverage = {
      operation: slots.label,
      operationId: slots.op.id,
      entries: counts.entries[i],
      parameters,
      responses,
      properties,
      parametersCoverage: ratio(countHit(parameters), parameters.length),
      responsesCoverage: ratio(countHit(responses), responses.length),
      propertiesCoverage: ratio(countHit(properties), properties.length),
    };
    if (slots.truncated) row.propertiesTruncated = true;
    return row;
  });
  const sum = (key: 'parametersCoverage' | 'responsesCoverage' | 'propertiesCoverage'): CoverageCount =>
    ratio(
      operations.reduce((n, o) => n + o[key].covered, 0),
      operations.reduce((n, o) => n + o[key].total, 0),
    );
  return {
    totals: {
      operations: ratio(operations.filter((o) => o.entries > 0).length, operations.length),
      parameters: sum('parametersCoverage'),
      responses: sum('responsesCoverage'),
      properties: sum('propertiesCoverage'),
    },
    operations,
  };
}

function countHit(list: { hits: number }[]): number {
  let n = 0;
  for (const item of list) if (item.hits > 0) n++;
  return n;
}

export function ratio(covered: number, total: number): CoverageCount {
  return { covered, total, percent: total === 0 ? null : Math.round((covered / total) * 1000) / 10 };
}

/** `--min-coverage` per dimension (percent, 0–100). */
export type CoverageMinimums = Partial<Record<CoverageDimension, number>>;

/**
 * Parses `--min-coverage` values: `80` (operations), `operations=80`, `parameters=50,responses=60`;
 * repeated flags add up. A bad value is a user error naming the flag.
 */
export function parseMinCoverage(values: readonly string[]): CoverageMinimums {
  const out: CoverageMinimums = {};
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      const eq = item.indexOf('=');
      const name = eq < 0 ? 'operations' : item.slice(0, eq).trim();
      const number = eq < 0 ? item : item.slice(eq + 1).trim();
      if (!(COVERAGE_DIMENSIONS as readonly string[]).includes(name)) {
        throw new MockgenError(
          `--min-coverage '${value}': unknown dimension '${name}'; use a percentage (operations) or ${COVERAGE_DIMENSIONS.map((d) => `${d}=N`).join(', ')}.`,
        );
      }
      const percent = /^\d+(\.\d+)?%?$/.test(number) ? Number(number.replace('%', '')) : NaN;
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw new MockgenError(
          `--min-coverage '${value}': '${number}' is not a percentage from 0 to 100 (e.g. --min-coverage 80 or --min-coverage operations=80,responses=60).`,
        );
      }
      out[name as CoverageDimension] = percent;
    }
  }
  return out;
}

/** Each minimum against the totals; a dimension with nothing to cover passes. */
export function checkMinimums(coverage: Coverage, minimums: CoverageMinimums): CoverageThreshold[] {
  return COVERAGE_DIMENSIONS.filter((d) => minimums[d] !== undefined).map((dimension) => {
    const minimum = minimums[dimension]!;
    const { covered, total, percent } = coverage.totals[dimension];
    return { dimension, minimum, actual: percent, passed: total === 0 || covered * 100 >= minimum * total };
  });
}

/** `operations 40% (2 of 5) is below the minimum of 80%` for each failed threshold. */
export function describeFailedThresholds(coverage: Coverage): string[] {
  return (coverage.thresholds ?? [])
    .filter((t) => !t.passed)
    .map((t) => {
      const { covered, total } = coverage.totals[t.dimension];
      return `${t.dimension} coverage ${t.actual}% (${covered} of ${total}) is below --min-coverage ${t.dimension}=${t.minimum}`;
    });
}

// ---------------------------------------------------------------------------------------------
// Property trees

interface TreeBuild {
  defs: Defs;
  body: string;
  slots: OperationSlots;
  /** slots given to this body so far */
  count: number;
}

/** The union of the properties of `schemas` (all media types of one body); undefined when none. */
function propertyTree(
  schemas: (JsonSchema | undefined)[],
  defs: Defs,
  body: string,
  slots: OperationSlots,
): PropertyTree | undefined {
  const tree: PropertyTree = { props: new Map() };
  const build: TreeBuild = { defs, body, slots, count: 0 };
  for (const schema of schemas) if (schema !== undefined) collect(build, schema, tree, '', 0, []);
  return prune(tree);
}

function collect(
  build: TreeBuild,
  schema: JsonSchema,
  tree: PropertyTree,
  pointer: string,
  depth: number,
  refs: readonly string[],
): void {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    const name = defName(s.$ref);
    // a schema that contains itself is counted down to its first repetition
    if (name !== undefined && !refs.includes(name) && build.defs[name] !== undefined)
      collect(build, build.defs[name], tree, pointer, depth, [...refs, name]);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const branches = s[key];
    if (Array.isArray(branches))
      for (const branch of branches) collect(build, branch as JsonSchema, tree, pointer, depth, refs);
  }
  const properties = s.properties;
  if (properties !== null && typeof properties === 'object' && depth < COVERAGE_LIMITS.depth) {
    for (const [name, sub] of Object.entries(properties as Record<string, JsonSchema>)) {
      let node = tree.props.get(name);
      const at = `${pointer}/${escapeToken(name)}`;
      if (!node) {
        if (build.count >= COVERAGE_LIMITS.propertiesPerBody) {
          build.slots.truncated = true;
          return;
        }
        build.count++;
        node = { slot: build.slots.properties.length };
        build.slots.properties.push({ body: build.body, pointer: at });
        tree.props.set(name, node);
      }
      node.tree ??= { props: new Map() };
      collect(build, sub, node.tree, at, depth + 1, refs);
    }
  }
  const items = [s.items, ...(Array.isArray(s.prefixItems) ? s.prefixItems : [])];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || depth >= COVERAGE_LIMITS.depth) continue;
    tree.items ??= { props: new Map() };
    collect(build, item as JsonSchema, tree.items, `${pointer}/*`, depth + 1, refs);
  }
}

/** Subtrees without properties are dropped, so the walk stops where nothing is counted. */
function prune(tree: PropertyTree): PropertyTree | undefined {
  for (const node of tree.props.values()) node.tree = node.tree && prune(node.tree);
  tree.items = tree.items && prune(tree.items);
  return tree.props.size === 0 && tree.items === undefined ? undefined : tree;
}
