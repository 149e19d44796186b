import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from '../core/parse';
import { UsageError, type ParsedOptions, type ScanSession } from './options';
import { scanCommand } from './scan-command';

// Editors save in bursts (a write, a rename, a chmod): one scan after the burst.
const DEBOUNCE_MS = 100;
// Past this many changes in one burst (a checkout), or this long since, every file is stat'ed again:
// a watcher's queue can overflow without a word.
const MAX_TRUSTED_CHANGES = 200;
const FULL_PASS_EVERY_MS = 60_000;
// Besides sources, the files that change what a scan finds or how it judges.
const RELEVANT_NAMES = new Set(['privacy.json', '.gitignore', 'tsconfig.json', 'jsconfig.json', 'package.json']);

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
  // What the watchers reported since the last scan began: the next scan stats only those files and
  // takes the rest from its cache, as tsc --watch trusts its watchers. Everything is stat'ed again
  // after an event without a file name, a watcher's error, a newly watched directory, a burst too
  // large to trust, or a minute without such a full pass.
  let changed = new Set<string>();
  let trusted = false;
  let lastFullPass = 0;
  // The scan's own outputs never start a scan.
  const cacheFile = values['cache-location'] ?? (values.cache ? '.offbox-cache/scan.json' : undefined);
  const outputs = new Set([values.output, cacheFile, cacheFile && `${cacheFile}.journal`].filter((path): path is string => typeof path === 'string').map((path) => resolve(cwd, path)));
  const watchers = new Map<string, FSWatcher>();
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let warnedLimit = false;
  let scans = 0;

  const scanOnce = async () => {
    const started = performance.now();
    const trust = trusted && changed.size <= MAX_TRUSTED_CHANGES && Date.now() - lastFullPass < FULL_PASS_EVERY_MS;
    session.changedPaths = trust ? changed : undefined;
    if (!trust) lastFullPass = Date.now();
    const reported = changed;
    changed = new Set();
    trusted = true;
    let line: string;
    try {
      const code = await scanCommand(values, paths, cwd, stdout, stderr, session);
      const last = session.last;
      const counts = last ? `${last.files} files (${last.cached} from the cache)` : 'files';
      line = `offbox: scanned ${counts} in ${Math.round(performance.now() - started)} ms${code === 1 ? ', with findings at --fail-on' : ''}; watching for changes (Ctrl+C to stop)\n`;
    } catch (error) {
      // A scan that did not finish read none of what was reported: the next one checks everything.
      for (const path of reported) changed.add(path);
      trusted = false;
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
    } catch (error) {
      stderr(`offbox: the cache could not be written (${(error as Error).message}); scans go on without it on disk.\n`);
    }
    if (stopped) return;
    // Watching before saying so: a change made right after the line is seen. A directory first
    // watched now may have got files before its watcher: one more scan reads them.
    // A directory watched only now may have changed before its watcher (during the first scan too):
    // the next scan checks everything.
    if (rewatch()) {
      trusted = false;
      if (scans > 1) again = true;
    }
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
  const onChange = (directory: string) => (_event: string, name: string | Buffer | null) => {
    const path = name ? resolve(directory, name.toString()) : directory;
    if (outputs.has(path)) return;
    if (!name) trusted = false;
    // A directory removed or replaced (rm -rf and a copy back, a rename-save, a move) leaves its
    // watcher, and those of the directories below it, on the old ones: they are dropped here and
    // watched anew after the scan, which checks every file.
    const watched = watchers.get(path);
    if (watched) {
      trusted = false;
      for (const [directory, watcher] of watchers) {
        if (directory !== path && !directory.startsWith(`${path}${sep}`)) continue;
        watcher.close();
        watchers.delete(directory);
      }
    }
    if (!watched && !relevant(path)) return;
    if (name) changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => void scan(), DEBOUNCE_MS);
  };
  const relevant = (path: string) => {
    const extension = extname(path).toLowerCase();
    if (SOURCE_EXTENSIONS.includes(extension) || RELEVANT_NAMES.has(basename(path)) || session.inputs?.includes(path)) return true;
    // A new directory (`api.v2` too), or one that is gone: the next scan's discovery tells.
    try {
      return statSync(path).isDirectory();
    } catch {
      return extension === '';
    }
  };
  /** Watches each directory the last discovery read, and where the other inputs live; returns whether it watches a new one. */
  const rewatch = (): boolean => {
    const directories = new Set<string>([cwd]);
    for (const path of paths.map((entry) => resolve(cwd, entry))) directories.add(isDirectory(path) ? path : dirname(path));
    for (const path of session.watchedPaths ?? []) directories.add(RELEVANT_NAMES.has(basename(path)) ? dirname(path) : path);
    for (const path of session.inputs ?? []) directories.add(dirname(path));
    for (const [directory, watcher] of watchers) {
      if (directories.has(directory)) continue;
      watcher.close();
      watchers.delete(directory);
    }
    let added = false;
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: true }, onChange(directory));
        watcher.on('error', () => {
          trusted = false;
          watcher.close();
          if (watchers.get(directory) === watcher) watchers.delete(directory);
        });
        watchers.set(directory, watcher);
        added = true;
      } catch (error) {
        // A directory not watched reports nothing: no scan may trust the watchers while it lasts.
        trusted = false;
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC' && !warnedLimit) {
          warnedLimit = true;
          stderr('offbox: cannot watch more directories (the system limit on watches is reached; raise fs.inotify.max_user_watches). Changes in the others are not seen.\n');
        }
      }
    }
    return added;
  };

  try {
    await scan();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    for (const watcher of watchers.values()) watcher.close();
    throw error;
  }
  await stop;
  stopped = true;
  clearTimeout(timer);
  await running?.catch(() => undefined);
  for (const watcher of watchers.values()) watcher.close();
  watchers.clear();
  return 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
