import { resolve } from 'node:path';
import { ChangeWatcher, directoriesToWatch } from '../core/change-watcher';
import { cacheFileOf, UsageError, type ParsedOptions, type ScanSession } from './options';
import { scanCommand } from './scan-command';

// Editors save in bursts (a write, a rename, a chmod): one scan after the burst.
const DEBOUNCE_MS = 100;

/**
 * `offbox scan --watch`: scans, then scans again after every change to a source file, privacy.json,
 * its policy document, the baseline, a .gitignore or a project file, until stopped (Ctrl+C). The
 * cache stays in memory between scans (and is written behind with --cache), so a re-scan reads only
 * what changed. It watches the directories the scan's discovery read, not node_modules or what
 * .gitignore leaves out. Bad options end it with exit code 2, as without --watch; a privacy.json
 * broken mid-edit is reported and watching goes on.
 */
export async function watchCommand(
  values: ParsedOptions,
  paths: string[],
  cwd: string,
  stdout: (text: string) => void,
  stderr: (text: string) => void,
  stop: Promise<unknown> = interrupted(),
): Promise<number> {
  const session: ScanSession = {};
  // The scan's own outputs never start a scan.
  const cacheFile = cacheFileOf(values);
  const outputs = new Set([values.output, cacheFile, cacheFile && `${cacheFile}.journal`].filter((path): path is string => typeof path === 'string').map((path) => resolve(cwd, path)));
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let warnedLimit = false;
  let scans = 0;
  // What changed since the last scan began: the next scan stats only those files (core/change-watcher.ts).
  const watcher = new ChangeWatcher({
    ignored: outputs,
    isInput: (path) => session.inputs?.includes(path) ?? false,
    onChange: () => {
      clearTimeout(timer);
      timer = setTimeout(() => void scan(), DEBOUNCE_MS);
    },
    onLimit: () => {
      if (warnedLimit) return;
      warnedLimit = true;
      stderr('offbox: cannot watch more directories (the system limit on watches is reached; raise fs.inotify.max_user_watches). Changes in the others are not seen.\n');
    },
  });

  let cacheProblem: string | undefined;
  const scanOnce = async () => {
    const started = performance.now();
    const { changedPaths, reported } = watcher.takeChanges();
    session.changedPaths = changedPaths;
    let line: string;
    try {
      const code = await scanCommand(values, paths, cwd, stdout, stderr, session);
      const last = session.last;
      const counts = last ? `${last.files} files (${last.cached} from the cache)` : 'files';
      line = `offbox: scanned ${counts} in ${Math.round(performance.now() - started)} ms${code === 1 ? ', with findings at --fail-on' : ''}; watching for changes (Ctrl+C to stop)\n`;
    } catch (error) {
      // A scan that did not finish read none of what was reported: the next one checks everything.
      watcher.restore(reported);
      // Bad options (or a broken privacy.json) before any scan end the run as they would without
      // --watch; later, a privacy.json broken mid-edit is reported and watching goes on.
      if (error instanceof UsageError && scans === 0) throw error;
      line =
        error instanceof UsageError
          ? `offbox: ${error.message}\nWatching for changes (Ctrl+C to stop).\n`
          : `offbox: internal error while scanning (${error instanceof Error ? error.message : String(error)}); please report it. Watching for changes (Ctrl+C to stop).\n`;
    }
    scans += 1;
    try {
      session.cache?.flush();
      cacheProblem = undefined;
    } catch (error) {
      // Said once while it lasts, not after every scan of a long watch.
      const problem = (error as Error).message;
      if (problem !== cacheProblem) stderr(`offbox: the cache could not be written (${problem}); scans go on without it on disk.\n`);
      cacheProblem = problem;
    }
    if (stopped) return;
    // Watching before saying so: a change made right after the line is seen. A directory first
    // watched now may have got files before its watcher: one more scan reads them.
    // A directory watched only now may have changed before its watcher (during the first scan too):
    // the next scan checks everything.
    const roots = paths.map((entry) => resolve(cwd, entry));
    if (watcher.watch(directoriesToWatch([cwd, ...roots], session.watchedPaths, session.inputs), roots) && scans > 1) again = true;
    stderr(line);
  };
  const scan = () => {
    if (stopped) return running;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await scanOnce();
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  };
  try {
    await scan();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    watcher.close();
    throw error;
  }
  await stop;
  stopped = true;
  clearTimeout(timer);
  await running?.catch(() => undefined);
  watcher.close();
  return 0;
}

/** Resolves on the first Ctrl+C or termination signal; a second one ends the process at once. */
function interrupted(): Promise<unknown> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
