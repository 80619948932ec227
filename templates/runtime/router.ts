/**
 * Path-template router: a segment trie, so matching costs O(segments), not O(operations).
 * Literal segments win over templated ones (`/pets/mine` before `/pets/{petId}`); a segment may
 * mix literals and parameters (`/files/{name}.{ext}`, `/v1/{id}:cancel`).
 * When nothing matches segment by segment, a template's final segment may span several request
 * segments (`/repos/{owner}/{repo}/contents/{path}` matches `.../contents/docs/README.md`), as Prism
 * and GitHub do for file paths.
 */

export interface RouteMatch<T> {
  /** handlers by lower-case method for the matched path template */
  methods: Map<string, T>;
  template: string;
  /** percent-decoded path parameters */
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

export class Router<T> {
  private readonly root: Node<T> = newNode();

  add(method: string, template: string, value: T): void {
    let node = this.root;
    // a `#fragment` is never sent: AWS contracts (`/#X-Amz-Target=Service.Action`) use it to tell operations apart
    for (const segment of splitPath(template.replace(/#.*$/s, ''))) {
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
    node.methods.set(method.toLowerCase(), value);
  }

  /** `path` is the raw (still percent-encoded) request path without the base path and query. */
  match(path: string): RouteMatch<T> | undefined {
    const segments = splitPath(path);
    // first segment by segment; only when nothing matches, a final parameter may span several segments
    for (const span of [false, true]) {
      const params: Record<string, string> = {};
      const node = this.walk(this.root, segments, 0, params, span, false);
      if (node?.methods && node.template !== undefined)
        return { methods: node.methods, template: node.template, params };
    }
    return undefined;
  }

  private walk(
    node: Node<T>,
    segments: string[],
    index: number,
    params: Record<string, string>,
    span: boolean,
    afterLiteral: boolean,
  ): Node<T> | undefined {
    if (index === segments.length) return node.methods ? node : undefined;
    const segment = segments[index];
    const literal = node.literal.get(segment) ?? node.literal.get(safeDecode(segment));
    if (literal) {
      const found = this.walk(literal, segments, index + 1, params, span, true);
      if (found) return found;
    }
    for (const { pattern, node: child } of node.patterns) {
      const m = pattern.regex.exec(segment);
      if (!m) continue;
      const found = this.walk(child, segments, index + 1, params, span, false);
      if (found) {
        pattern.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
        return found;
      }
    }
    // the fallback pass: a template's final segment, right after a literal one (`contents/{path}`, `ref/{ref}`),
    // takes all the remaining (non-empty) segments; `/{owner}/{repo}` never swallows a longer unknown path
    if (span && afterLiteral && segments.length - index > 1 && segments.slice(index).every((s) => s !== '')) {
      const rest = segments.slice(index).join('/');
      for (const { pattern, node: child } of node.patterns) {
        const m = child.methods ? pattern.spanRegex.exec(rest) : null;
        if (!m) continue;
        pattern.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
        return child;
      }
    }
    return undefined;
  }
}

function literalLength(segment: string): number {
  return segment.replace(/\{[^}]+\}/g, '').length;
}
