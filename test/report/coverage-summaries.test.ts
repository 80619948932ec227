import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ratio, type Coverage } from '../../src/drift/coverage';
import type { ReportContext } from '../../src/report/context';
import { githubReport } from '../../src/report/github';
import { junitReport } from '../../src/report/junit';
import { sarifReport } from '../../src/report/sarif';
import { textReport } from '../../src/report/text';
import { assertJunit10, parseXml } from '../helpers/xml';
import { context, findings } from './sample';

const coverage: Coverage = {
  totals: {
    operations: ratio(1, 2),
    parameters: ratio(1, 1),
    responses: ratio(1, 3),
    properties: ratio(0, 0),
  },
  operations: [
    {
      operation: 'GET /pets/{petId}',
      operationId: 'getPet',
      entries: 10,
      parameters: [{ in: 'path', name: 'petId', hits: 10 }],
      responses: [
        { status: '200', hits: 10 },
        { status: '404', hits: 0 },
      ],
      properties: [],
      parametersCoverage: ratio(1, 1),
      responsesCoverage: ratio(1, 2),
      propertiesCoverage: ratio(0, 0),
    },
    {
      operation: 'DELETE /pets/{petId}',
      operationId: 'deletePet',
      entries: 0,
      parameters: [],
      responses: [{ status: '204', hits: 0 }],
      properties: [],
      parametersCoverage: ratio(0, 0),
      responsesCoverage: ratio(0, 1),
      propertiesCoverage: ratio(0, 0),
    },
  ],
  thresholds: [
    { dimension: 'operations', minimum: 80, actual: 50, passed: false },
    { dimension: 'parameters', minimum: 50, actual: 100, passed: true },
  ],
};
const withCoverage: ReportContext = { ...context, coverage };

describe('coverage in the text, junit, github and sarif reports', () => {
  it('text: totals, the failed minimum, and per-operation columns', () => {
    const out = textReport(findings, withCoverage);
    assert.match(
      out,
      /Coverage: operations 1\/2 \(50%\), parameters 1\/1 \(100%\), response codes 1\/3 \(33\.3%\), body properties 0\/0\n/,
    );
    assert.match(
      out,
      /Below the minimum: operations coverage 50% \(1 of 2\) is below --min-coverage operations=80/,
    );
    assert.doesNotMatch(out, /Below the minimum: parameters/);
    assert.match(out, /Operation\s+Entries\s+Errors\s+Warnings\s+Parameters\s+Responses\s+Properties/);
    assert.match(out, /GET \/pets\/\{petId\}\s+10\s+3\s+1\s+1\/1\s+1\/2\s+-/);
    // without coverage the report is as before
    assert.doesNotMatch(textReport(findings, context), /Coverage:|Parameters/);
  });

  it('junit: coverage properties and one testcase per --min-coverage dimension, failing below it', () => {
    const suites = parseXml(junitReport(findings, withCoverage));
    assertJunit10(suites);
    const suite = suites.children[0];
    const properties = suite.children.find((c) => c.name === 'properties')!.children;
    assert.deepEqual(
      properties
        .filter((p) => p.attrs.name.startsWith('coverage.'))
        .map((p) => [p.attrs.name, p.attrs.value]),
      [
        ['coverage.operations', '1/2 (50%)'],
        ['coverage.parameters', '1/1 (100%)'],
        ['coverage.responses', '1/3 (33.3%)'],
        ['coverage.properties', '0/0'],
      ],
    );
    const cases = suite.children.filter((c) => c.name === 'testcase');
    const operations = cases.find((c) => c.attrs.name === 'coverage: operations ≥ 80%')!;
    assert.ok(operations.children.some((c) => c.name === 'failure'));
    const parameters = cases.find((c) => c.attrs.name === 'coverage: parameters ≥ 50%')!;
    assert.ok(!parameters.children.some((c) => c.name === 'failure'));
    const failing = cases.filter((c) => c.children.some((x) => x.name === 'failure')).length;
    assert.equal(suite.attrs.failures, String(failing));
  });

  it('github: a notice with the totals and an error per failed minimum', () => {
    const lines = githubReport(findings, withCoverage).trimEnd().split('\n');
    assert.equal(lines.length, 3 + 2);
    assert.equal(
      lines[3],
      '::notice file=specs/api.yaml,title=mockgen drift coverage::operations 1/2 (50%25), parameters 1/1 (100%25), response codes 1/3 (33.3%25), body properties 0/0',
    );
    assert.match(
      lines[4],
      /^::error file=specs\/api\.yaml,title=mockgen drift coverage below the minimum::operations coverage 50%25/,
    );
  });

  it('sarif: the totals and thresholds as run properties, still valid SARIF 2.1.0', () => {
    const log = JSON.parse(sarifReport(findings, withCoverage)) as {
      runs: { properties: { coverage: Record<string, unknown> } }[];
    };
    const Ajv4 = require('ajv-draft-04') as new (options: object) => {
      compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
    };
    const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
    (require('ajv-formats') as (ajv: unknown) => void)(ajv);
    const schema = path.join(process.cwd(), 'test', 'fixtures', 'drift', 'sarif-schema-2.1.0.json');
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schema, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const props = log.runs[0].properties.coverage;
    assert.deepEqual(props.operations, { covered: 1, total: 2, percent: 50 });
    assert.deepEqual(props.thresholds, coverage.thresholds);
  });
});
