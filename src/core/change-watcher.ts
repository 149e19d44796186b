import { readFileSync, rmSync, statfsSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { isSourceName, makeDirectories, PROJECT_FILES } from './files';

// Past this many changes between two scans (a checkout), or this long since, every file is stat'ed
// again: a watcher's queue can overflow without a word. Every event counts towards the second limit,
// changes to files no scan reads too: the kernel drops events only past its queue's 16,384, all of
// which are read afterwards, so an overflow always shows as more than this many.
const MAX_TRUSTED_CHANGES = 200;
const MAX_TRUSTED_EVENTS = 2000;
const FULL_PASS_EVERY_MS = 60_000;
// Besides sources, the files that change what a scan finds or how it judges.
const RELEVANT_NAMES = new Set(['privacy.json', '.gitignore', ...PROJECT_FILES]);
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
  private events = 0;
  private trusted = false;
  private lastFullPass = 0;
  private readonly watchers = new Map<string, FSWatcher>();
  /** The roots' identities when they were watched: a root replaced (or a folder above it) leaves its watchers on the old one, and no event says so. */
  private roots = new Map<string, string>();
  private closed = false;
  private barrier: { file: string; directory: string; identity: string; watcher: FSWatcher; name: string; written: number; gone?: boolean; waiting?: () => void } | undefined;

  constructor(private readonly options: ChangeWatcherOptions = {}) {}

  /**
   * At the start of a scan: the paths changed since the last scan began, or undefined when the scan
   * must stat every file. `reported` goes back through `restore` if the scan does not finish.
   */
  takeChanges(): { changedPaths: ReadonlySet<string> | undefined; reported: Set<string> } {
    if (this.trusted && [...this.roots].some(([root, identity]) => identityOf(root) !== identity)) {
      // Watched anew after this scan, which checks everything.
      this.unwatchAll();
      this.trusted = false;
    }
    const trust = this.trusted && this.changed.size <= MAX_TRUSTED_CHANGES && this.events <= MAX_TRUSTED_EVENTS && Date.now() - this.lastFullPass < FULL_PASS_EVERY_MS;
    if (!trust) this.lastFullPass = Date.now();
    const reported = this.changed;
    this.changed = new Set();
    this.events = 0;
    this.trusted = true;
    return { changedPaths: trust ? reported : undefined, reported };
  }

  /** A scan that did not finish read none of what was reported: the next one checks everything. */
  restore(reported: Iterable<string>): void {
    for (const path of reported) this.changed.add(path);
    this.trusted = false;
  }

  /**
   * Watches exactly these directories from now on (`roots`: the scanned folders among them, whose
   * identity is checked before each scan). Returns whether one was not watched before: it may have
   * changed before its watcher, so the next scan checks everything.
   */
  watch(directories: ReadonlySet<string>, roots: readonly string[] = []): boolean {
    if (this.closed) return false;
    if (this.options.maxDirectories !== undefined && directories.size > this.options.maxDirectories) {
      this.unwatchAll();
      this.trusted = false;
      return false;
    }
    this.roots = new Map(roots.map((root) => [root, identityOf(root)]));
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
   * just before the request may not have been read off the queue yet. This writes `barrierFile` (the
   * caller's own, in a directory watched for this alone); inotify keeps one queue per process loop,
   * in order, so once that write is reported every earlier change is too. If it is not reported in
   * time, the next scan stats every file.
   */
  async settle(barrierFile: string): Promise<void> {
    if (this.closed || this.watchers.size === 0) return;
    try {
      const directory = dirname(barrierFile);
      makeDirectories(directory);
      // A directory deleted and made again (the storage cleared) leaves a watcher on the old one.
      const identity = identityOf(directory);
      if (this.barrier?.file !== barrierFile || this.barrier.identity !== identity || this.barrier.gone) {
        this.closeBarrier();
        const self = basename(directory);
        const watcher = watch(directory, { persistent: false }, (_event, changed) => {
          const barrier = this.barrier;
          if (barrier?.watcher !== watcher) return;
          const name = changed?.toString();
          if (name === barrier.name) barrier.waiting?.();
          // The directory itself removed or moved (its inode may well be reused by the next one made).
          else if (name === self) barrier.gone = true;
        });
        watcher.on('error', () => {
          watcher.close();
          if (this.barrier?.watcher === watcher) this.barrier = undefined;
        });
        this.barrier = { file: barrierFile, directory, identity, watcher, name: '', written: 0 };
      }
      const barrier = this.barrier;
      // A new name each time: one write makes several events, and those of the last one may still
      // be on their way (each is handed over with the promises it resolves run in between).
      const previous = barrier.name;
      barrier.written += 1;
      barrier.name = `${basename(barrierFile)}.${barrier.written}`;
      let timer: NodeJS.Timeout | undefined;
      const reported = await new Promise<boolean>((done) => {
        barrier.waiting = () => done(true);
        timer = setTimeout(() => done(false), SETTLE_TIMEOUT_MS);
        writeFileSync(join(directory, barrier.name), '');
      });
      clearTimeout(timer);
      barrier.waiting = undefined;
      if (previous) rmSync(join(directory, previous), { force: true });
      if (!reported) {
        this.trusted = false;
        this.closeBarrier();
      }
    } catch {
      this.trusted = false;
    }
  }

  private closeBarrier(): void {
    const barrier = this.barrier;
    if (!barrier) return;
    barrier.watcher.close();
    if (barrier.name) rmSync(join(barrier.directory, barrier.name), { force: true });
    this.barrier = undefined;
  }

  close(): void {
    this.closed = true;
    this.trusted = false;
    this.unwatchAll();
    try {
      this.closeBarrier();
    } catch {
      // The storage may be gone already.
    }
  }

  private unwatchAll(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private onEvent(directory: string) {
    return (_event: string, name: string | Buffer | null) => {
      this.events += 1;
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
    const name = basename(path);
    if (isSourceName(name) || RELEVANT_NAMES.has(name) || this.options.isInput?.(path)) return true;
    // A new directory (`api.v2` too), or one that is gone: the next scan's discovery tells.
    try {
      return statSync(path).isDirectory();
    } catch {
      return extname(path) === '';
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

// Local file systems whose every change inotify reports (statfs magic numbers): ext2/3/4, xfs, btrfs,
// tmpfs, f2fs, zfs, bcachefs. Not network or FUSE mounts, nor overlayfs, whose lower layer can change
// unseen.
const LOCAL_FILE_SYSTEMS = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0xf2f52010, 0x2fc12fc1, 0xca451a4e]);

/**
 * How many directories a resident scan that is asked to scan (not one that scans on the watchers'
 * own events, like --watch) may watch under `root` and trust: on Linux, on a local file system, a
 * tenth of the per-user inotify budget, which the editor's own watcher draws on too; elsewhere none.
 * FSEvents and ReadDirectoryChangesW report a change after a delay, so a scan asked for right after
 * a save could take the file as unchanged; network and FUSE file systems change unseen.
 */
export function watchBudget(root: string): number {
  if (process.platform !== 'linux') return 0;
  try {
    if (!LOCAL_FILE_SYSTEMS.has(Number(statfsSync(root).type))) return 0;
    const limit = Number.parseInt(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8'), 10);
    return Number.isFinite(limit) && limit > 0 ? Math.floor(limit / 10) : 0;
  } catch {
    return 0;
  }
}

/** A path's device, inode and birth time (a new directory often gets the inode just freed), or '' when it cannot be read. */
function identityOf(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`;
  } catch {
    return '';
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
