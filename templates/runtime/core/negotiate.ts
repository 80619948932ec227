/**
 * `Accept` negotiation (RFC 9110 §12.5.1) against the media types a response documents.
 *
 * - q-values rank; `q=0` excludes. A documented type takes the q of the most specific range that
 *   matches it (`*\/*, text/html;q=0` excludes text/html).
 * - Ties: more specific range, then the client's order, then the contract's order.
 * - JSON family: a JSON range (`application/json`, `application/vnd.github+json`, `*\/*+json`)
 *   accepts any documented JSON type, slightly below an exact match. The documented type is served
 *   as the Content-Type: an SDK that sends `Accept: application/vnd.github+json` gets
 *   `application/json` back, as from the real API, and parses it as JSON.
 * - A documented wildcard (`*\/*`, `image/*`) takes the concrete type the client asked for.
 * - Raw bytes (`application/octet-stream`, `application/binary`) accept the first documented type
 *   when nothing else fits.
 */
import { isHttpToken } from './http';
import { isJsonMediaType } from './media-types';

export interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** position in the header */
  order: number;
}

export interface Negotiated {
  /** index into the documented list */
  index: number;
  /** the Content-Type to send (may still be a wildcard when both sides were wildcards) */
  contentType: string;
}

export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  let order = 0;
  for (const part of header.split(',')) {
    const pieces = part.split(';');
    const full = pieces[0].trim().toLowerCase();
    if (full === '') continue;
    const slash = full.indexOf('/');
    // `*` alone is sent by some old clients and means `*/*`
    const type = slash < 0 ? (full === '*' ? '*' : full) : full.slice(0, slash);
    const subtype = slash < 0 ? '*' : full.slice(slash + 1) || '*';
    // not a media range (`Accept: ember falcon`, a header parameter's value): ignored, as if not sent
    if ((slash < 0 && full !== '*') || !isHttpToken(type) || !isHttpToken(subtype)) continue;
    let q = 1;
    for (let i = 1; i < pieces.length; i++) {
      const param = pieces[i].trim();
      if (param.length > 2 && (param[0] === 'q' || param[0] === 'Q') && param[1] === '=') {
        const value = Number(param.slice(2));
        q = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 1;
      }
    }
    ranges.push({ type, subtype, q, order: order++ });
  }
  return ranges;
}

/** Ranges that ask for raw bytes: `application/octet-stream`, and `application/binary` as SDKs send it for downloads. */
const OPAQUE_SUBTYPES = new Set(['octet-stream', 'binary']);

/** How specifically `range` matches the documented `mediaType` (0: not at all). */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === '*' && range.subtype === '*') return 1;
  if (type === '*') return range.type === '*' ? 1 : 1.5; // documented */* takes any concrete type
  if (range.type !== type) {
    return range.type === '*' && range.subtype !== '*' && subtype === range.subtype ? 1.5 : 0;
  }
  if (range.subtype === '*') return 2;
  if (subtype === '*') return 2.5; // documented image/* takes image/png
  if (range.subtype === subtype) return 4;
  if (isJsonMediaType(`${range.type}/${range.subtype}`) && isJsonMediaType(`${type}/${subtype}`)) return 3;
  if (range.subtype.startsWith('*+') && subtype.endsWith(range.subtype.slice(1))) return 3;
  return 0;
}

/**
 * The documented media type to serve for `accept`, or undefined when none is acceptable (406).
 * A missing or empty Accept takes the first documented type.
 */
export function negotiate(accept: string | undefined, documented: readonly string[]): Negotiated | undefined {
  if (documented.length === 0) return undefined;
  if (accept === undefined || accept.trim() === '') return { index: 0, contentType: documented[0] };
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { index: 0, contentType: documented[0] };
  let best: { index: number; q: number; spec: number; order: number; range: MediaRange } | undefined;
  for (let index = 0; index < documented.length; index++) {
    const mediaType = documented[index];
    const slash = mediaType.indexOf('/');
    const type = slash < 0 ? mediaType : mediaType.slice(0, slash);
    const subtype = slash < 0 ? '*' : mediaType.slice(slash + 1);
    // the most specific matching range decides this type's quality
    let match: { spec: number; range: MediaRange } | undefined;
    for (const range of ranges) {
      const spec = specificity(range, type, subtype);
      if (spec === 0) continue;
      if (!match || spec > match.spec || (spec === match.spec && range.q > match.range.q))
        match = { spec, range };
    }
    if (!match || match.range.q <= 0) continue;
    const candidate = {
      index,
      q: match.range.q,
      spec: match.spec,
      order: match.range.order,
      range: match.range,
    };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.spec > best.spec) ||
      (candidate.q === best.q && candidate.spec === best.spec && candidate.order < best.order)
    ) {
      best = candidate;
    }
  }
  if (!best) {
    // a client asking for raw bytes takes any representation as bytes when nothing else fits:
    // downloads documented as `application/json` or `text/plain` are served, not refused 406
    const bytes = ranges.some(
      (range) => range.q > 0 && range.type === 'application' && OPAQUE_SUBTYPES.has(range.subtype),
    );
    return bytes ? { index: 0, contentType: documented[0] } : undefined;
  }
  const documentedType = documented[best.index];
  const concreteRange =
    best.range.type !== '*' && best.range.subtype !== '*' && !best.range.subtype.startsWith('*');
  const contentType =
    documentedType.includes('*') && concreteRange
      ? `${best.range.type}/${best.range.subtype}`
      : documentedType;
  return { index: best.index, contentType };
}
