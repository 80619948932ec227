import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MockgenError } from '../../src/errors';
import type { HarEntry, HarLog } from '../../src/recordings/har-types';
import { EntriesEndLocator } from '../../src/record/existing-har';
import { HarFileWriter } from '../../src/record/har-writer';
import { startRecorder } from '../../src/record/recorder';
import { close, fetchRaw, listeningUrl, spawnMockgenRecord, startTarget, type RecordRun } from './helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'recordings');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-record-out-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** A fresh path in the temp folder, optionally holding `content`. */
function tmpFile(name: string, content?: string | Buffer): string {
  counter += 1;
  const file = path.join(tmp, `${counter}-${name}`);
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

function readHar(file: string): HarLog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog;
}

function entry(n: number): HarEntry {
  return { startedDateTime: new Date(n * 1000).toISOString(), time: n, comment: `new ${n}` } as HarEntry;
}

const OPTIONS = { creator: { name: 't', version: '1' } };

/** An existing HAR with two entries: `old 0`, `old 1`. */
function existingHar(): string {
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'other tool', version: '9' },
      entries: [0, 1].map((n) => ({ ...entry(n), comment: `old ${n}` })),
    },
  };
  return `${JSON.stringify(har, null, 2)}\n`;
}

/** Appends the way the writer does, on a string: where to insert and the locator's entry count. */
function locate(text: string): { before: string; after: string; entries: number } {
  const locator = new EntriesEndLocator();
  const bytes = Buffer.from(text);
  // in small chunks, so that strings, escapes and keys are split across writes
  for (let i = 0; i < bytes.length; i += 3) locator.write(bytes.subarray(i, i + 3));
  assert.ok(locator.result, 'no log.entries found');
  return {
    before: bytes.subarray(0, locator.result.insertAt).toString(),
    after: bytes.subarray(locator.result.insertAt).toString(),
    entries: locator.result.entries,
  };
}

describe('record: appending to an existing HAR (locator)', () => {
  const layouts: [string, string, number, string][] = [
    ['mockgen layout', '{"log":{"version":"1.2","entries":[\n{"a":1},\n{"b":2}\n]}}\n', 2, '\n]}}\n'],
    ['empty entries', '{"log":{"version":"1.2","entries":[]}}', 0, ']}}'],
    ['empty entries, pretty', '{\n  "log": {\n    "entries": [\n    ]\n  }\n}\n', 0, '\n    ]\n  }\n}\n'],
    [
      'entries before pages',
      '{"log":{"entries":[{"a":1}],"pages":[{"id":"p"}]}}',
      1,
      '],"pages":[{"id":"p"}]}}',
    ],
    ['strings with brackets and quotes', '{"log":{"entries":[{"x":"]}\\"entries\\":["}]}}', 1, ']}}'],
    [
      'an entries key inside an entry',
      '{"log":{"entries":[{"entries":[1,2,3]},{"log":{"entries":[]}}]}}',
      2,
      ']}}',
    ],
    ['an escaped property name', '{"log":{"entr\\u0069es":[{"a":1}]}}', 1, ']}}'],
    ['a repeated entries key: the last counts', '{"log":{"entries":[{"a":1}],"entries":[]}}', 0, ']}}'],
    ['scalars and unicode', '{"log":{"n":-1.5e3,"ok":true,"entries":[{"s":"ünï\\u2028"},null]}}', 2, ']}}'],
    ['UTF-8 byte order mark', '\uFEFF{"log":{"entries":[{"a":1}]}}', 1, ']}}'],
  ];
  for (const [name, text, entries, tail] of layouts) {
    it(`finds the end of log.entries: ${name}`, () => {
      const found = locate(text);
      assert.equal(found.entries, entries);
      assert.equal(found.after, tail);
      const separator = entries === 0 ? '' : ',';
      const appended = `${found.before}${separator}\n{"new":true}${found.after}`;
      const parsed = JSON.parse(appended.replace(/^\uFEFF/, '')) as HarLog;
      assert.equal(parsed.log.entries.length, entries + 1);
      assert.deepEqual(parsed.log.entries.at(-1), { new: true });
    });
  }
});

describe('record: appending to an existing HAR (writer)', () => {
  it('keeps the old entries byte for byte, appends after them, valid after every append', async () => {
    const original = existingHar();
    const file = tmpFile('existing.har', original);
    const writer = await HarFileWriter.open(file, OPTIONS);
    assert.equal(writer.existing, 2);
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'opening changed the file');
    const keptPrefix = original.slice(0, original.lastIndexOf('}', original.lastIndexOf(']')) + 1);
    let size = fs.statSync(file).size;
    for (let n = 0; n < 4; n++) {
      await writer.append(entry(n));
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.startsWith(keptPrefix), 'the existing entries were rewritten');
      const har = JSON.parse(text) as HarLog;
      assert.deepEqual(
        har.log.entries.map((e) => e.comment),
        ['old 0', 'old 1', ...Array.from({ length: n + 1 }, (_, i) => `new ${i}`)],
      );
      assert.equal(har.log.creator.name, 'other tool');
      const grown = fs.statSync(file).size - size;
      assert.ok(grown <= Buffer.byteLength(JSON.stringify(entry(n))) + 2, `grew ${grown} bytes`);
      size += grown;
    }
    await writer.close();
    assert.equal(readHar(file).log.entries.length, 6);
  });

  for (const fixture of ['chrome-http2.har', 'polly-recording.har']) {
    it(`appends to a ${fixture.replace('.har', '')} HAR in its own layout`, async () => {
      const original = fs.readFileSync(path.join(FIXTURES, fixture));
      const before = (JSON.parse(original.toString()) as HarLog).log;
      const file = tmpFile(fixture, original);
      const writer = await HarFileWriter.open(file, OPTIONS);
      assert.equal(writer.existing, before.entries.length);
      await writer.append(entry(1));
      await writer.append(entry(2));
      await writer.close();
      const after = readHar(file).log;
      assert.deepEqual(after.entries.slice(0, before.entries.length), before.entries);
      assert.deepEqual(
        after.entries.slice(before.entries.length).map((e) => e.comment),
        ['new 1', 'new 2'],
      );
      assert.deepEqual({ ...after, entries: [] }, { ...before, entries: [] });
    });
  }

  it('an empty file becomes a new HAR (nothing in it to keep)', async () => {
    const file = tmpFile('empty.har', '');
    const writer = await HarFileWriter.open(file, OPTIONS);
    assert.equal(writer.existing, undefined);
    await writer.append(entry(1));
    await writer.close();
    assert.equal(readHar(file).log.entries.length, 1);
  });

  it('creates the output folder when missing', async () => {
    const file = path.join(tmp, 'new-folder', 'deeper', 'traffic.har');
    const writer = await HarFileWriter.open(file, OPTIONS);
    await writer.append(entry(1));
    await writer.close();
    assert.equal(readHar(file).log.entries.length, 1);
  });

  const notHar: [string, string | Buffer, RegExp][] = [
    ['not JSON', 'hello, world', /line 1, column 1: invalid JSON/],
    ['truncated JSON', fs.readFileSync(path.join(FIXTURES, 'malformed-truncated.har')), /invalid JSON/],
    [
      'no log.entries',
      fs.readFileSync(path.join(FIXTURES, 'malformed-no-entries.har')),
      /no "entries" array/,
    ],
    ['a JSON array', fs.readFileSync(path.join(FIXTURES, 'malformed-not-har.har')), /not a HAR file/],
    ['entries not an array', '{"log":{"entries":{}}}', /\/log\/entries must be an array/],
    ['gzip-compressed', zlib.gzipSync(existingHar()), /gzip-compressed/],
  ];
  for (const [name, content, reason] of notHar) {
    it(`refuses an existing file that is not a HAR and leaves it untouched: ${name}`, async () => {
      const file = tmpFile('not-a-har.har', content);
      const before = fs.readFileSync(file);
      for (const attempt of [() => HarFileWriter.check(file), () => HarFileWriter.open(file, OPTIONS)]) {
        await assert.rejects(attempt(), (err: unknown) => {
          assert.ok(err instanceof MockgenError);
          assert.ok(err.message.startsWith(`cannot append to ${file}: `), err.message);
          assert.match(err.message, reason);
          assert.match(err.message, /left untouched; choose another --out/);
          return true;
        });
      }
      assert.ok(fs.readFileSync(file).equals(before), 'the file changed');
    });
  }

  it('refuses a folder as --out', async () => {
    await assert.rejects(HarFileWriter.check(tmp), /is a folder/);
    await assert.rejects(HarFileWriter.open(tmp, OPTIONS), /is a folder/);
  });
});

describe('record: the recorder with an existing HAR', function () {
  this.timeout(30_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  before(async () => (target = await startTarget()));
  after(async () => close(target?.server));

  it('old entries first, then the new ones, valid JSON after each', async () => {
    const file = tmpFile('recorded.har', existingHar());
    const seen: string[][] = [];
    const recorder = await startRecorder({
      target: target.url,
      port: 0,
      out: file,
      redact: {},
      onEntry: () => seen.push(readHar(file).log.entries.map((e) => e.comment ?? e.request.url)),
    });
    try {
      assert.equal(recorder.existing, 2);
      for (let i = 0; i < 3; i++) await fetchRaw(`${recorder.url}/json?i=${i}`);
    } finally {
      const summary = await recorder.stop();
      assert.equal(summary.written, 3);
      assert.equal(summary.entries, 5);
      assert.equal(summary.existing, 2);
    }
    const urls = (i: number): string => `${target.url}/json?i=${i}`;
    // Entries that finish during a write go out together in the next one, so under load one read
    // may already see two new entries: every read is the old entries, then a prefix of the new ones.
    const all = ['old 0', 'old 1', urls(0), urls(1), urls(2)];
    assert.ok(seen.length >= 1);
    for (const snapshot of seen) {
      assert.ok(snapshot.length >= 3, JSON.stringify(snapshot));
      assert.deepEqual(snapshot, all.slice(0, snapshot.length));
    }
    assert.deepEqual(seen[seen.length - 1], all);
  });

  it('a busy port leaves an existing HAR byte-identical and creates nothing', async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as AddressInfo).port;
    const existing = tmpFile('busy.har', existingHar());
    const before = fs.readFileSync(existing);
    const missing = path.join(tmp, 'never-created', 'busy.har');
    try {
      for (const out of [existing, missing]) {
        await assert.rejects(
          startRecorder({ target: target.url, port, out, redact: {} }),
          new RegExp(`^MockgenError: port ${port} is in use on 127\\.0\\.0\\.1 \\(EADDRINUSE\\)`),
        );
      }
    } finally {
      await close(busy);
    }
    assert.ok(fs.readFileSync(existing).equals(before), 'the existing HAR changed');
    assert.equal(fs.existsSync(path.dirname(missing)), false, 'the output folder was created');
  });
});

describe('record: mockgen record and its output file', function () {
  this.timeout(30_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  const runs: RecordRun[] = [];
  const record = (args: string[]): RecordRun => {
    const run = spawnMockgenRecord(args);
    runs.push(run);
    return run;
  };
  before(async () => (target = await startTarget()));
  after(async () => {
    for (const { child } of runs)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await close(target?.server);
  });

  it('busy port with an existing HAR: file byte-identical, exit 2, a clear message', async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as AddressInfo).port;
    const out = tmpFile('traffic.har', existingHar());
    const before = fs.readFileSync(out);
    try {
      const run = record(['--target', target.url, '--port', String(port), '--out', out]);
      assert.equal(await run.exited, 2);
      assert.equal(
        run.stderr(),
        `mockgen record: port ${port} is in use on 127.0.0.1 (EADDRINUSE); choose another with --port.\n`,
      );
    } finally {
      await close(busy);
    }
    assert.ok(fs.readFileSync(out).equals(before), 'the existing HAR changed');
  });

  it('appends to an existing HAR, says so, and exits 0 on SIGINT with the HAR valid', async () => {
    const out = tmpFile('traffic.har', existingHar());
    const run = record(['--target', target.url, '--port', '0', '--out', out]);
    const url = await listeningUrl(run);
    assert.match(run.stderr(), /^mockgen record: appending to .*traffic\.har \(2 entries\)\n/);
    await fetchRaw(`${url}/json?n=1`);
    await fetchRaw(`${url}/json?n=2`);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0);
    assert.match(run.stderr(), /2 exchanges written to .*traffic\.har \(now 4 entries\); 0 failed/);
    assert.deepEqual(
      readHar(out).log.entries.map((e) => e.comment ?? new URL(e.request.url).search),
      ['old 0', 'old 1', '?n=1', '?n=2'],
    );
  });

  it('refuses an existing file that is not a HAR: exit 2, file named, untouched', async () => {
    const out = tmpFile('notes.har', '# my notes, not a HAR\n');
    const run = record(['--target', target.url, '--port', '0', '--out', out]);
    assert.equal(await run.exited, 2);
    assert.match(
      run.stderr(),
      new RegExp(`^mockgen record: cannot append to ${out}: line 1, column 1: invalid JSON`),
    );
    assert.doesNotMatch(run.stderr(), /\n\s+at /, 'a stack trace was printed');
    assert.equal(fs.readFileSync(out, 'utf8'), '# my notes, not a HAR\n');
  });

  for (const port of ['abc', '70000', '-1', '']) {
    it(`refuses --port '${port}' before anything is written`, async () => {
      const out = path.join(tmp, `bad-port-${port || 'empty'}`, 'traffic.har');
      const run = record(['--target', target.url, `--port=${port}`, '--out', out]);
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), new RegExp(`--port must be a whole number from 0 to 65535, got '${port}'`));
      assert.equal(fs.existsSync(path.dirname(out)), false);
    });
  }

  it('creates the output folder once it listens', async () => {
    const out = path.join(tmp, 'cli-folder', 'nested', 'traffic.har');
    const run = record(['--target', target.url, '--port', '0', '--out', out]);
    const url = await listeningUrl(run);
    await fetchRaw(`${url}/json`);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.equal(readHar(out).log.entries.length, 1);
  });

  it('record --help prints the usage and exits 0', async () => {
    const run = record(['--help']);
    assert.equal(await run.exited, 0);
    assert.match(run.stdout(), /^Usage: mockgen record --target URL/);
    assert.match(run.stdout(), /an existing HAR is appended/);
    assert.equal(run.stderr(), '');
  });
});
