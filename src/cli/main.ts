import { isMockgenError } from '../errors';

/** Each command module exports `run(argv): Promise<number>` (the exit code) and `usage`. */
type CommandModule = { run(argv: string[]): Promise<number>; usage: string };

const COMMANDS: Record<string, () => CommandModule> = {
  generate: () => require('./commands/generate') as CommandModule,
  drift: () => require('./commands/drift') as CommandModule,
  record: () => require('./commands/record') as CommandModule,
  serve: () => require('./commands/serve') as CommandModule,
};

const HELP = `mockgen — contract-driven API mocks

Usage:
  mockgen generate [--spec FILE] [--recordings FILE.har ...] [--out DIR] [--check]
  mockgen drift --spec FILE --recordings FILE.har [--format text|json|junit|github|sarif|html] [--min-coverage N]
  mockgen record --target URL [--port N] --out FILE.har [--spec FILE]
  mockgen serve --spec FILE [--recordings FILE.har ...] [--port N] [--watch]

Run \`mockgen <command> --help\` for the options of a command.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${(require('../../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`mockgen: unknown command '${name}'.\n\n${HELP}`);
    return 2;
  }
  const verbose = rest.includes('--verbose');
  try {
    const command = load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.usage);
      return 0;
    }
    return await command.run(rest.filter((arg) => arg !== '--verbose'));
  } catch (err) {
    if (isMockgenError(err)) {
      process.stderr.write(`mockgen ${name}: ${err.message}\n`);
      if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.details.exitCode ?? 2;
    }
    process.stderr.write(`mockgen ${name}: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    if (verbose) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    else process.stderr.write('Run again with --verbose for the stack trace, and please report it.\n');
    return 2;
  }
}
