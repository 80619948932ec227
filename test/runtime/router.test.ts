import assert from 'node:assert/strict';
import { Router } from '../../templates/runtime/router';

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
});
