import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { detectors } from '../analyzers/index';
import { loadCatalog } from '../core/default-catalog';
import { formatJson, withLevels } from '../core/format/json';
import { formatSarif } from '../core/format/sarif';
import { formatText } from '../core/format/text';
import { LEVEL_ORDER, type Level } from '../core/rules';
import { scanPaths } from '../core/scan';
import { VERSION } from '../core/version';

const USAGE = `Usage: offbox scan [paths...] [options]

Finds every place where the code sends data off the machine: network calls, vendor SDKs,
remote scripts and pixels, cookies and shell commands that reach out.

Options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of standard output
  --fail-on LEVEL            exit 1 when a finding is at LEVEL or above:
                             none|note|warning|error (default: error)
  --max-file-size BYTES      skip larger files (default: 1048576)
  --include-tests            also scan tests, specs, stories and mocks
  --exclude PATTERN          leave out files matching a .gitignore-style pattern (repeatable)
  --verbose                  list every skipped file with its reason
  --no-prefilter             parse every file, even those without a sign of a send
  -h, --help                 show this help
  -v, --version              show the version

Exit codes: 0 no finding at --fail-on, 1 findings at or above --fail-on, 2 usage or configuration error.`;

const FORMATS = ['text', 'json', 'sarif'] as const;

/** Runs the CLI and returns its exit code; all output goes through the two writers. */
export function main(argv: string[], stdout: (text: string) => void, stderr: (text: string) => void, cwd = process.cwd()): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'fail-on': { type: 'string', default: 'error' },
        'max-file-size': { type: 'string' },
        'include-tests': { type: 'boolean', default: false },
        exclude: { type: 'string', multiple: true, default: [] },
        verbose: { type: 'boolean', default: false },
        'no-prefilter': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    stderr(`offbox: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    stdout(`${VERSION}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (values.help || command === 'help' ? stdout : stderr)(`${USAGE}\n`);
    return values.help || command === 'help' ? 0 : 2;
  }
  if (command !== 'scan') {
    stderr(`offbox: unknown command '${command}'. Try 'offbox scan .'.\n`);
    return 2;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    stderr(`offbox: --format must be one of ${FORMATS.join(', ')}, not '${values.format}'.\n`);
    return 2;
  }
  const failOn = values['fail-on'] as Level;
  if (!(failOn in LEVEL_ORDER)) {
    stderr(`offbox: --fail-on must be one of none, note, warning, error, not '${values['fail-on']}'.\n`);
    return 2;
  }
  const maxFileSize = values['max-file-size'] === undefined ? undefined : Number(values['max-file-size']);
  if (maxFileSize !== undefined && (!Number.isInteger(maxFileSize) || maxFileSize <= 0)) {
    stderr(`offbox: --max-file-size takes a number of bytes, such as 2097152, not '${values['max-file-size']}'.\n`);
    return 2;
  }
  const result = scanPaths(paths.length > 0 ? paths : ['.'], loadCatalog(), detectors, {
    cwd,
    includeTests: values['include-tests'],
    exclude: values.exclude,
    prefilter: !values['no-prefilter'],
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
  });
  const missingRoot = result.skipped.find((skip) => paths.includes(skip.file) && skip.reason.startsWith('cannot be read'));
  if (missingRoot) {
    stderr(`offbox: ${missingRoot.file} ${missingRoot.reason}. Give a directory or file that exists.\n`);
    return 2;
  }
  const findings = withLevels(result.findings);
  const report =
    format === 'json' ? formatJson(result, findings) : format === 'sarif' ? formatSarif(result, findings, cwd) : formatText(result, findings, { verbose: values.verbose });
  if (values.output) {
    try {
      writeFileSync(values.output, report);
    } catch (error) {
      stderr(`offbox: cannot write ${values.output}: ${(error as Error).message}\n`);
      return 2;
    }
    stderr(`offbox: ${findings.length} findings written to ${values.output}\n`);
  } else {
    stdout(report);
  }
  const threshold = LEVEL_ORDER[failOn];
  return threshold > 0 && findings.some((finding) => LEVEL_ORDER[finding.level] >= threshold) ? 1 : 0;
}
