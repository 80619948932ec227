import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Manifest, OperationData, ResourceSpec, RouteEntry } from '../templates/runtime/core/types';
import type { ProjectConfig } from './config';
import { loadContract } from './contract/load-contract';
import { DEFAULT_LOCALE, resolveLocale } from '../templates/runtime/core/fake';
import { MockgenError } from './errors';
import { planFiles, planRoutes, type DynamicFieldNote, type FilePlan } from './emit/plan-files';
import { analyseDynamic, seedTemplates, templatize, templatizeHeaders } from './derive/dynamic';
import { defaultLatency } from './derive/latency';
import { acceptedViolations, returnedViolations } from './derive/accepted-requests';
import { buildOperationData } from './derive/operation-data';
import { buildRecordingData } from './derive/recording-data';
import { detectResources } from './derive/resources';
import { isRpcStyle } from './derive/rpc-methods';
import { detectTokenEndpoints } from './derive/token-endpoints';
import type { Contract, Diagnostic, MatchedExchange, Recordings } from './model/types';
import { learnValuePools } from './derive/value-pools';
import { loadHar } from './recordings/load-har';
import { matchExchanges } from './recordings/match-operations';

export interface GenerateSummary {
  operations: number;
  exchanges: number;
  matched: number;
  /** recorded entries outside the contract (other hosts, undocumented paths or methods) */
  unmatched: number;
  resources: number;
  dynamicFields: number;
  diagnostics: Diagnostic[];
  /** every local file read, absolute: the contract's (root first, then `$ref`ed files), then the recordings */
  inputs: string[];
}

/**
 * contract + recordings → the emitted project's files, in memory, and its route table (what
 * `src/routes.ts` lists; `data` paths are relative to `data/`). Pure apart from reading inputs.
 */
export async function planProject(
  config: ProjectConfig,
): Promise<{ files: FilePlan; routes: RouteEntry[]; summary: GenerateSummary }> {
  const contract = await loadContract(config.spec);
  const recordings: Recordings =
    config.recordings.length > 0
      ? await loadHar(config.recordings, {
          redact: { names: config.redact, securitySchemes: contract.securitySchemes },
        })
      : { files: [], exchanges: [] };
  const { matched, unmatched } = matchExchanges(contract, recordings);

  // a log that does not record response bodies (access logs, Kong) gives values and timings, not replays
  const replayable = matched.filter((m) => !m.exchange.unrecorded?.responseBody);
  const pools = learnValuePools(contract, matched);
  const locale = fakerLocale(config, contract);
  const { operations, diagnostics } = buildOperationData(contract, { seed: config.seed, pools, locale });

  const detected = detectResources(contract, replayable);
  const { resources, bindings } = detected;
  const dynamicFields: DynamicFieldNote[] = [];
  const analysis = config.dynamic
    ? analyseDynamic(replayable, { schemas: contract.schemas, resources: detected })
    : undefined;
  const recorded = buildRecordingData(replayable, {
    templatize: analysis
      ? (m: MatchedExchange, body: unknown) => {
          const result = templatize(m, body, analysis);
          dynamicFields.push(...result.fields);
          return result.value;
        }
      : undefined,
    templatizeHeaders: analysis
      ? (m: MatchedExchange) => {
          const result = templatizeHeaders(m, analysis);
          dynamicFields.push(...result.fields);
          return result.templates;
        }
      : undefined,
  });
  const tokenEndpoints = detectTokenEndpoints(contract, replayable);
  const accepted = acceptedViolations(contract, matched);
  const returned = returnedViolations(contract, replayable);
  const summaries = new Map(contract.operations.map((op) => [op.id, op.summary]));
  for (const op of operations) {
    const data = recorded.get(op.id);
    if (data) {
      op.recordings = data.recordings;
      op.latency = data.latency;
    }
    const binding = bindings.get(op.id);
    if (binding) op.resource = binding;
    if (tokenEndpoints.includes(op.id)) op.issuesTokens = true;
    const tolerated = accepted.get(op.id);
    if (tolerated) op.acceptedViolations = tolerated;
    const answered = returned.get(op.id);
    if (answered) op.returnedViolations = answered;
    const summary = summaries.get(op.id);
    if (summary) op.summary = summary;
  }

  // recorded resources keep their age, not their date; user objects with marker keys stay literal
  for (const spec of resources) {
    const times = detected.seedTimes.get(spec.name) ?? [];
    spec.seed = spec.seed.map((item, i) => seedTemplates(item, analysis ? (times[i] ?? NaN) : NaN));
  }
  seedFromExamples(resources, operations);

  const manifest: Manifest = {
    generator: 'mockgen',
    title: contract.title,
    contractVersion: contract.version,
    basePath: contract.basePath,
    seed: config.seed,
    locale,
    securitySchemes: contract.securitySchemes,
    jwtSecret: mockSecret(contract, config.seed),
    defaultLatency: defaultLatency(matched.map((m) => m.exchange.waitMs)),
    sequencePolicy: config.sequencePolicy,
    resources,
    tokenEndpoints: [...tokenEndpoints].sort(),
    ...(contract.errorSchema !== undefined ? { errorSchema: contract.errorSchema } : {}),
  };
  if (isRpcStyle(contract)) manifest.rpcMethods = true;

  const allDiagnostics = [...contract.diagnostics, ...(recordings.diagnostics ?? []), ...diagnostics];
  const files = await planFiles({
    manifest,
    schemas: contract.schemas,
    operations,
    specName: path.basename(config.spec),
    recordingCount: matched.length,
    dynamicFields: uniqueFields(dynamicFields),
    diagnostics: allDiagnostics.filter((d) => d.severity !== 'info'),
  });
  return {
    files,
    routes: planRoutes(operations),
    summary: {
      operations: operations.length,
      exchanges: recordings.exchanges.length,
      matched: matched.length,
      unmatched: unmatched.length,
      resources: resources.length,
      dynamicFields: dynamicFields.length,
      diagnostics: allDiagnostics,
      inputs: [
        ...(contract.files ?? [path.resolve(config.spec)]),
        ...recordings.files.map((f) => path.resolve(f)),
      ],
    },
  };
}

/**
 * The faker locale: the config's `locale`, else the contract's (`x-mockgen-locale`, `info.x-locale`),
 * else en. A name faker does not ship is an error naming where it was set.
 */
function fakerLocale(config: ProjectConfig, contract: Contract): string {
  const given = config.locale ?? contract.locale;
  if (given === undefined) return DEFAULT_LOCALE;
  const resolved = resolveLocale(given);
  if (resolved === undefined) {
    const where =
      config.locale !== undefined
        ? 'the config\'s "locale"'
        : `${contract.file}: x-mockgen-locale / info.x-locale`;
    throw new MockgenError(
      `${where}: no faker locale "${given}" (use one of @faker-js/faker's: en, en_GB, de, fr, ja, pt_BR...)`,
    );
  }
  return resolved;
}

/** The key the mock signs its JWTs with: stable per contract and seed, so output is deterministic. */
function mockSecret(contract: Contract, seed: number): string {
  return createHash('sha256')
    .update(`mockgen:${contract.title}:${contract.version}:${seed}`)
    .digest('base64url');
}

function uniqueFields(fields: DynamicFieldNote[]): DynamicFieldNote[] {
  const byKey = new Map<string, DynamicFieldNote>();
  for (const field of fields) {
    const key = `${field.operation}\u0000${field.pointer}`;
    if (!byKey.has(key)) byKey.set(key, field);
  }
  return [...byKey.values()].sort((a, b) =>
    a.operation === b.operation ? (a.pointer < b.pointer ? -1 : 1) : a.operation < b.operation ? -1 : 1,
  );
}

/**
 * A resource nothing was recorded for starts with the items of its list example, and ids it never
 * held are served as the documented example (Prism-like); one with recorded data answers 404 for them.
 */
function seedFromExamples(resources: ResourceSpec[], operations: OperationData[]): void {
  for (const spec of resources) {
    if (spec.seed.length > 0) {
      spec.unknownIds = 'not-found';
      continue;
    }
    spec.unknownIds = 'example';
    const listOp = operations.find(
      (op) => op.resource?.resource === spec.name && op.resource.role === 'list',
    );
    const response = listOp?.responses.find((r) => /^2\d\d$/.test(r.status) && r.content.length > 0);
    const example = response?.content.find((m) => m.mediaType.includes('json'))?.examples[0]?.value;
    const items = Array.isArray(example)
      ? example
      : spec.listEnvelope && example && typeof example === 'object'
        ? (example as Record<string, unknown>)[spec.listEnvelope.itemsField]
        : undefined;
    if (!Array.isArray(items)) continue;
    const seen = new Set<string>();
    for (const item of items) {
      const id =
        item && typeof item === 'object' ? (item as Record<string, unknown>)[spec.idField] : undefined;
      if ((typeof id !== 'string' && typeof id !== 'number') || seen.has(String(id))) continue;
      seen.add(String(id));
      spec.seed.push(item);
    }
    if (spec.scopeParams?.length) spec.seedScopes = spec.seed.map(() => ({}));
  }
}
