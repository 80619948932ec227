import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { MockgenError } from '../../src/errors';

const fixture = (name: string) => path.join('test/fixtures/contract', name);

interface ErrorCase {
  name: string;
  /** fixture path, or inline content written to a temp file with this extension */
  file?: string;
  content?: string;
  ext?: string;
  message: RegExp;
  details?: { pointer?: string; line?: number };
}

describe('contract: bad input is one clear MockgenError', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-contract-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const cases: ErrorCase[] = [
    {
      name: 'missing file',
      file: 'specs/nope/openapi.yaml',
      message: /^cannot read specs\/nope\/openapi\.yaml: no such file$/,
    },
    {
      name: 'a directory',
      file: 'specs/petstore',
      message: /^cannot read specs\/petstore: it is a directory, not a file$/,
    },
    {
      name: 'YAML syntax error with line:column',
      file: fixture('yaml-syntax-error.yaml'),
      message: /^test\/fixtures\/contract\/yaml-syntax-error\.yaml:1[01]:\d+: YAML syntax error: .+/,
    },
    {
      name: 'JSON syntax error with line:column',
      file: fixture('json-syntax-error.json'),
      message: /^test\/fixtures\/contract\/json-syntax-error\.json:6:5: JSON syntax error: .+/,
      details: { line: 6 },
    },
    {
      name: 'empty file',
      content: '\n  \n',
      ext: '.yaml',
      message: /: the file is empty; expected an OpenAPI document/,
    },
    {
      name: 'YAML that is not OpenAPI',
      file: fixture('not-openapi.yaml'),
      message: /not-openapi\.yaml: not an OpenAPI document: no `openapi` or `swagger` version field/,
    },
    {
      name: 'top-level array',
      content: '[1, 2]',
      ext: '.json',
      message: /: not an OpenAPI document: the top level is an array/,
    },
    {
      name: 'top-level scalar',
      content: 'hello',
      ext: '.yaml',
      message: /: not an OpenAPI document: the top level is the string "hello"/,
    },
    {
      name: 'unsupported version',
      content: 'swagger: "1.2"\npaths: {}\n',
      ext: '.yaml',
      message: /: unsupported Swagger version "1\.2" at \/swagger/,
      details: { pointer: '/swagger' },
    },
    {
      name: 'OpenAPI 4',
      content: '{"openapi": "4.0.0", "paths": {}}',
      ext: '.json',
      message: /: unsupported OpenAPI version "4\.0\.0" at \/openapi/,
    },
    {
      name: 'no paths object',
      file: fixture('no-paths.yaml'),
      message:
        /no-paths\.yaml: the contract has no `paths` object at \/paths: there are no operations to mock$/,
      details: { pointer: '/paths' },
    },
    {
      name: 'paths is a list',
      content: 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: [a]\n',
      ext: '.yaml',
      message: /`paths` at \/paths is an array, expected an object/,
    },
    {
      name: 'unresolvable internal $ref names the ref and where it occurs',
      file: fixture('unresolvable-ref.yaml'),
      message:
        /unresolvable-ref\.yaml: unresolvable \$ref "#\/components\/schemas\/Thingy" at \/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema: the target does not exist \(no "Thingy" there\)$/,
      details: { pointer: '/paths/~1things/get/responses/200/content/application~1json/schema' },
    },
    {
      name: 'a $ref chain that loops',
      file: fixture('ref-cycle.yaml'),
      message:
        /ref-cycle\.yaml: circular \$ref "#\/components\/responses\/[AB]" at \/components\/responses\/[AB]: the chain never reaches a value$/,
    },
    {
      name: 'missing external file',
      file: fixture('missing-external-file.yaml'),
      message:
        /missing-external-file\.yaml: unresolvable \$ref "\.\/schemas\/does-not-exist\.yaml#\/Thing" at \/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema: cannot read .*does-not-exist\.yaml: no such file$/,
      details: { pointer: '/paths/~1things/get/responses/200/content/application~1json/schema' },
    },
    {
      name: 'dangling $ref inside an external file names that file',
      file: fixture('external-broken/openapi.yaml'),
      message:
        /openapi\.yaml: unresolvable \$ref "#\/Owner" at test\/fixtures\/contract\/external-broken\/thing\.yaml \(reached at \/paths\/.+\/schema\/properties\/owner\): the target does not exist/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      let file = c.file ?? '';
      if (c.content !== undefined) {
        file = path.join(tmp, `${c.name.replace(/\W+/g, '-')}${c.ext ?? '.yaml'}`);
        fs.writeFileSync(file, c.content);
      }
      await assert.rejects(loadContract(file), (err: unknown) => {
        assert.ok(err instanceof MockgenError, `MockgenError, got ${String(err)}`);
        assert.match(err.message, c.message);
        assert.ok(!err.message.includes('\n'), 'one line');
        for (const [key, value] of Object.entries(c.details ?? {})) {
          assert.equal((err.details as Record<string, unknown>)[key], value, key);
        }
        return true;
      });
    });
  }

  it('real-world leniency: duplicate YAML keys, numeric versions and schema violations are warnings', async () => {
    const file = path.join(tmp, 'lenient.yaml');
    fs.writeFileSync(
      file,
      [
        'openapi: 3.0',
        'info: {title: t, version: 1.5}',
        'paths:',
        '  /a:',
        '    get:',
        '      responses:',
        "        '200': {}",
        '  /a:',
        '    post:',
        '      responses:',
        "        '201': {description: created}",
      ].join('\n'),
    );
    const c = await loadContract(file);
    assert.equal(c.openapi, '3.0');
    assert.equal(c.version, '1.5');
    assert.deepEqual(
      c.operations.map((o) => o.id),
      ['post_a'],
    );
    const codes = c.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('duplicate-key'));
    assert.ok(codes.includes('invalid-contract'));
    assert.ok(c.diagnostics.every((d) => d.severity !== 'error'));
  });
});
