import { mkdirSync, readFileSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';

// Past this many changes between two scans (a checkout), or this long since, every file is stat'ed
// again: a watcher's queue can overflow without a word.
const MAX_TRUSTED_CHANGES = 200;
const FULL_PASS_EVERY_MS = 60_000;
// Besides sources, the files that change what a scan finds or how it judges.
const RELEVANT_NAMES = new Set(['privacy.json', '.gitignore', 'tsconfig.json', 'jsconfig.json', 'package.json']);
// The file settle() writes in a directory of the caller's (never a scanned one).
const BARRIER_NAME = '.offbox-watch-barrier';
const SETTLE_TIMEOUT_MS = 500;

export interface ChangeWatcherOptions {
  /** Paths whose changes never count: the scan's own outputs. */
  ignored?: ReadonlySet<string>;
  /** Other files whose changes count (privacy.json's policy document, a baseline). */
  isInput?: (path: string) => boolean;
  /** Called after each change that counts (the CLI schedules a scan on it). */
  onChange?: () => void;
  /** Called when the system's limit on watches is reached. */
  onLimit?: () => void;
  /**
   * Watch nothing when more directories than this would be watched: on Linux each is an inotify
   * watch, shared with the editor's own watcher. Scans then stat every file, as without watchers.
   */
  maxDirectories?: number;
}

/**
 * Watches the directories a scan's discovery read and collects the paths changed since: the next
 * scan stats only those files and takes the rest from its cache, as tsc --watch trusts its watchers.
 * Every file is stat'ed again after an event without a file name, a watcher's error, a directory
 * replaced or newly watched, more than 200 changes, a scan that did not finish, or a minute without
 * such a full pass.
 */
export class ChangeWatcher {
  private changed = new Set<string>();
  private trusted = false;
  private lastFullPass = 0;
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;
  private barrier: { directory: string; watcher: FSWatcher; written: number; waiting?: () => void } | undefined;

  constructor(private readonly options: ChangeWatcherOptions = {}) {}

  /**
   * At the start of a scan: the paths changed since the last scan began, or undefined when the scan
   * must stat every file. `reported` goes back through `restore` if the scan does not finish.
   */
  takeChanges(): { changedPaths: ReadonlySet<string> | undefined; reported: Set<string> } {
    const trust = this.trusted && this.changed.size <= MAX_TRUSTED_CHANGES && Date.now() - this.lastFullPass < FULL_PASS_EVERY_MS;
    if (!trust) this.lastFullPass = Date.now();
    const reported = this.changed;
    this.changed = new Set();
    this.trusted = true;
    return { changedPaths: trust ? reported : undefined, reported };
  }

  /** A scan that did not finish read none of what was reported: the next one checks everything. */
  restore(reported: Iterable<string>): void {
    for (const path of reported) this.changed.add(path);
    this.trusted = false;
  }

  /**
   * Watches exactly these directories from now on. Returns whether one was not watched before: it
   * may have changed before its watcher, so the next scan checks everything.
   */
  watch(directories: ReadonlySet<string>): boolean {
    if (this.closed) return false;
    if (this.options.maxDirectories !== undefined && directories.size > this.options.maxDirectories) {
      this.unwatchAll();
      this.trusted = false;
      return false;
    }
    for (const [directory, watcher] of this.watchers) {
      if (directories.has(directory)) continue;
      watcher.close();
      this.watchers.delete(directory);
    }
    let added = false;
    for (const directory of directories) {
      if (this.watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: true }, this.onEvent(directory));
        watcher.on('error', () => {
          this.trusted = false;
          watcher.close();
          if (this.watchers.get(directory) === watcher) this.watchers.delete(directory);
        });
        this.watchers.set(directory, watcher);
        added = true;
      } catch (error) {
        // A directory not watched reports nothing: no scan may trust the watchers while it lasts.
        this.trusted = false;
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') this.options.onLimit?.();
      }
    }
    if (added) this.trusted = false;
    return added;
  }

  /**
   * Resolves once every change made before the call has been reported, for a scan asked for by
   * someone else (the extension's Scan Workspace) rather than started by an event: a change saved
   * just before the request may not have been read off the queue yet. This writes a file in
   * `directory` (the caller's own, watched for this alone); inotify keeps one queue per process
   * loop, in order, so once that write is reported every earlier change is too. If it is not
   * reported in time, the next scan stats every file.
   */
  async settle(directory: string): Promise<void> {
    if (this.closed || this.watchers.size === 0) return;
    try {
      if (this.barrier?.directory !== directory) {
        this.barrier?.watcher.close();
        mkdirSync(directory, { recursive: true });
        const watcher = watch(directory, { persistent: false }, (_event, name) => {
          const barrier = this.barrier;
          if (barrier?.watcher === watcher && name?.toString() === BARRIER_NAME) barrier.waiting?.();
        });
        watcher.on('error', () => {
          watcher.close();
          if (this.barrier?.watcher === watcher) this.barrier = undefined;
        });
        this.barrier = { directory, watcher, written: 0 };
      }
      const barrier = this.barrier;
      let timer: NodeJS.Timeout | undefined;
      const reported = await new Promise<boolean>((done) => {
        barrier.waiting = () => done(true);
        barrier.written += 1;
        timer = setTimeout(() => done(false), SETTLE_TIMEOUT_MS);
        writeFileSync(join(directory, BARRIER_NAME), String(barrier.written));
      });
      clearTimeout(timer);
      barrier.waiting = undefined;
      if (!reported) this.trusted = false;
    } catch {
      this.trusted = false;
    }
  }

  close(): void {
    this.closed = true;
    this.unwatchAll();
    this.barrier?.watcher.close();
    this.barrier = undefined;
  }

  private unwatchAll(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private onEvent(directory: string) {
    return (_event: string, name: string | Buffer | null) => {
      const path = name ? resolve(directory, name.toString()) : directory;
      if (this.options.ignored?.has(path)) return;
      if (!name) this.trusted = false;
      // A directory removed or replaced (rm -rf and a copy back, a rename-save, a move) leaves its
      // watcher, and those of the directories below it, on the old ones: they are dropped here and
      // watched anew after the scan, which checks every file.
      const watched = this.watchers.get(path);
      if (watched) {
        this.trusted = false;
        for (const [other, watcher] of this.watchers) {
          if (other !== path && !other.startsWith(`${path}${sep}`)) continue;
          watcher.close();
          this.watchers.delete(other);
        }
      }
      if (!watched && !this.relevant(path)) return;
      if (name) this.changed.add(path);
      this.options.onChange?.();
    };
  }

  private relevant(path: string): boolean {
    const extension = extname(path).toLowerCase();
    if (SOURCE_EXTENSIONS.includes(extension) || RELEVANT_NAMES.has(basename(path)) || this.options.isInput?.(path)) return true;
    // A new directory (`api.v2` too), or one that is gone: the next scan's discovery tells.
    try {
      return statSync(path).isDirectory();
    } catch {
      return extension === '';
    }
  }
}

/** The directories to watch for a scan: each root's, those its discovery read (`watchedPaths`), and those of other inputs. */
export function directoriesToWatch(roots: readonly string[], watchedPaths: readonly string[] = [], inputs: readonly string[] = []): Set<string> {
  const directories = new Set<string>();
  for (const root of roots) directories.add(isDirectory(root) ? root : dirname(root));
  for (const path of watchedPaths) directories.add(RELEVANT_NAMES.has(basename(path)) ? dirname(path) : path);
  for (const path of inputs) directories.add(dirname(path));
  return directories;
}

/**
 * How many directories a resident scan that is asked to scan (not one that scans on the watchers'
 * own events, like --watch) may watch: on Linux a tenth of the per-user inotify budget, which the
 * editor's own watcher draws on too; elsewhere none, since FSEvents and ReadDirectoryChangesW report
 * a change after a delay, and a scan asked for right after a save could take the file as unchanged.
 */
export function watchBudget(): number {
  if (process.platform !== 'linux') return 0;
  try {
    const limit = Number.parseInt(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8'), 10);
    return Number.isFinite(limit) && limit > 0 ? Math.floor(limit / 10) : 0;
  } catch {
    return 0;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
