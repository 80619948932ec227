import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readHarEnd } from '../../src/record/existing-har';
import { writeLargeHar } from '../recordings/helpers';

describe('record/existing-har: readHarEnd on a HAR larger than its read buffer', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-existing-har-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('accepts a 5 MB HAR whose entries straddle the 1 MB reads (the buffer is reused)', async function () {
    this.timeout(30000);
    const file = path.join(tmp, 'large.har');
    const size = await writeLargeHar(file, 4000);
    assert.ok(size > 4 << 20, `size ${size}`);
    const handle = await fs.promises.open(file, 'r');
    try {
      const end = await readHarEnd(handle, file);
      assert.equal(end?.entries, 4000);
      assert.deepEqual(end?.tail, fs.readFileSync(file).subarray(end?.insertAt));
    } finally {
      await handle.close();
    }
  });
});
