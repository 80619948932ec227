/**
 * Media types: one definition of each test the mock, the generator, the recorder and drift make.
 *
 * Every test takes a media type or a whole Content-Type value: parameters (`; charset=utf-8`) and
 * case are ignored, so callers need not normalise first.
 */

export const FORM_URLENCODED = 'application/x-www-form-urlencoded';
export const MULTIPART_FORM_DATA = 'multipart/form-data';
export const EVENT_STREAM = 'text/event-stream';

/** Lower-cased `type/subtype` of a Content-Type or media type, without parameters; '' when none. */
export function mediaTypeOf(value: string | undefined): string {
  if (!value) return '';
  // every test below normalises its argument, several times per request, mostly one that is
  // normal already (`application/json`): no slice, trim or lower-casing copy for it
  if (isNormal(value)) return value;
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** Printable ASCII without upper case, `;` or spaces: a value the normalisation leaves as it is. */
function isNormal(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 32 || c > 126 || c === 59 /* ; */ || (c >= 65 && c <= 90)) return false;
  }
  return true;
}

/** The subtype of a media type (`problem+json` of `application/problem+json`), '' when there is none. */
function subtypeOf(mediaType: string): string {
  const slash = mediaType.indexOf('/');
  return slash <= 0 ? '' : mediaType.slice(slash + 1);
}

/** `application/x-json`, `application/x-amz-json-1.1`, `application/vnd.foo.json`: JSON by convention, not by suffix. */
const VENDOR_JSON_SUBTYPE = /^(?:[^/]*[-.])?json(?:-[0-9.]+)?$/;

/**
 * JSON: `application/json`, `text/json`, every `+json` structured suffix (`application/problem+json`,
 * `application/vnd.github+json`, `*\/*+json`) and the vendor forms of `application/` seen in the wild
 * (`application/x-json`, `application/x-amz-json-1.1`).
 */
export function isJsonMediaType(value: string | undefined): boolean {
  if (value === 'application/json') return true;
  const mediaType = mediaTypeOf(value);
  const subtype = subtypeOf(mediaType);
  if (subtype === 'json' || subtype.endsWith('+json')) return true;
  return mediaType.startsWith('application/') && VENDOR_JSON_SUBTYPE.test(subtype);
}

/**
 * Documented content a JSON value can stand for: JSON, or `*\/*` (a contract that says "anything" is
 * answered with JSON). Not a test of bytes: a recorded `*\/*` body is not JSON.
 */
export function isJsonOrAnyMediaType(value: string | undefined): boolean {
  return isJsonMediaType(value) || mediaTypeOf(value) === '*/*';
}

/** `application/x-www-form-urlencoded`. */
export function isFormMediaType(value: string | undefined): boolean {
  return mediaTypeOf(value) === FORM_URLENCODED;
}

/** Any `multipart/*` (`multipart/form-data`, `multipart/mixed`). */
export function isMultipartMediaType(value: string | undefined): boolean {
  return mediaTypeOf(value).startsWith('multipart/');
}

/** XML: `application/xml`, `text/xml`, every `+xml` structured suffix (`application/atom+xml`). */
export function isXmlMediaType(value: string | undefined): boolean {
  const subtype = subtypeOf(mediaTypeOf(value));
  return subtype === 'xml' || subtype.endsWith('+xml');
}

/** Server-sent events: `text/event-stream`. */
export function isEventStreamMediaType(value: string | undefined): boolean {
  return mediaTypeOf(value) === EVENT_STREAM;
}
