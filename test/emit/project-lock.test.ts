import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectDependencies } from '../../src/emit/plan-files';
import { projectLock, subsetLock, type LockFile } from '../../src/emit/project-lock';
import { repoRoot } from '../helpers/project';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as LockFile;

describe('emit: the emitted project’s package-lock.json', () => {
  it('templates/project/package-lock.json is the current subset of mockgen’s lock (npm run update:project-lock)', () => {
    const want = subsetLock(read('package-lock.json'), projectDependencies());
    assert.deepEqual(read('templates/project/package-lock.json'), want);
  });

  it('resolves as node does (nested before hoisted), marks dev-only and optional packages', () => {
    const root: LockFile = {
      name: 'mockgen',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: {
        '': { name: 'mockgen' },
        'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' }, optionalDependencies: { o: '*' } },
        'node_modules/a/node_modules/b': { version: '2.0.0' },
        'node_modules/b': { version: '1.0.0', dev: true },
        'node_modules/o': { version: '1.0.0', optional: true },
        'node_modules/t': { version: '5.0.0', dev: true, dependencies: { b: '^1' } },
        'node_modules/unrelated': { version: '9.9.9' },
        'node_modules/p': { version: '1.0.0', peerDependencies: { a: '*' } },
      },
    };
    const lock = subsetLock(root, { dependencies: { a: '^1' }, devDependencies: { t: '^5' } });
    assert.deepEqual(Object.keys(lock.packages), [
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/b',
      'node_modules/o',
      'node_modules/t',
    ]);
    assert.equal(lock.packages['node_modules/a'].dev, undefined);
    assert.equal(lock.packages['node_modules/a/node_modules/b'].dev, undefined);
    assert.equal(lock.packages['node_modules/b'].dev, true, 'reached from the dev dependency only');
    assert.equal(lock.packages['node_modules/o'].optional, true);
    assert.deepEqual(lock.packages[''], { dependencies: { a: '^1' }, devDependencies: { t: '^5' } });
    assert.throws(() => subsetLock(root, { dependencies: { missing: '*' }, devDependencies: {} }), /missing/);
  });

  it('names the lock after the project', () => {
    const lock = projectLock(read('templates/project/package-lock.json'), 'mock-petstore', '1.0.0');
    assert.equal(lock.name, 'mock-petstore');
    assert.equal((lock.packages[''] as { name?: string }).name, 'mock-petstore');
    assert.deepEqual(Object.keys((lock.packages[''] as { dependencies: object }).dependencies).sort(), [
      '@faker-js/faker',
      'ajv',
      'ajv-formats',
      'busboy',
      'express',
      'handlebars',
      'ioredis',
      'json-schema-faker',
    ]);
  });
});
