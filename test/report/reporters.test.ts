import { strict as assert } from 'node:assert';
import { githubReport, data, property } from '../../src/report/github';
import { jsonReport } from '../../src/report/json';
import { textReport } from '../../src/report/text';
import { context, findings, hostile } from './sample';

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
    // recorded data cannot drive the terminal: controls are shown, not obeyed
    assert.ok(plain.includes('100% done\\r\\nnext:\ta,b ${x} */ \u2028 \\u0001\\u001b\\u0000'), plain);
    assert.doesNotMatch(plain, /[\r\u0000]/);
    assert.match(textReport(findings, { ...context, color: true }), /\u001b\[31;1merror/);
    const clean = textReport([], { ...context, summary: { ...context.summary, errors: 0, warnings: 0 } });
    assert.match(clean, /No drift found\./);
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
    assert.ok(hostileLine.includes('100%25 done%0D%0Anext:\ta,b'));
    assert.ok(hostileLine.includes(`title=undocumented-path%3A POST /a<b>&"c'::`));
    assert.ok(lines[2].startsWith('::warning '));
    assert.equal(data('50% \r\n'), '50%25 %0D%0A');
    assert.equal(property('a:b,c%'), 'a%3Ab%2Cc%25');
    assert.equal(githubReport([], context), '');
  });
});
