import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MockgenError } from '../errors';

/** The flags of every command that plans a project from a contract (generate, serve). */
export const PROJECT_OPTIONS = {
  spec: { type: 'string' },
  recordings: { type: 'string', multiple: true },
  seed: { type: 'string' },
  locale: { type: 'string' },
  'no-dynamic': { type: 'boolean' },
  redact: { type: 'string', multiple: true },
  'sequence-policy': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** Strict flag parsing: an unknown or malformed flag is a user error that shows the command's usage. */
export function parseCommandFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new MockgenError(`${(err as Error).message}\n\n${usage}`);
  }
}
