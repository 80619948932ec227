import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { packageRoot } from '../../src/paths';

/** Lints `code` as if it were the file `file` (relative to the package root), with the project's config. */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: packageRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(packageRoot, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: import boundaries of the runtime core', function () {
  this.timeout(60000);

  const cases: { name: string; file: string; code: string; fails: boolean }[] = [
    {
      name: 'src/ importing a server module of the runtime',
      file: 'src/model/boundary-fixture.ts',
      code: "import { createMockHandler } from '../../templates/runtime/handler';\nexport const h = createMockHandler;\n",
      fails: true,
    },
    {
      name: 'src/ importing the runtime core',
      file: 'src/model/boundary-fixture.ts',
      code: "import { isJsonMediaType } from '../../templates/runtime/core/media-types';\nexport const j = isJsonMediaType;\n",
      fails: false,
    },
    {
      name: 'core/ importing the server around it',
      file: 'templates/runtime/core/boundary-fixture.ts',
      code: "import { getSession } from '../session';\nexport const s = getSession;\n",
      fails: true,
    },
    {
      name: 'core/fake/ importing the server around it',
      file: 'templates/runtime/core/fake/boundary-fixture.ts',
      code: "import { getSession } from '../../session';\nexport const s = getSession;\n",
      fails: true,
    },
    {
      name: 'core/fake/ importing core/',
      file: 'templates/runtime/core/fake/boundary-fixture.ts',
      code: "import { isRecord } from '../json';\nexport const r = isRecord;\n",
      fails: false,
    },
    {
      name: 'core/ doing I/O',
      file: 'templates/runtime/core/boundary-fixture.ts',
      code: "import * as fs from 'node:fs';\nexport const f = fs;\n",
      fails: true,
    },
  ];

  for (const c of cases) {
    it(`${c.fails ? 'rejects' : 'allows'} ${c.name}`, async () => {
      const messages = await restrictedImports(c.file, c.code);
      if (c.fails)
        assert.equal(messages.length, 1, `expected one no-restricted-imports error, got ${messages.length}`);
      else assert.deepEqual(messages, []);
    });
  }
});
