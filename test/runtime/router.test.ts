import assert from 'node:assert/strict';
import { Router, bestByFragment, fragmentHint, templatePath } from '../../templates/runtime/core/router';

describe('runtime: router', () => {
  const router = new Router<string>();
  for (const [method, template] of [
    ['get', '/repos/{owner}/{repo}'],
    ['get', '/repos/{owner}/{repo}/contents/{path}'],
    ['put', '/repos/{owner}/{repo}/contents/{path}'],
    ['get', '/repos/{owner}/{repo}/git/ref/{ref}'],
    ['get', '/repos/{owner}/{repo}/git/ref/{ref}/status'],
    ['get', '/files/{name}.{ext}'],
    ['get', '/pets/{petId}'],
    ['get', '/pets/mine'],
    ['get', '/v1/{id}:cancel'],
    ['get', '/{owner}/{repo}'],
    ['post', '/#X-Amz-Target=Service.Action'],
    ['get', '/channels#scope=memberships'],
  ] as const) {
    router.add(method, template, `${method} ${template}`);
  }

  const cases: [path: string, template: string | undefined, params?: Record<string, string>][] = [
    ['/pets/mine', '/pets/mine', {}],
    ['/pets/42', '/pets/{petId}', { petId: '42' }],
    ['/v1/abc:cancel', '/v1/{id}:cancel', { id: 'abc' }],
    ['/files/report.pdf', '/files/{name}.{ext}', { name: 'report', ext: 'pdf' }],
    // a final parameter spans several segments only when nothing matches segment by segment
    [
      '/repos/o/r/contents/README.md',
      '/repos/{owner}/{repo}/contents/{path}',
      { owner: 'o', repo: 'r', path: 'README.md' },
    ],
    [
      '/repos/o/r/contents/docs/api/index.md',
      '/repos/{owner}/{repo}/contents/{path}',
      { owner: 'o', repo: 'r', path: 'docs/api/index.md' },
    ],
    [
      '/repos/o/r/contents/a%20b/c',
      '/repos/{owner}/{repo}/contents/{path}',
      { owner: 'o', repo: 'r', path: 'a b/c' },
    ],
    [
      '/repos/o/r/git/ref/heads/main',
      '/repos/{owner}/{repo}/git/ref/{ref}',
      { owner: 'o', repo: 'r', ref: 'heads/main' },
    ],
    [
      '/repos/o/r/git/ref/main/status',
      '/repos/{owner}/{repo}/git/ref/{ref}/status',
      { owner: 'o', repo: 'r', ref: 'main' },
    ],
    ['/files/dir/report.pdf', '/files/{name}.{ext}', { name: 'dir/report', ext: 'pdf' }],
    // a trailing slash or an empty segment is not spanned (the handler trims trailing slashes itself)
    ['/pets/42/', undefined],
    ['/repos/o/r/contents/a//b', undefined],
    // only a final parameter right after a literal segment spans: `/repos/{owner}/{repo}` does not take `r/x/contents/y`
    ['/repos/o/r/x/contents/y', undefined],
    ['/pets/mine/toys', '/pets/{petId}', { petId: 'mine/toys' }],
    ['/o/r/extra', undefined],
    ['/unknown/a/b', undefined],
    // a `#fragment` in a template (AWS contracts) is not part of the path
    ['/', '/#X-Amz-Target=Service.Action', {}],
    ['/channels', '/channels#scope=memberships', {}],
  ];
  for (const [path, template, params] of cases) {
    it(`${path} → ${template ?? 'no match'}`, () => {
      const match = router.match(path);
      assert.equal(match?.template, template);
      if (params) assert.deepEqual(match?.params, params);
    });
  }

  it('a spanning match keeps every method of its template', () => {
    assert.deepEqual([...(router.match('/repos/o/r/contents/a/b')?.methods.keys() ?? [])].sort(), [
      'get',
      'put',
    ]);
  });

  it('prefers a template that has the method over an earlier one that has not (corpus: AWS iotwireless)', () => {
    // `/things/{Id}` (PATCH, DELETE) and `/things/{Identifier}#identifierType` (GET) are two nodes
    const aws = new Router<string>();
    aws.add('patch', '/things/{Id}', 'patch');
    aws.add('delete', '/things/{Id}', 'delete');
    aws.add('get', '/things/{Identifier}#identifierType', 'get');
    aws.add('post', '/pets/mine', 'post mine');
    aws.add('get', '/pets/{petId}', 'get pet');
    const get = aws.match('/things/t1', 'get');
    assert.equal(get?.methods.get('get'), 'get');
    assert.deepEqual(get?.params, { Identifier: 't1' });
    assert.equal(aws.match('/things/t1', 'HEAD')?.methods.get('get'), 'get');
    assert.equal(aws.match('/things/t1', 'patch')?.methods.get('patch'), 'patch');
    // no template has the method: the first match, for a 405 with Allow
    assert.deepEqual([...(aws.match('/things/t1', 'put')?.methods.keys() ?? [])], ['patch', 'delete']);
    assert.equal(aws.match('/pets/mine', 'get')?.methods.get('get'), 'get pet');
    assert.equal(aws.match('/pets/mine', 'post')?.methods.get('post'), 'post mine');
  });

  it('lists the operations sharing a method and a path shape, parameters renamed (corpus: AWS sts)', () => {
    const shared = new Router<string>();
    shared.add('get', '/#Action=AssumeRole', 'assume');
    shared.add('get', '/#Action=GetCallerIdentity', 'identity');
    shared.add('post', '/#Action=AssumeRole', 'post assume');
    shared.add('get', '/items/{id}', 'by id');
    shared.add('get', '/items/{slug}', 'by slug');
    shared.add('get', '/other', 'other');
    const root = shared.match('/', 'get');
    assert.equal(root?.methods.get('get'), 'assume'); // the first added keeps the route
    assert.deepEqual(
      shared.alternatives('get', root!)?.map((c) => c.value),
      ['assume', 'identity'],
    );
    assert.equal(shared.alternatives('post', root!), undefined);
    const item = shared.match('/items/abc', 'get')!;
    assert.deepEqual(
      shared.alternatives('get', item)?.map((c) => [c.value, c.params]),
      [
        ['by id', { id: 'abc' }],
        ['by slug', { slug: 'abc' }],
      ],
    );
    assert.equal(shared.alternatives('get', shared.match('/other', 'get')!), undefined);
  });

  it('fragmentHint: query parameters or headers a #fragment names', () => {
    const request = {
      query: [
        ['Action', 'GetCallerIdentity'] as [string, string],
        ['identifierType', 'x'] as [string, string],
      ],
      headers: { 'x-amz-target': 'Svc.List' },
    };
    assert.equal(fragmentHint('/#Action=GetCallerIdentity', request), 2);
    assert.equal(fragmentHint('/#Action=AssumeRole', request), 0);
    assert.equal(fragmentHint('/#X-Amz-Target=Svc.List', request), 2);
    assert.equal(fragmentHint('/things/{id}#identifierType', request), 2);
    assert.equal(fragmentHint('/things/{id}#identifierType&resolution', request), 0);
    assert.equal(fragmentHint('/things/{id}', request), 1);
    assert.equal(fragmentHint('/#constructor', request), 0);
    // a `?query` written into the template (Flickr), percent-encoded or not
    assert.equal(fragmentHint('/rest?Action=GetCallerIdentity', request), 2);
    assert.equal(fragmentHint('/rest?Action=Get%43allerIdentity#identifierType', request), 2);
    assert.equal(fragmentHint('/rest?Action=AssumeRole', request), 0);
    assert.equal(templatePath('/rest?method=a.b#x'), '/rest');
    assert.equal(templatePath('/items/{id}#type?x'), '/items/{id}');
    const candidates = ['/#Action=AssumeRole', '/', '/#Action=GetCallerIdentity'].map((template) => ({
      value: template,
      template,
      params: {},
    }));
    assert.equal(bestByFragment(candidates, request).value, '/#Action=GetCallerIdentity');
    assert.equal(bestByFragment(candidates, { query: [], headers: {} }).value, '/');
  });
});
