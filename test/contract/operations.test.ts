import assert from 'node:assert/strict';
import * as path from 'node:path';
import { basePathOf, loadContract } from '../../src/contract/load-contract';
import { collectionStyle, derivedId, normaliseStatus } from '../../src/contract/to-operations';
import type { Contract, Operation } from '../../src/model/types';

const fixture = (name: string) => path.join(process.cwd(), 'test/fixtures/contract', name);

function op(contract: Contract, method: string, p: string): Operation {
  const found = contract.operations.find((o) => o.method === method && o.path === p);
  assert.ok(found, `${method} ${p} exists`);
  return found;
}

describe('contract: operations', () => {
  describe('OpenAPI 3.0 edge cases', () => {
    let c: Contract;
    before(async () => {
      c = await loadContract(fixture('openapi30-edge.yaml'));
    });

    it('reads server variables, numeric info.version and ignores non-method keys', () => {
      assert.deepEqual(c.servers, ['https://api.example.com:8443/base/v2/']);
      assert.equal(c.basePath, '/base/v2');
      assert.equal(c.version, '7');
      assert.deepEqual(
        c.operations.map((o) => `${o.id} ${o.method} ${o.path}`),
        [
          'getItem get /items/{itemId}',
          'post_items post /items',
          'get_items get /items',
          'getItem_2 delete /legacy/{a}/{b}',
        ],
      );
    });

    it('merges path-level and operation-level parameters (operation wins, header names case-insensitive)', () => {
      const get = op(c, 'get', '/items/{itemId}');
      assert.deepEqual(
        get.parameters.map((p) => `${p.in}:${p.name}:${p.style}:${p.explode}:${p.required}`),
        [
          'path:itemId:simple:false:true',
          'header:x-trace:simple:false:true',
          'query:filter:form:true:false',
          'cookie:session:form:true:false',
          'query:coords:deepObject:true:false',
          'query:ids:pipeDelimited:false:false',
        ],
      );
      const filter = get.parameters.find((p) => p.name === 'filter');
      assert.equal(filter?.contentType, 'application/json');
      assert.deepEqual(filter?.schema, { type: 'object', additionalProperties: { type: 'string' } });
      assert.deepEqual(
        filter?.examples.map((e) => [e.name, e.value, e.pointer]),
        [['default', { color: 'red' }, '/components/parameters/Filter/content/application~1json/example']],
      );
    });

    it('sorts responses (exact, ranges upper-cased, default last), drops Content-Type headers, resolves example refs', () => {
      const get = op(c, 'get', '/items/{itemId}');
      assert.deepEqual(
        get.responses.map((r) => r.status),
        ['200', '201', '2XX', '4XX', 'default'],
      );
      const ok = get.responses[0];
      assert.deepEqual(
        ok.headers.map((h) => [h.name, h.schema, h.examples.map((e) => e.value)]),
        [['X-Count', { type: 'integer', minimum: 0 }, [3]]],
      );
      assert.equal(ok.content[0].mediaType, 'application/json');
      assert.deepEqual(
        ok.content[0].examples.map((e) => [e.name, e.summary, e.pointer]),
        [['shared', 'an item', '/components/examples/SharedItem/value']],
      );
    });

    it('applies security: global by default, [] overrides to none', () => {
      assert.deepEqual(op(c, 'get', '/items/{itemId}').security, []);
      assert.deepEqual(op(c, 'post', '/items').security, [{ apiKeyCookie: [] }]);
      assert.deepEqual(c.securitySchemes.basicUpper, { type: 'http', scheme: 'basic' });
      assert.equal(c.securitySchemes.openId.type, 'openIdConnect');
    });

    it('de-duplicates operationIds and repairs path parameters, with diagnostics', () => {
      const legacy = op(c, 'delete', '/legacy/{a}/{b}');
      assert.equal(legacy.id, 'getItem_2');
      assert.deepEqual(
        legacy.parameters.map((p) => [p.name, p.schema]),
        [
          ['a', { type: 'integer' }],
          ['b', { type: 'string' }],
        ],
      );
      const codes = c.diagnostics.map((d) => d.code);
      for (const code of [
        'duplicate-operation-id',
        'undeclared-path-parameter',
        'invalid-parameter',
        'invalid-schema',
        'invalid-contract',
      ]) {
        assert.ok(codes.includes(code), `diagnostic ${code}`);
      }
      assert.ok(
        c.diagnostics.every((d) => d.severity !== 'error' && d.file === fixture('openapi30-edge.yaml')),
      );
    });
  });

  describe('Swagger 2.0 edge cases', () => {
    let c: Contract;
    before(async () => {
      c = await loadContract(fixture('swagger2-edge.json'));
    });

    it('maps every collectionFormat', () => {
      const search = op(c, 'get', '/search');
      assert.deepEqual(
        search.parameters.map((p) => `${p.name}:${p.style}:${p.explode}`),
        [
          'csvPath:form:false',
          'ssv:spaceDelimited:false',
          'tsv:tabDelimited:false',
          'X-Ids:simple:false',
          'limit:form:false',
        ],
      );
      assert.deepEqual(search.parameters[4].schema, { type: 'integer', exclusiveMinimum: 0 });
      assert.deepEqual(search.parameters[4].examples[0].value, 5);
      assert.equal(c.basePath, '');
    });

    it('normalises oauth2 flows and drops requirements naming unknown schemes', () => {
      assert.deepEqual(Object.keys(c.securitySchemes.application.flows ?? {}), ['clientCredentials']);
      assert.deepEqual(Object.keys(c.securitySchemes.accessCode.flows ?? {}), ['authorizationCode']);
      assert.deepEqual(Object.keys(c.securitySchemes.implicit.flows ?? {}), ['implicit']);
      assert.equal(c.securitySchemes.password.flows?.password?.tokenUrl, 'https://auth.example.com/token');
      assert.deepEqual(op(c, 'get', '/search').security, [
        { application: ['admin'] },
        { key: [], implicit: ['read'] },
      ]);
      assert.deepEqual(
        c.diagnostics.map((d) => d.code),
        ['unknown-security-scheme'],
      );
    });

    it('formData with a file becomes multipart even when consumes says json', () => {
      const upload = op(c, 'post', '/upload/{id}');
      assert.equal(upload.requestBody?.required, true);
      assert.deepEqual(
        upload.requestBody?.content.map((m) => m.mediaType),
        ['multipart/form-data'],
      );
      assert.deepEqual(upload.requestBody?.content[0].encoding, { tags: { style: 'form', explode: false } });
    });

    it('body params use consumes, x-examples; responses use produces plus example mime types', () => {
      const echo = op(c, 'put', '/echo');
      assert.equal(echo.requestBody?.required, false);
      assert.deepEqual(
        echo.requestBody?.content.map((m) => [m.mediaType, m.examples.length]),
        [
          ['application/json', 1],
          ['application/xml', 0],
        ],
      );
      assert.deepEqual(
        echo.responses[0].content.map((m) => [m.mediaType, m.examples.map((e) => e.value)]),
        [
          ['application/json', []],
          ['text/plain', []],
          ['text/csv', ['id,score\n1,0.5']],
        ],
      );
      const hit = c.schemas.Hit as { properties: Record<string, unknown> };
      assert.deepEqual(hit.properties.label, { type: ['string', 'null'], enum: ['a', 'b', null] });
      assert.deepEqual(hit.properties.score, { type: ['number', 'null'], exclusiveMaximum: 1 });
    });
  });

  it('circular schemas load quickly and resolve', async () => {
    const started = Date.now();
    const c = await loadContract(fixture('circular.yaml'));
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(Object.keys(c.schemas), [
      'Alias',
      'AliasOfAlias',
      'Company',
      'Company.properties.employees.items',
      'Node',
      'Person',
    ]);
    assert.deepEqual((c.schemas.Node as { properties: { parent: unknown } }).properties.parent, {
      $ref: '#/$defs/Node',
    });
    assert.deepEqual(c.schemas.AliasOfAlias, { $ref: '#/$defs/Alias' });
    assert.deepEqual(c.schemas['Company.properties.employees.items'], { $ref: '#/$defs/Person' });
    assert.deepEqual(c.diagnostics, []);
  });

  it('follows $ref chains of path items, parameters, responses and examples', async () => {
    const c = await loadContract(fixture('ref-chains.yaml'));
    assert.deepEqual(
      c.operations.map((o) => `${o.id} ${o.method} ${o.path} ${o.parameters.map((p) => p.name).join(',')}`),
      ['sharedGet get /shared limit', 'get_direct get /direct limit'],
    );
    const direct = c.operations[1];
    assert.equal(direct.parameters[0].pointer, '/components/parameters/Limit');
    assert.equal(direct.responses[0].pointer, '/components/responses/Ok');
    assert.deepEqual(
      direct.responses[0].content[0].examples.map((e) => [e.name, e.value, e.pointer]),
      [['one', { n: 1 }, '/components/examples/One/value']],
    );
  });

  it('a $ref to an Example object inside an example value means its value (GitHub contract style)', async () => {
    const c = await loadContract(path.join(process.cwd(), 'test/fixtures/sdk/example-value-refs.yaml'));
    const issue = { number: 1347, title: 'Found a bug' };
    const values = c.operations.map((o) => [o.path, o.responses[0].content[0].examples.map((e) => e.value)]);
    assert.deepEqual(values, [
      ['/issues/{n}', [issue]],
      ['/issues', [[issue, issue]]],
    ]);
  });

  describe('helpers', () => {
    const bases: [string | undefined, string][] = [
      ['http://localhost:4010/v1', '/v1'],
      ['https://api.example.com', ''],
      ['https://api.example.com/', ''],
      ['/v1/', '/v1'],
      ['v2', '/v2'],
      ['//cdn.example.com/api?x=1', '/api'],
      [undefined, ''],
    ];
    for (const [url, want] of bases)
      it(`basePathOf(${JSON.stringify(url)}) = ${JSON.stringify(want)}`, () =>
        assert.equal(basePathOf(url), want));

    it('derivedId, normaliseStatus, collectionStyle', () => {
      assert.equal(derivedId('get', '/pets/{petId}/photos'), 'get_pets_petId_photos');
      assert.equal(derivedId('post', '/'), 'post_root');
      assert.deepEqual(['200', '2xx', 'DEFAULT', '600', 'abc'].map(normaliseStatus), [
        '200',
        '2XX',
        'default',
        undefined,
        undefined,
      ]);
      assert.deepEqual(collectionStyle(undefined, 'path'), { style: 'simple', explode: false });
      assert.deepEqual(collectionStyle('multi', 'query'), { style: 'form', explode: true });
    });
  });
});
