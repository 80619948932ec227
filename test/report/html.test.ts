import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { htmlReport, htmlReportData, jsonForScript, schemaPreviews } from '../../src/report/html';
import { context, findings, hostile } from './sample';

/** The page's parts a browser would act on: scripts, styles, the CSP. */
function parts(html: string) {
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({
    attrs: m[1],
    body: m[2],
  }));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  return { scripts, styles, csp };
}

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('html reporter', () => {
  const hostileOperation = `GET /x</script><img src=x onerror="alert(1)"><!-- \u2028`;
  const hostileFindings = [
    ...findings,
    { ...findings[0], operation: hostileOperation, message: `${hostileOperation}: ${hostile}`, entry: 12 },
  ];

  it('is one self-contained page: no URL of any kind, only its own script and style run (CSP by hash)', () => {
    const html = htmlReport(hostileFindings, context);
    assert.match(html, /^<!doctype html>/);
    // (the recorded data, in the JSON script, may say anything: it is never markup)
    const page = html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '');
    assert.doesNotMatch(page, /https?:|\/\/[a-z0-9]|\bsrc=|\bhref="(?!data:,)|\burl\(|@import/i);
    const { scripts, styles, csp } = parts(html);
    assert.equal(scripts.length, 2, 'the data and the renderer');
    assert.equal(styles.length, 1);
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`script-src ${sha(scripts[1].body)}`), csp);
    assert.ok(csp.includes(`style-src ${sha(styles[0])}`), csp);
  });

  it('recorded data only travels as JSON that cannot close its script element', () => {
    const html = htmlReport(hostileFindings, context);
    const { scripts } = parts(html);
    assert.match(scripts[0].attrs, /type="application\/json"/);
    const data = scripts[0].body;
    assert.doesNotMatch(data, /[<>\u2028]/);
    // the renderer is static: no data in it
    assert.doesNotMatch(scripts[1].body, /onerror|traffic one/);
    // and everything outside the two scripts is the fixed template
    const outside = html.replace(/<script[\s\S]*?<\/script>/g, '');
    assert.doesNotMatch(outside, /onerror|traffic one|api\.yaml/);
    const parsed = JSON.parse(data) as ReturnType<typeof htmlReportData>;
    assert.ok(parsed.groups.some((g) => g.operation === hostileOperation));
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(htmlReportData(hostileFindings, context))));
  });

  it('jsonForScript escapes <, >, & and line separators, and reads back the same', () => {
    const value = { a: '</script><!--&\u2028\u2029' };
    const text = jsonForScript(value);
    assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('data: groups with counts and entries, totals from the summary, failing verdict from --fail-on', () => {
    const data = htmlReportData(findings, context);
    assert.equal(data.totals.errors, 4);
    assert.equal(data.totals.warnings, 1);
    assert.equal(data.totals.groups, 3);
    assert.equal(data.fails, true);
    const repeated = data.groups.find((g) => g.count === 3)!;
    assert.deepEqual(repeated.entries, ['3', '7', '9']);
    assert.equal(repeated.title, 'Invalid response body');
    assert.equal(htmlReportData(findings, { ...context, failOn: 'never' }).fails, false);
  });

  it('schema previews: the schema at the pointer, a keyword shows its schema, other files left out', () => {
    const doc = {
      components: {
        schemas: {
          Owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
          Pet: { $ref: '#/components/schemas/Owner' },
        },
      },
    };
    const previews = schemaPreviews(doc, [
      '#/components/schemas/Owner/properties/email/format',
      '#/components/schemas/Pet/properties/email',
      '#/components/schemas/Missing',
      'other.yaml#/Thing',
    ]);
    assert.deepEqual(JSON.parse(previews.get('#/components/schemas/Owner/properties/email/format')!), {
      type: 'string',
      format: 'email',
    });
    assert.ok(previews.has('#/components/schemas/Pet/properties/email'), 'a $ref on the way is followed');
    assert.equal(previews.size, 2);
  });
});
