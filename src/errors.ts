/**
 * A user error: bad spec, bad HAR, bad flag. The CLI prints `message` (no stack unless --verbose)
 * and exits 2. Messages say what failed, where (file + JSON pointer / line / HAR entry) and what to do.
 */
export class MockgenError extends Error {
  constructor(
    message: string,
    readonly details: {
      file?: string;
      pointer?: string;
      line?: number;
      entry?: number;
      exitCode?: number;
    } = {},
  ) {
    super(message);
    this.name = 'MockgenError';
  }
}

export function isMockgenError(err: unknown): err is MockgenError {
  return err instanceof MockgenError;
}
