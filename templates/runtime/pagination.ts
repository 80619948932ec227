/**
 * Pagination of documented answers. An example or generated list answer announces a next page (a
 * `next_cursor`, `nextPageToken`, `has_more: true`) whatever the request: a client that follows it
 * gets the same answer again, with the same announcement, forever (an SDK's auto-pagination never
 * ends). So a request that continues a pagination (it sends a cursor, a page token, `starting_after`,
 * `page` ≥ 2...) is answered as the last page: its next-page fields are emptied and `has_more` is
 * false. The first page keeps what the contract documents.
 */

/** Response fields that say whether there is a next page. */
export const MORE_FIELDS = ['has_more', 'hasMore'];
/** Response fields that hold the next page's cursor, token, number or link. */
export const NEXT_FIELDS = [
  'next',
  'next_page',
  'nextPage',
  'next_cursor',
  'nextCursor',
  'nextPageToken',
  'next_page_token',
];

/** Request parameters (lower-case, without `_`/`-`) that carry a position from a previous page. */
const CONTINUATION_PARAMS = new Set([
  'cursor',
  'startcursor',
  'pagecursor',
  'pagetoken',
  'nexttoken',
  'continuation',
  'continuationtoken',
  'startingafter',
  'endingbefore',
  'after',
  'before',
  'marker',
]);
/** Response fields (normalised as above) that announce a next page, besides NEXT_FIELDS. */
const MORE_NORMALISED = new Set(['hasmore', 'hasnext', 'hasnextpage', 'moreresults']);
const NEXT_NORMALISED =
  /^(?:next(?:page|cursor|pagetoken|token|url|link|offset|key|marker)?|odatanextlink|continuationtoken)$/;
/** How deep next-page fields are looked for (`response_metadata.next_cursor`, `meta.pagination.next`). */
const MAX_DEPTH = 3;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Does the request (query, or form / JSON body fields) continue a pagination? */
export function continuesPagination(query: [string, string][], body?: unknown): boolean {
  for (const [name, value] of query) if (isContinuation(name, value)) return true;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) {
      if ((typeof value === 'string' || typeof value === 'number') && isContinuation(name, String(value)))
        return true;
    }
  }
  return false;
}

function isContinuation(name: string, value: string): boolean {
  if (value === '') return false;
  const n = normalise(name);
  if (CONTINUATION_PARAMS.has(n)) return true;
  return n === 'page' && /^\d+$/.test(value) && Number(value) >= 2;
}

/**
 * `body` as the last page: next-page strings emptied (`''`: what Slack sends, and what every client
 * reads as "no more"), other next-page values null, `has_more` false. Copies what it changes (the body
 * may be a cached example); undefined when there was nothing to change.
 */
export function asLastPage(body: unknown): unknown {
  return endPages(body, 0);
}

function endPages(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let copy: Record<string, unknown> | undefined;
  const set = (key: string, next: unknown): void => {
    copy ??= { ...(value as Record<string, unknown>) };
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
    else copy[key] = next;
  };
  for (const [key, item] of Object.entries(value)) {
    const n = normalise(key);
    if (MORE_NORMALISED.has(n)) {
      if (item === true) set(key, false);
    } else if (NEXT_NORMALISED.test(n)) {
      if (typeof item === 'string') {
        if (item !== '') set(key, '');
      } else if (item !== null && item !== undefined && item !== false) {
        set(key, null);
      }
    } else if (depth < MAX_DEPTH) {
      const ended = endPages(item, depth + 1);
      if (ended !== undefined) set(key, ended);
    }
  }
  return copy;
}

/**
 * A documented `Link` header (RFC 8288) made to lead back to the mock. Examples carry links to the
 * real service (`<https://api.github.com/resource?page=2>; rel="next"`): a client that follows them
 * (Octokit's paginate) would leave the mock. Each link becomes the requested URL on the mock's own
 * origin (the request's Host), with the query parameters of the documented link (`page=2`) set on it;
 * a request that continues a pagination gets no `next` link (the last page, as asLastPage).
 * Parts that are not `<url>; params` are dropped; undefined when nothing is left.
 */
export function localLinks(
  value: string,
  request: { url: string; headers: Record<string, string | string[] | undefined> },
  last: boolean,
): string | undefined {
  const host = typeof request.headers.host === 'string' ? request.headers.host : '127.0.0.1';
  let base: URL;
  try {
    base = new URL(request.url, `http://${host}`);
  } catch {
    return undefined;
  }
  const out: string[] = [];
  const link = /<([^>]*)>((?:\s*;\s*[^,;<]+)*)/g;
  let m: RegExpExecArray | null;
  while ((m = link.exec(value)) !== null) {
    const params = m[2];
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1].toLowerCase().split(/\s+/) ?? [];
    if (last && rel.includes('next')) continue;
    let documented: URL;
    try {
      documented = new URL(m[1], 'http://documented.invalid');
    } catch {
      continue;
    }
    const target = new URL(base.href);
    documented.searchParams.forEach((v, k) => target.searchParams.set(k, v));
    out.push(`<${target.href}>${params}`);
  }
  return out.length > 0 ? out.join(', ') : undefined;
}
