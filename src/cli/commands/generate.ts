import * as path from 'node:path';
import { readConfig, toProjectConfig, type ProjectConfig } from '../../config';
import { compareOutput, writeOutput } from '../../emit/write-output';
import { MockgenError } from '../../errors';
import { parseCommandFlags, PROJECT_OPTIONS } from '../flags';
import { planProject, type GenerateSummary } from '../../generate';

export const usage = `Usage: mockgen generate [--spec FILE] [--recordings FILE.har ...] [--out DIR] [options]

Emits a standalone TypeScript mock-server project from an OpenAPI contract (2.0, 3.0, 3.1) and
recorded traffic (HAR 1.2). With no --spec, reads mockgen.config.json (or .yaml) in the current folder.

Options:
  --spec FILE             the OpenAPI contract (YAML or JSON)
  --recordings FILE.har   recorded traffic; repeat for several files
  --out DIR               where to write the project (default: mock-server)
  --check                 write nothing; exit 1 listing the files that differ when the output is stale
  --force                 write into a folder that is not empty and not mockgen's output, replacing
                          files of the same names (other files are always kept)
  --seed N                seed for generated data (default 1)
  --locale L              faker locale of generated names, addresses...: en (default), de, en_GB, ja...
  --no-dynamic            replay recorded tokens, timestamps and ids frozen instead of templating them
  --redact NAME           also redact this header / query / field name from recordings; repeatable
  --sequence-policy P     after a recorded sequence ends: repeat-last (default), loop, fallback
  --quiet                 print errors only
  --verbose               stack traces for errors
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv);
  const cwd = process.cwd();
  let projects: ProjectConfig[];
  if (values.spec) {
    projects = [
      toProjectConfig(
        {
          spec: values.spec,
          out: values.out ?? 'mock-server',
          recordings: values.recordings ?? [],
          seed: values.seed === undefined ? undefined : parseSeed(values.seed),
          dynamic: !values['no-dynamic'],
          redact: values.redact ?? [],
          sequencePolicy: values['sequence-policy'],
          locale: values.locale,
        },
        cwd,
        'command line',
      ),
    ];
  } else {
    if (values.recordings || values.out) {
      throw new MockgenError('--recordings and --out need --spec (or put them in mockgen.config.json)');
    }
    projects = readConfig(cwd).projects.map((project) => ({
      ...project,
      dynamic: values['no-dynamic'] ? false : project.dynamic,
      redact: [...project.redact, ...(values.redact ?? [])],
      seed: values.seed === undefined ? project.seed : parseSeed(values.seed),
    }));
  }

  let stale = 0;
  for (const project of projects) {
    const started = Date.now();
    const { files, summary } = await planProject(project);
    const where = path.relative(cwd, project.out) || '.';
    if (values.check) {
      const report = compareOutput(project.out, files);
      const differing = [
        ...report.changed.map((f) => `  changed  ${where}/${f}`),
        ...report.missing.map((f) => `  missing  ${where}/${f}`),
        ...report.extra.map((f) => `  extra    ${where}/${f}`),
      ];
      if (differing.length > 0) {
        stale++;
        process.stdout.write(
          `${where} is stale (${differing.length} files differ):\n${differing.join('\n')}\n`,
        );
      } else if (!values.quiet) {
        process.stdout.write(`${where} is up to date (${files.size} files)\n`);
      }
      continue;
    }
    const written = writeOutput(project.out, files, { force: values.force === true });
    if (!values.quiet) {
      report(project, where, written.written, summary, Date.now() - started);
      for (const name of written.replaced) process.stdout.write(`  replaced (--force)  ${where}/${name}\n`);
      for (const name of written.keptChanged)
        process.stdout.write(`  kept (changed by hand, no longer generated)  ${where}/${name}\n`);
    }
  }
  if (values.check && stale > 0) {
    process.stdout.write(`Run \`mockgen generate\` and commit the result.\n`);
    return 1;
  }
  return 0;
}

function report(
  project: ProjectConfig,
  where: string,
  fileCount: number,
  summary: GenerateSummary,
  ms: number,
): void {
  const lines = [
    `${path.basename(project.spec)} → ${where}: ${summary.operations} operations, ${fileCount} files (${ms} ms)`,
  ];
  if (project.recordings.length > 0) {
    lines.push(
      `  recordings: ${plural(summary.exchanges, 'entry', 'entries')}, ${summary.matched} matched, ${summary.unmatched} outside the contract (ignored); ` +
        `${plural(summary.resources, 'stateful resource')}, ${plural(summary.dynamicFields, 'dynamic field')}`,
    );
  } else if (summary.resources > 0) {
    lines.push(`  ${plural(summary.resources, 'stateful resource')}`);
  }
  const warnings = summary.diagnostics.filter((d) => d.severity !== 'info');
  for (const d of warnings.slice(0, 10)) {
    lines.push(`  warning: ${d.operation ? `${d.operation}: ` : ''}${d.message} (${d.file}#${d.pointer})`);
  }
  if (warnings.length > 10)
    lines.push(`  … and ${warnings.length - 10} more warnings (listed in ${where}/README.md)`);
  lines.push(`  next: cd ${where} && npm ci && npm start`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function parseFlags(argv: string[]) {
  return parseCommandFlags(
    {
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...PROJECT_OPTIONS,
        out: { type: 'string' },
        check: { type: 'boolean' },
        force: { type: 'boolean' },
      },
    },
    usage,
  );
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new MockgenError(`--seed must be an integer, got '${text}'`);
  return seed;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
