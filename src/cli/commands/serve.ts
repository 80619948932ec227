import * as fs from 'node:fs';
import * as path from 'node:path';
import { toProjectConfig } from '../../config';
import { isMockgenError, MockgenError } from '../../errors';
import { parseCommandFlags, PROJECT_OPTIONS } from '../flags';
import { startLiveMock, type ServedVersion } from '../../serve/live-mock';
import { watchFiles, type FileWatcher } from '../../serve/watch-files';

export const usage = `Usage: mockgen serve --spec FILE [--recordings FILE.har ...] [--port N] [options]

Serves the mock \`mockgen generate\` would emit, straight from the contract and recordings, without
writing a project (like \`prism mock\`). The same runtime, the same MOCKGEN_* settings; GET
/__mockgen/health answers 200 once it is ready. Runs until Ctrl-C / SIGTERM.

Options:
  --spec FILE             the OpenAPI contract (YAML or JSON)
  --recordings FILE.har   recorded traffic to replay; repeat for several files
  --port N                port to listen on (default: $PORT, else 4010; 0 picks a free one)
  --host ADDR             interface to listen on (default: $HOST, else 127.0.0.1)
  --watch                 reload when the contract, a file it \`$ref\`s or a recording changes; state
                          resets on reload, and a version that fails to load leaves the previous one serving
  --seed N                seed for generated data (default 1)
  --locale L              faker locale of generated names, addresses...: en (default), de, en_GB, ja...
  --no-dynamic            replay recorded tokens, timestamps and ids frozen instead of templating them
  --redact NAME           also redact this header / query / field name from recordings; repeatable
  --sequence-policy P     after a recorded sequence ends: repeat-last (default), loop, fallback
  --quiet                 print errors only
  --verbose               stack traces for errors
`;

/** Changes closer together than this are one reload (an editor's save is several events). */
const WATCH_DEBOUNCE_MS = 100;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv);
  if (!values.spec) throw new MockgenError(`--spec FILE is required.\n\n${usage}`);
  const port = parsePort(values.port, process.env.PORT);
  const host = values.host || process.env.HOST || '127.0.0.1';
  const project = toProjectConfig(
    {
      spec: values.spec,
      // nothing is written: the data goes to a private temporary folder
      out: '.',
      recordings: values.recordings ?? [],
      seed: values.seed === undefined ? undefined : parseSeed(values.seed),
      dynamic: !values['no-dynamic'],
      redact: values.redact ?? [],
      sequencePolicy: values['sequence-policy'],
      locale: values.locale,
    },
    process.cwd(),
    'command line',
  );
  const specName = displayPath(project.spec);
  const say = (line: string): void => {
    if (!values.quiet) process.stdout.write(`mockgen serve: ${line}\n`);
  };

  // before anything listens: whoever sees the "listening" line may signal at once, and a signal
  // during planning still ends in a clean close
  let onSignal: (name: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const planStarted = Date.now();
  const mock = await startLiveMock({ project, port, host }).catch((err: unknown) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw err;
  });
  const first = mock.version();

  let stopping = false;
  let watcher: FileWatcher | undefined;
  if (values.watch) {
    const reload = (): void => {
      mock.reload().then(
        (version) => {
          if (stopping) return;
          // a `$ref` added or dropped changes what there is to watch
          watcher?.update(version.summary.inputs);
          say(`reloaded ${specName} (${operations(version)}); state reset`);
        },
        (err: unknown) => {
          if (stopping) return;
          const message = isMockgenError(err) ? err.message : String((err as Error)?.stack ?? err);
          process.stderr.write(
            `mockgen serve: ${message}\nmockgen serve: still serving the previous version of ${specName}; fix the file to reload.\n`,
          );
        },
      );
    };
    // watching starts before the "listening" line, so a change made on seeing it is noticed; one
    // made while the first plan was read is caught by its time
    watcher = watchFiles(first.summary.inputs, reload, WATCH_DEBOUNCE_MS);
    if (first.summary.inputs.some((file) => modifiedSince(file, planStarted))) reload();
  }

  const shownHost = host.includes(':') ? `[${host}]` : host;
  const watching = first.summary.inputs.length;
  say(
    `${first.title || 'mock'} listening on http://${shownHost}:${mock.port}${first.basePath} ` +
      `(${operations(first)}) from ${specName}` +
      `${values.watch ? `, watching ${watching} file${watching === 1 ? '' : 's'}` : ''}. Ctrl-C to stop.`,
  );

  const signal = await signalled;
  stopping = true;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // a second Ctrl-C stops waiting for requests in flight (the temporary folder goes on 'exit')
  const force = (): void => process.exit(0);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  watcher?.close();
  say(`${signal}, closing`);
  await mock.close();
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  return 0;
}

function modifiedSince(file: string, time: number): boolean {
  try {
    return fs.statSync(file).mtimeMs >= time;
  } catch {
    return false;
  }
}

function operations(version: ServedVersion): string {
  return `${version.operations} operation${version.operations === 1 ? '' : 's'}`;
}

function parseFlags(argv: string[]) {
  return parseCommandFlags(
    {
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...PROJECT_OPTIONS,
        port: { type: 'string' },
        host: { type: 'string' },
        watch: { type: 'boolean' },
      },
    },
    usage,
  );
}

/** `--port` wins over `PORT`, as the emitted project reads `PORT`. */
export function parsePort(flag: string | undefined, env: string | undefined): number {
  const [text, source] = flag !== undefined ? [flag, '--port'] : [env ?? '', 'PORT (environment)'];
  if (flag === undefined && text === '') return 4010;
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535) {
    throw new MockgenError(
      `${source} must be a port number from 0 to 65535 (0 picks a free one), got '${text}'.`,
    );
  }
  return Number(text);
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new MockgenError(`--seed must be an integer, got '${text}'`);
  return seed;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
