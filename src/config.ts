import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { MockgenError } from './errors';
import { isRecord } from '../templates/runtime/core/json';

/** One contract → one emitted project. */
export interface ProjectConfig {
  spec: string;
  recordings: string[];
  out: string;
  seed: number;
  /** faker locale for generated values (`de`, `en_GB`...); else the contract's, else en */
  locale?: string;
  /** detect dynamic values (tokens, timestamps, echoes) and template them */
  dynamic: boolean;
  /** extra header/query/field names to redact from recordings */
  redact: string[];
  sequencePolicy: 'repeat-last' | 'loop' | 'fallback';
}

export const CONFIG_FILES = ['mockgen.config.json', 'mockgen.config.yaml', 'mockgen.config.yml'];

const DEFAULTS = {
  recordings: [],
  seed: 1,
  dynamic: true,
  redact: [],
  sequencePolicy: 'repeat-last',
} as const;

/**
 * Reads `mockgen.config.json` (or `.yaml`) in `dir`: either one project
 * `{ "spec", "recordings"?, "out", "seed"? ... }` or `{ "projects": [ ... ] }`.
 * Paths are relative to the config file.
 */
export function readConfig(dir: string): { file: string; projects: ProjectConfig[] } {
  const file = CONFIG_FILES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw new MockgenError(
      `no --spec given and no ${CONFIG_FILES.join(' / ')} in ${dir}. Run \`mockgen generate --spec api.yaml --out mock\`, or add a config file.`,
    );
  }
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : yaml.load(text);
  } catch (err) {
    throw new MockgenError(`${file}: cannot parse: ${(err as Error).message}`, { file });
  }
  const base = path.dirname(file);
  const entries = isRecord(raw) && Array.isArray(raw.projects) ? raw.projects : [raw];
  const projects = entries.map((entry, i) =>
    toProjectConfig(
      entry,
      base,
      `${file}${entries.length > 1 || Array.isArray((raw as { projects?: unknown }).projects) ? ` /projects/${i}` : ''}`,
    ),
  );
  if (projects.length === 0) throw new MockgenError(`${file}: /projects is empty`, { file });
  return { file, projects };
}

export function toProjectConfig(entry: unknown, base: string, where: string): ProjectConfig {
  if (!isRecord(entry)) throw new MockgenError(`${where}: expected an object with "spec" and "out"`);
  const str = (key: string): string => {
    const value = entry[key];
    if (typeof value !== 'string' || value === '')
      throw new MockgenError(`${where}: "${key}" must be a non-empty string`);
    return value;
  };
  const list = (key: string): string[] => {
    const value = entry[key] ?? [];
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || items.some((v) => typeof v !== 'string')) {
      throw new MockgenError(`${where}: "${key}" must be a string or a list of strings`);
    }
    return items as string[];
  };
  const seed = entry.seed ?? DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new MockgenError(`${where}: "seed" must be an integer`);
  const policy = entry.sequencePolicy ?? DEFAULTS.sequencePolicy;
  if (policy !== 'repeat-last' && policy !== 'loop' && policy !== 'fallback') {
    throw new MockgenError(`${where}: "sequencePolicy" must be repeat-last, loop or fallback`);
  }
  const locale = entry.locale;
  if (locale !== undefined && (typeof locale !== 'string' || locale === ''))
    throw new MockgenError(`${where}: "locale" must be a non-empty string such as "en" or "de"`);
  return {
    ...(locale !== undefined ? { locale } : {}),
    spec: path.resolve(base, str('spec')),
    out: path.resolve(base, str('out')),
    recordings: list('recordings').map((file) => path.resolve(base, file)),
    seed,
    dynamic: entry.dynamic === undefined ? DEFAULTS.dynamic : entry.dynamic !== false,
    redact: list('redact'),
    sequencePolicy: policy,
  };
}
