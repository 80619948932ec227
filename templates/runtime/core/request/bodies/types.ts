/** What a body parser gets and gives. */

/** What is learnt about an uploaded file besides its bytes (the server's `UploadedFile`). */
export interface UploadedPart {
  field: string;
  filename?: string;
  /** lower-cased media type of the part (`text/plain` when not sent, as busboy reports it) */
  mimeType: string;
  size: number;
}

export interface BodyInput {
  /**
   * The body: bytes as received, or text already decoded (a HAR's `postData.text`; for multipart,
   * one char per byte is expected only from bytes).
   */
  raw: Buffer | string;
  /** the full Content-Type header (parameters: `charset`, `boundary`) */
  contentType?: string;
  /** its media type, lower case, without parameters */
  mediaType: string;
  /** form field names to keep as they are even when they contain brackets */
  flatNames?: ReadonlySet<string>;
  /** receives the file parts of a multipart body */
  uploads?: UploadedPart[];
}

export interface BodyParser {
  /** which media types this parser reads */
  accepts(mediaType: string): boolean;
  /** the parsed value; undefined for a body with nothing in it; throws a BodyParseError */
  parse(input: BodyInput): unknown;
}

/** Bytes that do not decode as their media type says (invalid JSON, a broken multipart, an unknown charset). */
export class BodyParseError extends Error {
  constructor(
    /** `json`, `multipart`, `charset` */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
