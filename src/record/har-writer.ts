/**
 * Append-only HAR 1.2 file that is valid JSON after every append.
 *
 * A new file is `{"log":{...,"entries":[` + entries + `]}}`. Each append writes `,<entry>` followed by
 * the closing tail at the position where the old tail began, with one positional write (one per
 * event-loop tick for all the entries appended in it), so an append costs O(entry) and a crash (even SIGKILL) between appends leaves a parseable file; a crash
 * during an append can lose only that entry. One entry per line keeps the file diff- and grep-able.
 *
 * An existing HAR is appended to the same way: its bytes up to the last entry stay as they are, and
 * its own tail (the `]` of `log.entries` and whatever follows, as the tool that wrote it laid it out)
 * is what each append rewrites. A file that is not a HAR is refused, never truncated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MockgenError } from '../errors';
import type { HarEntry, HarLog } from '../recordings/har-types';
import { readHarEnd } from './existing-har';

const TAIL: Buffer = Buffer.from('\n]}}\n');

export interface HarWriterOptions {
  /** Used for a new file; an existing file keeps its own `log` fields. */
  creator: { name: string; version: string };
  comment?: string;
}

export class HarFileWriter {
  private position = 0;
  private count = 0;
  private tail: Buffer = TAIL;
  private existingEntries: number | undefined;
  /** entries waiting for the next write, with the callbacks of their appends */
  private pending: { text: string; done: (err?: Error) => void }[] = [];
  private scheduled = false;
  private failure?: Error;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: fs.promises.FileHandle,
  ) {}

  /**
   * Opens `file` to append to: an existing HAR keeps its entries; a missing (or empty) file becomes an
   * empty, valid HAR log, its folder created when missing. A file that is not a HAR is a MockgenError
   * and stays untouched.
   */
  static async open(file: string, options: HarWriterOptions): Promise<HarFileWriter> {
    for (let attempt = 0; ; attempt++) {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(file, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotOpen(file, err);
        try {
          return await HarFileWriter.createNew(file, options);
        } catch (createErr) {
          // created by someone else in between: append to it instead
          if ((createErr as NodeJS.ErrnoException).code === 'EEXIST' && attempt === 0) continue;
          throw cannotOpen(file, createErr);
        }
      }
      const writer = new HarFileWriter(file, handle);
      try {
        const end = await readHarEnd(handle, file);
        if (end) {
          writer.position = end.insertAt;
          writer.tail = end.tail;
          writer.count = end.entries;
          writer.existingEntries = end.entries;
        } else {
          await writer.writeHead(options);
        }
      } catch (err) {
        await handle.close();
        throw err;
      }
      return writer;
    }
  }

  /**
   * What `open` would find, read-only: the entries of an existing HAR, `undefined` when the file is
   * missing or empty; a MockgenError when it is not a HAR. Lets a caller refuse before it starts.
   */
  static async check(file: string): Promise<number | undefined> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw cannotOpen(file, err);
    }
    try {
      return (await readHarEnd(handle, file))?.entries;
    } catch (err) {
      throw cannotOpen(file, err);
    } finally {
      await handle.close();
    }
  }

  /** A new file (`wx`: never one that exists), removed again if its first write fails. */
  private static async createNew(file: string, options: HarWriterOptions): Promise<HarFileWriter> {
    await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const handle = await fs.promises.open(file, 'wx');
    const writer = new HarFileWriter(file, handle);
    try {
      await writer.writeHead(options);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fs.promises.rm(file, { force: true });
      throw err;
    }
    return writer;
  }

  /** An empty log: `{"log":{...,"entries":[` + the tail. */
  private async writeHead(options: HarWriterOptions): Promise<void> {
    const log: HarLog['log'] = {
      version: '1.2',
      creator: options.creator,
      pages: [],
      entries: [],
      ...(options.comment ? { comment: options.comment } : {}),
    };
    // `{"log":{...,"entries":[]}}` with the entries array opened at the end.
    const json = JSON.stringify({ log: { ...log, entries: undefined } });
    const head = `${json.slice(0, -2)},"entries":[`;
    const buffer = Buffer.concat([Buffer.from(head), TAIL]);
    await this.handle.write(buffer, 0, buffer.length, 0);
    this.position = Buffer.byteLength(head);
  }

  /** Entries the file held when it was opened; `undefined` when it was created (or was empty). */
  get existing(): number | undefined {
    return this.existingEntries;
  }

  /** Entries in the file: those it held plus those appended. */
  get entries(): number {
    return this.count;
  }

  /**
   * Queue one entry; resolves when it is on disk (handed to the OS: in its page cache, which survives
   * a SIGKILL of this process). The entries appended in one turn of the event loop are written
   * together just after it (`setImmediate`), in call order, with one synchronous positional write
   * that still ends with the closing tail: a busy proxy pays one write per tick, not one per exchange,
   * and an entry is in the file before its append resolves.
   */
  append(entry: HarEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`HAR file ${this.file} is closed`));
    if (this.failure) return Promise.reject(this.failure);
    const text = `${this.count === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`;
    this.count += 1;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ text, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes the queued entries and the tail in one positional write, synchronously. */
  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let body = '';
    for (const item of batch) body += item.text;
    const length = Buffer.byteLength(body);
    const buffer = Buffer.allocUnsafe(length + this.tail.length);
    buffer.write(body, 0, 'utf8');
    this.tail.copy(buffer, length);
    try {
      if (this.failure) throw this.failure;
      let written = 0;
      while (written < buffer.length)
        written += fs.writeSync(
          this.handle.fd,
          buffer,
          written,
          buffer.length - written,
          this.position + written,
        );
      this.position += length;
    } catch (err) {
      this.failure ??= err as Error;
    }
    for (const item of batch) item.done(this.failure);
  }

  /** Waits for queued appends, syncs and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    if (this.failure) throw this.failure;
  }
}

function cannotOpen(file: string, err: unknown): Error {
  if (err instanceof MockgenError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EISDIR')
    return new MockgenError(
      `--out ${file} is a folder; give a file name such as ${path.join(file, 'traffic.har')}.`,
      { file },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EROFS' || code === 'ENOSPC')
    return new MockgenError(`cannot write --out ${file}: ${(err as Error).message}`, { file });
  return err as Error;
}
