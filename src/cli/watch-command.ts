import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { SOURCE_EXTENSIONS } from '../core/parse';
import { UsageError, type ParsedOptions, type ScanSession } from './options';
import { scanCommand } from './scan-command';

// Editors save in bursts (a write, a rename, a chmod): one scan after the burst.
const DEBOUNCE_MS = 100;
// Besides sources, the files that change what a scan finds or how it judges.
const RELEVANT_NAMES = new Set(['privacy.json', '.gitignore', 'tsconfig.json', 'jsconfig.json', 'package.json']);

/**
 * `offbox scan --watch`: scans, then scans again after every change to a source file, privacy.json,
 * a .gitignore or a project file, until stopped (Ctrl+C). The cache stays in memory between scans (and
 * is written behind with --cache), so a re-scan reads only what changed. It watches the directories
 * the scan's discovery read, not node_modules or what .gitignore leaves out.
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
  const output = values.output ? resolve(cwd, values.output) : undefined;
  const watchers = new Map<string, FSWatcher>();
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let warnedLimit = false;

  const scanOnce = async () => {
    const started = performance.now();
    let line: string;
    try {
      const code = await scanCommand(values, paths, cwd, stdout, stderr, session);
      const last = session.last;
      const counts = last ? `${last.files} files (${last.cached} from the cache)` : 'files';
      line = `offbox: scanned ${counts} in ${Math.round(performance.now() - started)} ms${code === 1 ? ', with findings at --fail-on' : ''}; watching for changes (Ctrl+C to stop)\n`;
    } catch (error) {
      // A malformed privacy.json or an unreadable path while editing: say so and keep watching.
      if (!(error instanceof UsageError)) throw error;
      line = `offbox: ${error.message}\nWatching for changes (Ctrl+C to stop).\n`;
    }
    try {
      session.cache?.flush();
    } catch (error) {
      stderr(`offbox: the cache could not be written (${(error as Error).message}); scans go on without it on disk.\n`);
    }
    // Watching before saying so: a change made right after the line is seen.
    rewatch();
    stderr(line);
  };
  const scan = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await scanOnce();
      } while (again && !stopped);
    })().finally(() => (running = undefined));
  };
  const onChange = (directory: string) => (_event: string, name: string | Buffer | null) => {
    const changed = name ? resolve(directory, name.toString()) : directory;
    if (changed === output) return;
    const extension = extname(changed).toLowerCase();
    // A name without an extension may be a new directory, whose files the next scan must find.
    if (extension && !SOURCE_EXTENSIONS.includes(extension) && !RELEVANT_NAMES.has(basename(changed))) return;
    clearTimeout(timer);
    timer = setTimeout(scan, DEBOUNCE_MS);
  };
  /** Watches each directory the last discovery read (and where privacy.json may be), and stops watching the ones gone. */
  const rewatch = () => {
    const directories = new Set<string>([cwd, ...paths.map((path) => resolve(cwd, path))]);
    for (const path of session.watchedPaths ?? []) directories.add(RELEVANT_NAMES.has(basename(path)) ? dirname(path) : path);
    for (const [directory, watcher] of watchers) {
      if (directories.has(directory)) continue;
      watcher.close();
      watchers.delete(directory);
    }
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: true }, onChange(directory));
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(directory);
        });
        watchers.set(directory, watcher);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' && !warnedLimit) {
          warnedLimit = true;
          stderr(`offbox: cannot watch more directories (the system's limit on watches is reached; raise fs.inotify.max_user_watches). Changes in the others are not seen.\n`);
        }
      }
    }
  };

  scan();
  await stop;
  stopped = true;
  clearTimeout(timer);
  for (const watcher of watchers.values()) watcher.close();
  await running;
  return 0;
}

/** Resolves on Ctrl+C or a termination signal. */
function interrupted(): Promise<unknown> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
