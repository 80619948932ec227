import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';
import { child } from '../../templates/runtime/core/pointer';

/** 1-based line and column (UTF-16 code units, as editors and SARIF `utf16CodeUnits` count). */
export interface SourcePosition {
  line: number;
  column: number;
}

const MAX_DEPTH = 2000;

interface Frame {
  kind: 'mapping' | 'sequence' | 'document';
  /** JSON pointer of the collection; undefined when nothing wanted lies below it (not tracked) */
  pointer: string | undefined;
  index: number;
  /** mapping: the key just read, waiting for its value (undefined = the next node is a key) */
  key?: { token: string | undefined; offset: number };
}

/**
 * Where the JSON pointers of a contract's text are (the key of a mapping member, the start of a
 * sequence item). One pass over js-yaml's event stream — JSON is YAML, so both formats go the same
 * way — that only builds pointers below wanted ones, so a 10 MB contract costs one parse. Pointers
 * not in the text (bundled from another file, merged in by `<<`) are missing from the result; text
 * that does not parse gives an empty map: locations are a nicety, never a reason to fail.
 */
export function locatePointers(rawText: string, pointers: Iterable<string>): Map<string, SourcePosition> {
  const found = new Map<string, SourcePosition>();
  const wanted = new Set<string>();
  for (const pointer of pointers) {
    // every prefix is wanted too: it is how the walk knows which subtrees to follow
    let p = pointer;
    while (!wanted.has(p)) {
      wanted.add(p);
      if (p === '') break;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }
  if (wanted.size === 0) return found;
  // as read-document does; a BOM is not a column anyone sees
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch {
    return found;
  }
  const lines = lineStarts(text);
  const stack: Frame[] = [];
  let documents = 0;

  const place = (pointer: string | undefined, offset: number): string | undefined => {
    if (pointer === undefined || !wanted.has(pointer)) return undefined;
    if (!found.has(pointer)) found.set(pointer, positionAt(lines, offset));
    return pointer;
  };

  /** The pointer of the node that starts here (and records it), or undefined for a mapping key. */
  const enter = (offset: number, keyToken: () => string | undefined): string | undefined | null => {
    const top = stack[stack.length - 1];
    if (top.kind === 'document') return place(top.index++ === 0 ? '' : undefined, offset);
    if (top.kind === 'sequence') {
      const index = top.index++;
      return place(top.pointer === undefined ? undefined : child(top.pointer, index), offset);
    }
    if (top.key === undefined) {
      top.key = { token: top.pointer === undefined ? undefined : keyToken(), offset };
      return null;
    }
    const { token, offset: keyOffset } = top.key;
    top.key = undefined;
    return place(
      top.pointer === undefined || token === undefined ? undefined : child(top.pointer, token),
      keyOffset,
    );
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (documents++ > 0) return found;
        stack.push({ kind: 'document', pointer: '', index: 0 });
        break;
      case EVENT_ID.SCALAR: {
        const quoted =
          event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        const offset = Math.max(0, event.valueStart - (quoted ? 1 : 0));
        enter(offset, () => getScalarValue(text, event));
        break;
      }
      case EVENT_ID.ALIAS:
        // an alias as a key names nothing a pointer can reach
        enter(event.anchorStart, () => undefined);
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const pointer = enter(event.start, () => undefined);
        // a collection used as a key (`? [a, b]`) is walked untracked
        stack.push({
          kind: event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence',
          pointer: pointer ?? undefined,
          index: 0,
        });
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return found;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionAt(starts: number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}
