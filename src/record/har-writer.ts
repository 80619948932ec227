/**
 * Append-only HAR 1.2 file that is valid JSON after every append.
 *
 * The file is `{"log":{...,"entries":[` + entries + `]}}`. Each append writes `,<entry>` followed by
 * the closing tail at the position where the old tail began, with one positional write, so an
 * append costs O(entry) and a crash (even SIGKILL) between appends leaves a parseable file; a crash
 * during an append can lose only that entry. One entry per line keeps the file diff- and grep-able.
 */
import * as fs from 'node:fs';
import type { HarEntry, HarLog } from '../recordings/har-types';

const TAIL = '\n]}}\n';

export interface HarWriterOptions {
  creator: { name: string; version: string };
  comment?: string;
}

export class HarFileWriter {
  private position = 0;
  private count = 0;
  /** entries waiting for the next write, with the callbacks of their appends */
  private pending: { text: string; done: (err?: Error) => void }[] = [];
  private writing: Promise<void> | undefined;
  private failure?: Error;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: fs.promises.FileHandle,
  ) {}

  /** Creates (or truncates) `file` and writes an empty, valid HAR log. */
  static async create(file: string, options: HarWriterOptions): Promise<HarFileWriter> {
    const handle = await fs.promises.open(file, 'w');
    const writer = new HarFileWriter(file, handle);
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
    const buffer = Buffer.from(head + TAIL);
    await handle.write(buffer, 0, buffer.length, 0);
    writer.position = Buffer.byteLength(head);
    return writer;
  }

  /** Number of entries written so far. */
  get entries(): number {
    return this.count;
  }

  /**
   * Queue one entry; resolves when it is on disk (in the OS page cache). Appends are written in call
   * order; entries queued while a write is in flight go out together in the next one (one positional
   * write, still ending with the closing tail), so a busy proxy does not pay one write per exchange.
   */
  append(entry: HarEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`HAR file ${this.file} is closed`));
    if (this.failure) return Promise.reject(this.failure);
    const text = `${this.count === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`;
    this.count += 1;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ text, done: (err) => (err ? reject(err) : resolve()) });
      this.writing ??= this.drain();
    });
  }

  /** Writes queued entries until none is left. */
  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      let body = '';
      for (const item of batch) body += item.text;
      const buffer = Buffer.from(body + TAIL);
      try {
        if (this.failure) throw this.failure;
        await this.handle.write(buffer, 0, buffer.length, this.position);
        this.position += buffer.length - TAIL.length;
        for (const item of batch) item.done();
      } catch (err) {
        this.failure ??= err as Error;
        for (const item of batch) item.done(this.failure);
      }
    }
    this.writing = undefined;
  }

  /** Waits for queued appends, syncs and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    if (this.failure) throw this.failure;
  }
}
