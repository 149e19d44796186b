import { VERSION } from '../core/version';
import { discloseCommand } from './disclose-command';
import { initCommand } from './init-command';
import { checkCommandLine, parseCommandLine, UsageError } from './options';
import { scanCommand } from './scan-command';
import { watchCommand } from './watch-command';

const USAGE = `Usage: offbox <command> [paths...] [options]

Finds every place where the code sends data off the machine — network calls, vendor SDKs,
remote scripts and pixels, cookies, shell commands that reach out — and judges each one
against the privacy mode declared in privacy.json.

Commands:
  scan [paths...]       scan and report (default path: .)
  disclose [paths...]   write a Markdown table of every third party the code uses
  init [path]           write a starter privacy.json from what a scan finds

Options for scan:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of standard output
  --fail-on LEVEL            exit 1 when a finding is at LEVEL or above:
                             none|note|warning|error (default: error)
  --config FILE              privacy.json to use (default: the one in the scanned folder, or here)
  --mode MODE                judge as air-gapped|on-prem|hosted, whatever privacy.json says
  --baseline FILE            a previous JSON or SARIF report: fail only on findings not in it
  --cache                    keep analyses in .offbox-cache/scan.json (+ .journal); unchanged files are not read again
  --cache-location FILE      where the cache lives, with FILE.journal beside it (implies --cache)
  --max-file-size BYTES      skip larger files (default: 1048576)
  --include-tests            also scan tests, specs, stories and mocks
  --exclude PATTERN          leave out files matching a .gitignore-style pattern; braces expand (repeatable)
  --verbose                  list every skipped file with its reason
  --no-prefilter             parse every file, even those without a sign of a send
  --jobs N                   worker threads that analyse files (default: one per core, at most 8;
                             on two cores 1, which analyses what the main thread reads; 0 scans
                             on the main thread)
  --watch                    scan again after every change, reading only what changed (Ctrl+C to stop)
Options for init: --mode MODE (default: hosted), --force to overwrite privacy.json
Options for disclose: --output FILE, --config FILE
Both also take scan's --include-tests, --exclude, --max-file-size, --jobs, --cache,
--cache-location and --no-prefilter.
  -h, --help                 show this help
  -v, --version              show the version

Exit codes: 0 no finding at --fail-on, 1 findings at or above --fail-on, 2 usage, configuration or internal error.`;

/** Runs the CLI and returns its exit code; all output goes through the two writers. */
export async function main(argv: string[], stdout: (text: string) => void, stderr: (text: string) => void, cwd = process.cwd()): Promise<number> {
  try {
    const { values, positionals, given } = parseCommandLine(argv);
    if (values.version) {
      stdout(`${VERSION}\n`);
      return 0;
    }
    const [command, ...paths] = positionals;
    if (values.help || command === 'help') {
      stdout(`${USAGE}\n`);
      return 0;
    }
    if (command !== undefined) checkCommandLine(command, given, paths);
    switch (command) {
      case 'scan':
        if (values.watch) return await watchCommand(values, paths.length > 0 ? paths : ['.'], cwd, stdout, stderr);
        return await scanCommand(values, paths.length > 0 ? paths : ['.'], cwd, stdout, stderr);
      case 'disclose':
        return await discloseCommand(values, paths.length > 0 ? paths : ['.'], cwd, stdout, stderr);
      case 'init':
        return await initCommand(values, paths.length > 0 ? paths : ['.'], cwd, stdout, stderr);
      case undefined:
        stderr(`${USAGE}\n`);
        return 2;
      default:
        stderr(`offbox: unknown command '${command}'. Try 'offbox scan .' or 'offbox --help'.\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`offbox: ${error.message}\n`);
      return 2;
    }
    // Not 1, which CI reads as "findings": a failed run must not pass for a failed privacy check.
    stderr(`offbox: internal error (${error instanceof Error ? error.message : String(error)}); please report it with the command that gave it.\n${error instanceof Error && error.stack ? `${error.stack}\n` : ''}`);
    return 2;
  }
}
