import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CORE_SCHEMA, load, mergeTag, YAMLException } from 'js-yaml';
import { MockgenError } from '../errors';
import type { Diagnostic } from '../model/types';

/** Timestamps stay strings (`version: 2024-06-01`), merge keys (`<<: *base`) work as most YAML tools expect. */
const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);
const YAML_MAX_DEPTH = 2000;

export interface ReadDocument {
  value: unknown;
  diagnostics: Diagnostic[];
}

/** Reads and parses a JSON or YAML file; syntax errors name the file and line:column. */
export async function readDocument(file: string): Promise<ReadDocument> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new MockgenError(`cannot read ${file}: ${describeIoError(err)}`, { file });
  }
  return parseDocument(text, file);
}

/** Pure part of `readDocument`: JSON when the file looks like JSON, YAML otherwise. */
export function parseDocument(rawText: string, file: string): ReadDocument {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.trim() === '') {
    throw new MockgenError(`${file}: the file is empty; expected an OpenAPI document in JSON or YAML`, {
      file,
    });
  }
  const looksLikeJson = path.extname(file).toLowerCase() === '.json' || /^\s*[{[]/.test(text);
  if (looksLikeJson) {
    try {
      return { value: JSON.parse(text), diagnostics: [] };
    } catch (jsonErr) {
      // Not strict JSON (comments, trailing commas, or YAML in a .json file): YAML is a superset worth a try.
      try {
        return parseYaml(text, file);
      } catch {
        throw jsonSyntaxError(jsonErr as Error, text, file);
      }
    }
  }
  return parseYaml(text, file);
}

function parseYaml(text: string, file: string): ReadDocument {
  try {
    return { value: load(text, { schema: YAML_SCHEMA, maxDepth: YAML_MAX_DEPTH }), diagnostics: [] };
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    if (err.reason === 'duplicated mapping key') {
      // Real contracts have these; the last key wins (as in JSON.parse) and the user hears about it.
      const value = load(text, { schema: YAML_SCHEMA, maxDepth: YAML_MAX_DEPTH, json: true });
      const line = (err.mark?.line ?? 0) + 1;
      const column = (err.mark?.column ?? 0) + 1;
      return {
        value,
        diagnostics: [
          {
            severity: 'warning',
            code: 'duplicate-key',
            message: `duplicated mapping key at line ${line}:${column}; the last one wins`,
            file,
            pointer: '',
          },
        ],
      };
    }
    const line = err.mark ? err.mark.line + 1 : undefined;
    const where = err.mark ? `${line}:${err.mark.column + 1}` : '';
    throw new MockgenError(
      `${file}${where ? `:${where}` : ''}: YAML syntax error: ${err.reason || err.message}`,
      {
        file,
        line,
      },
    );
  }
}

function jsonSyntaxError(err: Error, text: string, file: string): MockgenError {
  const reason = err.message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  const position = /at position (\d+)/.exec(err.message);
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(err.message);
  let line: number | undefined;
  let column: number | undefined;
  if (lineCol) {
    line = Number(lineCol[1]);
    column = Number(lineCol[2]);
  } else if (position) {
    ({ line, column } = lineColumnAt(text, Number(position[1])));
  } else if (/end of (JSON )?input/i.test(err.message)) {
    ({ line, column } = lineColumnAt(text, text.length));
  }
  const where = line !== undefined ? `:${line}:${column}` : '';
  return new MockgenError(`${file}${where}: JSON syntax error: ${reason}`, { file, line });
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (err as Error).message;
  }
}
