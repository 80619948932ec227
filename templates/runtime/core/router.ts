/**
 * Path-template router: a segment trie, so matching costs O(segments), not O(operations).
 * Literal segments win over templated ones (`/pets/mine` before `/pets/{petId}`); a segment may
 * mix literals and parameters (`/files/{name}.{ext}`, `/v1/{id}:cancel`).
 * When nothing matches segment by segment, a template's final segment may span several request
 * segments (`/repos/{owner}/{repo}/contents/{path}` matches `.../contents/docs/README.md`), as Prism
 * and GitHub do for file paths. Such a match is marked `stretched` (the parameters holding a `/`).
 */

export interface RouteMatch<T> {
  /** handlers by lower-case method for the matched path template */
  methods: Map<string, T>;
  template: string;
  /** percent-decoded path parameters */
  params: Record<string, string>;
  /**
   * Set when the template matched only because its final segment took several request segments
   * (`/user/{username}` for `/user/alice/not-a-route`): the names of the parameters that hold a `/`.
   * A stretch, not a documented match: drift reports it, the mock says so in its journal.
   */
  stretched?: string[];
}

/** One operation a request may be meant for (see `Router.alternatives`). */
export interface RouteCandidate<T> {
  value: T;
  template: string;
  /** the matched path parameters under this template's names */
  params: Record<string, string>;
}

interface SegmentPattern {
  regex: RegExp;
  /** the same pattern with parameters that may contain `/` (final segment spanning the rest of the path) */
  spanRegex: RegExp;
  names: string[];
  source: string;
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  patterns: { pattern: SegmentPattern; node: Node<T> }[];
  methods?: Map<string, T>;
  template?: string;
}

function newNode<T>(): Node<T> {
  return { literal: new Map(), patterns: [] };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileSegment(segment: string): SegmentPattern | undefined {
  if (!segment.includes('{')) return undefined;
  const names: string[] = [];
  let source = '^';
  let spanSource = '^';
  let last = 0;
  const re = /\{([^}]+)\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(segment)) !== null) {
    const literal = escapeRegex(segment.slice(last, m.index));
    names.push(m[1]);
    source += `${literal}([^/]+?)`;
    spanSource += `${literal}(.+?)`;
    last = m.index + m[0].length;
  }
  const tail = escapeRegex(segment.slice(last)) + '$';
  return {
    regex: new RegExp(source + tail),
    spanRegex: new RegExp(spanSource + tail, 's'),
    names,
    source: segment,
  };
}

export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** What `#fragment` hints are checked against: decoded query pairs, lower-case header names. */
export interface FragmentRequest {
  query: [string, string][];
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Where a template's hint starts: a `#fragment`, which is never sent (AWS contracts: `/#Action=AssumeRole`,
 * `/#X-Amz-Target=Service.Action`, `/things/{id}#type`), or a `?query` the client sends (Flickr:
 * `/rest?method=flickr.photos.getInfo`); both tell operations on one path apart. -1: none.
 */
function hintStart(template: string): number {
  const query = template.indexOf('?');
  const hash = template.indexOf('#');
  return query < 0 ? hash : hash < 0 ? query : Math.min(query, hash);
}

/** A template without its `?query` or `#fragment` hint (`hintStart`). */
export function templatePath(template: string): string {
  const at = hintStart(template);
  return at < 0 ? template : template.slice(0, at);
}

/** Parameter names of a template's path, in order. */
function parameterNames(template: string): string[] {
  return [...templatePath(template).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Same method and same segments once parameter names and fragments are ignored. */
export function routeShape(method: string, template: string): string {
  return `${method} ${templatePath(template).replace(/\{[^}]+\}/g, '{}')}`;
}

/**
 * How well a request fits a template's hint (`#Action=AssumeRole`, `#X-Amz-Target=S.Op`,
 * `#identifierType&resolution`, `?method=flickr.photos.getInfo`: query parameters or headers with
 * those names and values): 2 it names only what the request has, 1 no hint, 0 the request lacks
 * something it names.
 */
export function fragmentHint(template: string, request: FragmentRequest): number {
  const at = hintStart(template);
  if (at < 0) return 1;
  for (const part of template.slice(at + 1).split(/[&#?]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? undefined : safeDecode(part.slice(eq + 1));
    const lower = name.toLowerCase();
    const header = Object.prototype.hasOwnProperty.call(request.headers, lower)
      ? request.headers[lower]
      : undefined;
    const sent = [
      ...request.query.filter(([key]) => key === name).map(([, v]) => v),
      ...(header === undefined ? [] : Array.isArray(header) ? header : [header]),
    ];
    if (sent.length === 0 || (value !== undefined && !sent.includes(value))) return 0;
  }
  return 2;
}

/** The candidate whose `#fragment` fits the request best (`fragmentHint`), the first on ties. */
export function bestByFragment<T>(
  candidates: RouteCandidate<T>[],
  request: FragmentRequest,
): RouteCandidate<T> {
  let best = candidates[0];
  let bestHint = -1;
  for (const candidate of candidates) {
    const hint = fragmentHint(candidate.template, request);
    if (hint > bestHint) [best, bestHint] = [candidate, hint];
  }
  return best;
}

export class Router<T> {
  private readonly root: Node<T> = newNode();
  /** operations by method and path shape, in the order added */
  private readonly shapes = new Map<string, { value: T; template: string }[]>();

  /** The first operation added for a method and path keeps the route; later ones are `alternatives`. */
  add(method: string, template: string, value: T): void {
    const lower = method.toLowerCase();
    const key = routeShape(lower, template);
    const shape = this.shapes.get(key);
    if (shape) shape.push({ value, template });
    else this.shapes.set(key, [{ value, template }]);
    let node = this.root;
    for (const segment of splitPath(templatePath(template))) {
      const pattern = compileSegment(segment);
      if (!pattern) {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode()));
        node = next;
      } else {
        let entry = node.patterns.find((p) => p.pattern.source === segment);
        if (!entry) {
          entry = { pattern, node: newNode() };
          node.patterns.push(entry);
          // more literal characters first: `{id}.json` is tried before `{id}`
          node.patterns.sort((a, b) => literalLength(b.pattern.source) - literalLength(a.pattern.source));
        }
        node = entry.node;
      }
    }
    node.methods ??= new Map();
    node.template ??= template;
    if (!node.methods.has(lower)) node.methods.set(lower, value);
  }

  /**
   * `path` is the raw (still percent-encoded) request path without the base path and query.
   * With `method`, a template that has an operation for it wins over an earlier one that has not
   * (`GET /pets/mine` goes to `GET /pets/{petId}` when `/pets/mine` only has a POST), as in Prism;
   * HEAD is served by GET.
   */
  match(path: string, method?: string): RouteMatch<T> | undefined {
    const segments = splitPath(path);
    const want = method?.toLowerCase();
    for (const accepted of want === undefined ? ANY : [want, undefined]) {
      // first segment by segment; only when nothing matches, a final parameter may span several segments
      for (const span of [false, true]) {
        const params: Record<string, string> = {};
        const stretched: string[] = [];
        const node = this.walk(this.root, segments, 0, params, span ? stretched : undefined, false, accepted);
        if (node?.methods && node.template !== undefined)
          return stretched.length > 0
            ? { methods: node.methods, template: node.template, params, stretched }
            : { methods: node.methods, template: node.template, params };
      }
    }
    return undefined;
  }

  /** Whether other operations share the shape of `method template` (see `alternatives`). */
  sharesShape(method: string, template: string): boolean {
    return (this.shapes.get(routeShape(method.toLowerCase(), template))?.length ?? 0) > 1;
  }

  /**
   * Every operation for `method` whose template has the matched one's shape — the same segments with
   * other parameter names (`/items/{id}`, `/items/{slug}`) or another `#fragment` (`/#Action=A`,
   * `/#Action=B`) — in the order added, with the path parameters renamed; undefined when there is one.
   */
  alternatives(method: string, match: RouteMatch<T>): RouteCandidate<T>[] | undefined {
    const shape = this.shapes.get(routeShape(method.toLowerCase(), match.template));
    if (!shape || shape.length < 2) return undefined;
    const values = parameterNames(match.template).map((name) => match.params[name]);
    return shape.map(({ value, template }) => {
      const params: Record<string, string> = {};
      parameterNames(template).forEach((name, i) => {
        if (values[i] !== undefined) params[name] = values[i];
      });
      return { value, template, params };
    });
  }

  private walk(
    node: Node<T>,
    segments: string[],
    index: number,
    params: Record<string, string>,
    /** the fallback pass: where the names of parameters spanning segments go; undefined: no spanning */
    span: string[] | undefined,
    afterLiteral: boolean,
    /** the method the node must have; undefined: any */
    want: string | undefined,
  ): Node<T> | undefined {
    if (index === segments.length) return accepts(node, want) ? node : undefined;
    const segment = segments[index];
    const literal = node.literal.get(segment) ?? node.literal.get(safeDecode(segment));
    if (literal) {
      const found = this.walk(literal, segments, index + 1, params, span, true, want);
      if (found) return found;
    }
    for (const { pattern, node: child } of node.patterns) {
      const m = pattern.regex.exec(segment);
      if (!m) continue;
      const found = this.walk(child, segments, index + 1, params, span, false, want);
      if (found) {
        pattern.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
        return found;
      }
    }
    // the fallback pass: a template's final segment, right after a literal one (`contents/{path}`, `ref/{ref}`),
    // takes all the remaining (non-empty) segments; `/{owner}/{repo}` never swallows a longer unknown path
    if (
      span !== undefined &&
      afterLiteral &&
      segments.length - index > 1 &&
      segments.slice(index).every((s) => s !== '')
    ) {
      const rest = segments.slice(index).join('/');
      for (const { pattern, node: child } of node.patterns) {
        const m = accepts(child, want) ? pattern.spanRegex.exec(rest) : null;
        if (!m) continue;
        pattern.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1]);
          if (m[i + 1].includes('/')) span.push(name);
        });
        return child;
      }
    }
    return undefined;
  }
}

const ANY = [undefined];

function accepts(node: Node<unknown>, method: string | undefined): boolean {
  if (node.methods === undefined) return false;
  return method === undefined || node.methods.has(method) || (method === 'head' && node.methods.has('get'));
}

function literalLength(segment: string): number {
  return segment.replace(/\{[^}]+\}/g, '').length;
}
