import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/drift/types';
import type { FailOn, ReportContext } from '../../src/report/context';
import { attr, junitReport, text } from '../../src/report/junit';
import { assertJunit10, parseXml, type XmlElement } from '../helpers/xml';
import { context, finding, findings, hostile, hostileInXml } from './sample';

function report(list: Finding[], extra: Partial<ReportContext> = {}) {
  const suites = parseXml(junitReport(list, { ...context, ...extra }));
  assertJunit10(suites);
  assert.equal(suites.name, 'testsuites');
  const suite = suites.children.filter((c) => c.name === 'testsuite');
  assert.equal(suite.length, 1);
  const cases = suite[0].children.filter((c) => c.name === 'testcase');
  const byName = (name: string): XmlElement => {
    const found = cases.find((c) => c.attrs.name === name);
    assert.ok(found, `no testcase ${name} in ${cases.map((c) => c.attrs.name).join(', ')}`);
    return found;
  };
  const failing = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
  return { suites, suite: suite[0], cases, byName, failing };
}

const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);

const warningOnly = finding({
  severity: 'warning',
  pointer: '/nick',
  message: 'GET /pets/{petId} → 200: /nick is not documented',
  entry: 4,
  rule: 'extra-property',
  kind: 'invalid-response-body',
  schemaPointer: '#/components/schemas/Pet',
});
const statusError = finding({
  kind: 'undocumented-status',
  pointer: '',
  status: 418,
  message: 'GET /pets/{petId} → 418 is not documented',
  entry: 5,
  rule: undefined,
  schemaPointer: '#/paths/~1pets~1{petId}/get/responses',
});

describe('junit reporter', () => {
  it('follows junit-10.xsd: testsuites and testsuite counts, properties, testcase name/classname/time', () => {
    const { suites, suite, cases } = report(findings, {
      durationMs: 1234,
      startedAt: '2024-05-01T10:00:00Z',
    });
    assert.deepEqual(
      ['name', 'tests', 'failures', 'errors', 'time'].map((a) => suites.attrs[a]),
      ['mockgen drift', String(cases.length), suite.attrs.failures, '0', '1.234'],
    );
    assert.equal(suite.attrs.timestamp, '2024-05-01T10:00:00Z');
    assert.equal(suite.attrs.tests, String(cases.length));
    for (const c of cases) {
      assert.equal(c.attrs.classname, 'mockgen.drift');
      assert.equal(c.attrs.time, '0');
    }
    const props = child(suite, 'properties')!.children.map((p) => [p.attrs.name, p.attrs.value]);
    assert.deepEqual(props, [
      ['contract', 'specs/api.yaml'],
      ['recordings', 'rec/traffic one.har'],
      ['entries', '12'],
      ['fail-on', 'error'],
    ]);
  });

  it('one testcase per operation and kind; failures counts failing testcases, not findings', () => {
    const { suite, cases, byName, failing } = report(findings);
    assert.deepEqual(
      cases.map((c) => c.attrs.name),
      [
        'GET /pets/{petId}: invalid-response-body',
        'DELETE /pets/{petId}: untested',
        `POST /a<b>&"c': undocumented-path`,
      ],
    );
    assert.equal(findings.length, 5);
    assert.equal(failing.length, 2);
    assert.equal(suite.attrs.failures, '2');
    assert.equal(suite.attrs.skipped, '1');
    assert.equal(suite.attrs.tests, '3');
    const pets = byName('GET /pets/{petId}: invalid-response-body');
    const failures = pets.children.filter((c) => c.name === 'failure');
    assert.equal(failures.length, 1, 'one <failure> per testcase (readers show only one)');
    assert.equal(failures[0].attrs.type, 'invalid-response-body');
    assert.match(
      failures[0].attrs.message,
      /^\[error\] GET \/pets\/\{petId\} → 200: \/owner\/email .* \(4 findings\)$/,
    );
    // the three identical errors are one block with their entries; the warning rides along
    assert.match(failures[0].text, /3 entries: 3, 7, 9 \(rec\/traffic one\.har\)/);
    assert.match(failures[0].text, /warning: GET \/pets\/\{petId\} → 200: \/nick is not documented/);
    assert.equal(byName('DELETE /pets/{petId}: untested').children[0].name, 'skipped');
  });

  it('escapes data in attributes and text; characters XML 1.0 cannot hold are replaced', () => {
    const { byName } = report(findings);
    const failure = child(byName(`POST /a<b>&"c': undocumented-path`), 'failure')!;
    assert.equal(failure.attrs.message, `[error] ${hostileInXml}`);
    assert.ok(failure.text.includes(hostileInXml), failure.text);
    const xml = junitReport(findings, context);
    assert.ok(xml.includes(']]&gt;'), '`]]>` cannot end anything');
    assert.ok(xml.includes('\u2028'), 'U+2028 is a legal XML character and stays');
    assert.equal(text('a]]>b\r\n'), 'a]]&gt;b&#13;\n');
    assert.equal(attr(`"'<&>\t\n\r`), '&quot;&apos;&lt;&amp;&gt;&#9;&#10;&#13;');
    assert.equal(attr('\u0000\u0008\u000B\u001F\uFFFF\uDC00'), '\uFFFD'.repeat(6));
    assert.equal(attr('\uD83D\uDE00'), '\uD83D\uDE00', 'a surrogate pair is a character');
    assert.ok(hostile.includes('\u0000'));
  });

  it('warnings are not failures with the default --fail-on: a passing testcase with the details in system-out', () => {
    const list = [warningOnly, statusError];
    const { suite, byName, failing } = report(list);
    assert.equal(suite.attrs.failures, '1');
    assert.deepEqual(
      failing.map((c) => c.attrs.name),
      ['GET /pets/{petId}: undocumented-status'],
    );
    const warned = byName('GET /pets/{petId}: invalid-response-body');
    assert.equal(child(warned, 'failure'), undefined);
    assert.match(
      child(warned, 'system-out')!.text,
      /^warning: GET \/pets\/\{petId\} → 200: \/nick is not documented/,
    );
    assert.match(child(warned, 'system-out')!.text, /schema: #\/components\/schemas\/Pet/);
  });

  it('--fail-on decides: warning fails warning-only kinds, never fails nothing', () => {
    const failingUnder = (failOn: FailOn) => report([warningOnly, statusError], { failOn }).failing.length;
    assert.equal(failingUnder('error'), 1);
    assert.equal(failingUnder('warning'), 2);
    assert.equal(failingUnder('never'), 0);
    const never = report([warningOnly, statusError], { failOn: 'never' });
    assert.equal(never.suite.attrs.failures, '0');
    assert.match(
      child(never.byName('GET /pets/{petId}: undocumented-status'), 'system-out')!.text,
      /^error: /,
    );
  });

  it('operations the contract documents without findings pass; no findings at all is a clean suite', () => {
    const { cases, suite } = report([], { summary: { ...context.summary, untestedOperations: [] } });
    assert.deepEqual(
      cases.map((c) => [c.attrs.name, c.children.length]),
      [
        ['GET /pets/{petId}: conforms to the contract', 0],
        ['DELETE /pets/{petId}: conforms to the contract', 0],
        [`POST /a<b>&"c': conforms to the contract`, 0],
      ],
    );
    assert.equal(suite.attrs.failures, '0');
    // an operation only the findings know (an undocumented path) still gets its testcase
    const { byName } = report([statusError], {
      summary: { ...context.summary, operations: [], untestedOperations: [] },
    });
    assert.ok(child(byName('GET /pets/{petId}: undocumented-status'), 'failure'));
  });
});
