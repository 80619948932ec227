import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locatePointers } from '../../src/contract/locate-pointers';
import { ALL_KINDS } from '../../src/drift/kinds';
import type { Finding } from '../../src/drift/types';
import type { ReportContext } from '../../src/report/context';
import { contractPointers } from '../../src/report/contract-location';
import { artifactLocation, sarifReport } from '../../src/report/sarif';
import { context, finding, findings } from './sample';

interface Location {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number; startColumn?: number };
  };
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Location[];
      relatedLocations?: Location[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const fixtures = path.join(process.cwd(), 'test', 'fixtures', 'drift');

function validator(): ((data: unknown) => boolean) & { errors?: unknown } {
  const Ajv4 = require('ajv-draft-04') as new (options: object) => {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
  };
  const addFormats = require('ajv-formats') as (ajv: unknown) => void;
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const schema = JSON.parse(
    fs.readFileSync(path.join(fixtures, 'sarif-schema-2.1.0.json'), 'utf8'),
  ) as object;
  return ajv.compile(schema);
}

function sarif(list: Finding[], ctx: ReportContext): SarifLog {
  const log = JSON.parse(sarifReport(list, ctx)) as SarifLog;
  const validate = validator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  for (const result of log.runs[0].results) {
    assert.ok(result.locations.length > 0);
    for (const location of result.locations) {
      assert.ok(location.physicalLocation.artifactLocation.uri);
      assert.ok(location.physicalLocation.region, 'GitHub code scanning needs a region');
      assert.ok(location.physicalLocation.region.startLine >= 1);
    }
  }
  return log;
}

/** A context that knows the fixture contract's text, as the CLI builds it. */
function placed(list: Finding[], spec: string, operationPointers: Record<string, string>): ReportContext {
  const wanted = list.flatMap((f) => contractPointers(f, operationPointers));
  return {
    ...context,
    contractFile: spec,
    operationPointers,
    contractPositions: locatePointers(fs.readFileSync(spec, 'utf8'), wanted),
    sourceRoot: process.cwd(),
  };
}

/** 1-based line of the first line of `file` matching `re`. */
function lineOf(file: string, re: RegExp): number {
  const index = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => re.test(l));
  assert.ok(index >= 0, `${re} not in ${file}`);
  return index + 1;
}

describe('sarif reporter', () => {
  it('valid against the SARIF 2.1.0 schema, rules from the catalogue, located in the contract with the HAR related', () => {
    assert.equal(
      validator()({ ...JSON.parse(sarifReport(findings, context)), version: '2.0' }),
      false,
      'the schema check is real',
    );
    const log = sarif(findings, context);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((r) => r.id),
      ALL_KINDS.map((k) => k.kind),
    );
    assert.equal(run.results.length, 3);
    const first = run.results[0];
    assert.equal(first.ruleId, 'invalid-response-body');
    assert.equal(run.tool.driver.rules[first.ruleIndex].id, first.ruleId);
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, {
      uri: 'specs/api.yaml',
      uriBaseId: '%SRCROOT%',
    });
    // a context that cannot place findings puts them on line 1 (code scanning still shows them)
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 1 });
    assert.equal(first.relatedLocations?.[0].physicalLocation.artifactLocation.uri, 'rec/traffic%20one.har');
    assert.match(first.message.text, /\(3 entries, first 3\)$/);
    assert.ok(first.partialFingerprints['mockgenDrift/v1']);
    assert.ok(run.results.some((r) => r.level === 'warning'));
  });

  it('every result sits on the contract line of its schema, else of its operation, else of `paths` (YAML)', () => {
    const spec = path.join(fixtures, 'petstore-30.yaml');
    const list: Finding[] = [
      finding(),
      finding({
        kind: 'invalid-parameter',
        pointer: '/query/limit',
        schemaPointer: '#/paths/~1pets/get/parameters/0/schema/maximum',
        operation: 'GET /pets',
      }),
      // the model's name for an inline schema is not in the text: the operation it belongs to is
      finding({ pointer: '/x', schemaPointer: '#/components/schemas/paths.pets.get.responses.200/items' }),
      // converted away (`nullable` → `anyOf`): the nearest parent in the text
      finding({
        pointer: '/nickname',
        schemaPointer: '#/components/schemas/Pet/properties/nickname/anyOf/1',
      }),
      finding({
        kind: 'undocumented-path',
        operation: 'GET /v1/unknown',
        pointer: '',
        schemaPointer: undefined,
      }),
    ];
    const ops = { 'GET /pets/{petId}': '/paths/~1pets~1{petId}/get', 'GET /pets': '/paths/~1pets/get' };
    const log = sarif(list, placed(list, spec, ops));
    const regions = new Map(
      log.runs[0].results.map((r) => [
        (r as unknown as { properties: { pointer: string } }).properties.pointer,
        r.locations[0].physicalLocation.region,
      ]),
    );
    const email = lineOf(spec, /^ {8}email: \{ type: string, format: email \}/);
    assert.deepEqual(regions.get('/owner/email'), { startLine: email, startColumn: 32 });
    assert.equal(
      regions.get('/query/limit')?.startLine,
      lineOf(spec, /schema: \{ type: integer, minimum: 1, maximum: 100 \}/),
    );
    assert.equal(regions.get('/x')?.startLine, lineOf(spec, /operationId: getPet/) - 1);
    assert.deepEqual(regions.get('/nickname'), {
      startLine: lineOf(spec, /^ {8}nickname: \{ type: string, nullable: true \}/),
      startColumn: 9,
    });
    assert.deepEqual(
      regions.get(''),
      { startLine: lineOf(spec, /^paths:/), startColumn: 1 },
      'undocumented: at paths',
    );
    assert.equal(
      log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
      'test/fixtures/drift/petstore-30.yaml',
    );
    assert.equal(log.runs[0].originalUriBaseIds?.['%SRCROOT%'].uri.endsWith('/'), true);
  });

  it('places results in a JSON contract (Swagger 2.0) too', () => {
    const spec = path.join(fixtures, 'petstore-20.json');
    const list = [finding({ schemaPointer: '#/definitions/Owner/properties/email/format' })];
    const log = sarif(list, placed(list, spec, {}));
    const region = log.runs[0].results[0].locations[0].physicalLocation.region!;
    assert.equal(region.startLine, lineOf(spec, /^ {4}"Owner": /));
    const line = fs.readFileSync(spec, 'utf8').split('\n')[region.startLine - 1];
    assert.equal(line.slice(region.startColumn! - 1).slice(0, 8), '"format"');
  });

  it('URIs relative to the source root with %SRCROOT%; outside it, absolute file URIs', () => {
    const root = path.resolve('/repo');
    assert.deepEqual(artifactLocation(path.join(root, 'api', 'open api.yaml'), root), {
      uri: 'api/open%20api.yaml',
      uriBaseId: '%SRCROOT%',
    });
    assert.deepEqual(artifactLocation('api.yaml', process.cwd()), {
      uri: 'api.yaml',
      uriBaseId: '%SRCROOT%',
    });
    assert.match(
      artifactLocation(path.resolve('/elsewhere/api.yaml'), root).uri,
      /^file:\/\/\/.*elsewhere\/api\.yaml$/,
    );
    assert.equal(artifactLocation(path.resolve('/elsewhere/api.yaml'), root).uriBaseId, undefined);
  });
});
