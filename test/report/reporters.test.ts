import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../src/drift/types';
import { ALL_KINDS } from '../../src/drift/kinds';
import type { ReportContext } from '../../src/report/context';
import { data, githubReport, property } from '../../src/report/github';
import { jsonReport } from '../../src/report/json';
import { junitReport } from '../../src/report/junit';
import { sarifReport } from '../../src/report/sarif';
import { textReport } from '../../src/report/text';

const hostile = `<tag attr="x"> & 'quote' 100% done\r\nnext: a,b ${'${x}'} */ \u2028 \u0001`;

function finding(extra: Partial<Finding> = {}): Finding {
  return {
    kind: 'invalid-response-body',
    severity: 'error',
    entry: 3,
    file: 'rec/traffic one.har',
    operation: 'GET /pets/{petId}',
    pointer: '/owner/email',
    message:
      "GET /pets/{petId} → 200: /owner/email 'n/a' is not a valid email (schema at #/components/schemas/Owner/properties/email/format)",
    schemaPointer: '#/components/schemas/Owner/properties/email/format',
    status: 200,
    rule: 'format',
    ...extra,
  };
}

const findings: Finding[] = [
  finding(),
  finding({ entry: 7 }),
  finding({ entry: 9 }),
  finding({
    kind: 'undocumented-path',
    operation: `POST /a<b>&"c'`,
    pointer: '',
    message: hostile,
    entry: 11,
    status: undefined,
    schemaPointer: undefined,
    rule: undefined,
  }),
  finding({
    severity: 'warning',
    pointer: '/nick',
    message: 'GET /pets/{petId} → 200: /nick is not documented',
    entry: 4,
    rule: 'extra-property',
  }),
];

const context: ReportContext = {
  contractFile: 'specs/api.yaml',
  recordingFiles: ['rec/traffic one.har'],
  toolVersion: '0.1.0',
  summary: {
    entries: 12,
    matched: 11,
    skipped: 0,
    otherHosts: [],
    errors: 4,
    warnings: 1,
    baselined: 0,
    operations: [
      { operation: 'GET /pets/{petId}', operationId: 'getPet', entries: 10, errors: 3, warnings: 1 },
      { operation: 'DELETE /pets/{petId}', operationId: 'deletePet', entries: 0, errors: 0, warnings: 0 },
      { operation: `POST /a<b>&"c'`, operationId: '', entries: 1, errors: 1, warnings: 0 },
    ],
    untestedOperations: ['DELETE /pets/{petId}'],
  },
};

/** A small XML reader: checks well-formedness (nesting, entities, attribute quoting) and returns the element tree. */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decode(text: string): string {
  assert.doesNotMatch(text, /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/, `bare & in ${text}`);
  assert.doesNotMatch(text, /</, `bare < in ${text}`);
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) =>
    e === 'amp'
      ? '&'
      : e === 'lt'
        ? '<'
        : e === 'gt'
          ? '>'
          : e === 'quot'
            ? '"'
            : e === 'apos'
              ? "'"
              : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function parseXml(xml: string): XmlElement {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, 'control characters are not XML');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<\?[^?]*\?>|<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(xml)) !== null) {
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      stack[stack.length - 1].text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      assert.equal(open?.name, m[2], `</${m[2]}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w.-]+)="([^"]*)"/g)) attrs[a[1]] = decode(a[2]);
    const el: XmlElement = { name: m[2], attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    if (!m[4]) stack.push(el);
  }
  assert.equal(pos, xml.length, `XML not well-formed at ${pos}: ${xml.slice(pos, pos + 40)}`);
  assert.equal(stack.length, 1, 'unclosed elements');
  assert.equal(root.children.length, 1);
  return root.children[0];
}

describe('reporters', () => {
  it('json: every finding with the exact fields, and the summary', () => {
    const report = JSON.parse(jsonReport(findings, context)) as {
      findings: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    assert.equal(report.findings.length, findings.length);
    assert.deepEqual(Object.keys(report.findings[0]).slice(0, 6), [
      'entry',
      'kind',
      'severity',
      'operation',
      'pointer',
      'message',
    ]);
    assert.equal(report.findings[3].message, hostile);
    assert.deepEqual(report.summary.untestedOperations, ['DELETE /pets/{petId}']);
    assert.equal(report.summary.contract, 'specs/api.yaml');
  });

  it('text: groups with a count and the first entries, a table per operation, colours only when asked', () => {
    const plain = textReport(findings, context);
    assert.match(plain, /error {3}invalid-response-body {2}×3 \(entries 3, 7, 9\)/);
    assert.match(plain, /warning invalid-response-body {2}entry 4/);
    assert.match(plain, /Operation\s+Entries\s+Errors\s+Warnings/);
    assert.match(plain, /GET \/pets\/\{petId\}\s+10\s+3\s+1/);
    assert.match(
      plain,
      /Untested operations \(1, no recording exercised them\):\n {2}DELETE \/pets\/\{petId\}/,
    );
    assert.match(plain, /4 errors, 1 warning in 3 groups\./);
    assert.doesNotMatch(plain, /\u001b/);
    assert.match(textReport(findings, { ...context, color: true }), /\u001b\[31;1merror/);
    const clean = textReport([], { ...context, summary: { ...context.summary, errors: 0, warnings: 0 } });
    assert.match(clean, /No drift found\./);
  });

  it('junit: well-formed XML, one testsuite, a testcase per operation, a failure per finding, escaped', () => {
    const suites = parseXml(junitReport(findings, context));
    assert.equal(suites.name, 'testsuites');
    const suite = suites.children.filter((c) => c.name === 'testsuite');
    assert.equal(suite.length, 1);
    const cases = suite[0].children.filter((c) => c.name === 'testcase');
    assert.deepEqual(
      cases.map((c) => c.attrs.name),
      ['GET /pets/{petId}', 'DELETE /pets/{petId}', `POST /a<b>&"c'`],
    );
    assert.equal(cases[0].children.filter((c) => c.name === 'failure').length, 4);
    assert.equal(cases[1].children[0].name, 'skipped');
    const hostileFailure = cases[2].children[0];
    assert.equal(hostileFailure.attrs.type, 'undocumented-path');
    assert.equal(hostileFailure.attrs.message, `[error] ${hostile.replace('\u0001', '\uFFFD')}`);
    assert.ok(hostileFailure.text.includes(`<tag attr="x"> & 'quote'`));
    assert.equal(suite[0].attrs.failures, '5');
    assert.equal(suite[0].attrs.tests, '3');
    assert.equal(suite[0].attrs.skipped, '1');
  });

  it('github: one workflow command per group, with message and property escaping', () => {
    const lines = githubReport(findings, context).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.match(line, /^::(error|warning) file=[^,:]+,title=[^,:]+::[^\r\n]+$/);
    assert.equal(
      lines[0].startsWith(
        '::error file=rec/traffic one.har,title=invalid-response-body%3A GET /pets/{petId} → 200::',
      ),
      true,
    );
    assert.match(lines[0], /\(3 entries: 3, 7, 9\)$/);
    const hostileLine = lines.find((l) => l.includes('undocumented-path'))!;
    assert.ok(hostileLine.includes('100%25 done%0D%0Anext: a,b'));
    assert.ok(hostileLine.includes(`title=undocumented-path%3A POST /a<b>&"c'::`));
    assert.ok(lines[2].startsWith('::warning '));
    assert.equal(data('50% \r\n'), '50%25 %0D%0A');
    assert.equal(property('a:b,c%'), 'a%3Ab%2Cc%25');
    assert.equal(githubReport([], context), '');
  });

  it('sarif: valid against the SARIF 2.1.0 schema, rules from the catalogue, located in the HAR and the contract', () => {
    const log = JSON.parse(sarifReport(findings, context)) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
          relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
          partialFingerprints: Record<string, string>;
        }[];
      }[];
    };

    const Ajv4 = require('ajv-draft-04') as new (options: object) => {
      compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
    };

    const addFormats = require('ajv-formats') as (ajv: unknown) => void;
    const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(process.cwd(), 'test', 'fixtures', 'drift', 'sarif-schema-2.1.0.json'),
        'utf8',
      ),
    ) as object;
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...log, version: '2.0' }), false, 'the schema check is real');

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
    assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'rec/traffic%20one.har');
    assert.equal(first.relatedLocations?.[0].physicalLocation.artifactLocation.uri, 'specs/api.yaml');
    assert.match(first.message.text, /\(3 entries, first 3\)$/);
    assert.ok(first.partialFingerprints['mockgenDrift/v1']);
    assert.ok(run.results.some((r) => r.level === 'warning'));
  });
});
