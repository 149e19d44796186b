import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, lstatSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FileAnalysis } from './analyze';
import type { ImportedNames } from './analysis-job';
import { makeDirectories, notWritable, readTextFile } from './files';
import type { Discovery } from './discovery';

/** What a scan learnt about one file, and the file's state when it learnt it. */
export interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** sha1 of the bytes: a touched but unchanged file is still a hit. */
  hash: string;
  state: 'skipped' | 'prefiltered' | 'analysed';
  reason?: string;
  imports?: ImportedNames[];
  /** Member names a wrapper round read this content for and did not find (see scan.ts). */
  absentWords?: string[];
  analysis?: FileAnalysis;
  /** Files (absolute) whose exported values the analysis read: a change there invalidates it. */
  dependencies?: string[];
  /** Whether the analysis looked in-repo imports up: a change in the tree or its project files invalidates it. */
  resolves?: boolean;
  /** Their content hashes as the cache knew them when the scan that made this analysis ended. */
  dependencyHashes?: string[];
}

interface CacheFile {
  key: string;
  entries: Record<string, CacheEntry>;
  /** The last discovery of each scanned root, with the mtimes of the directories and .gitignore files it read. */
  discoveries?: Record<string, Discovery>;
  /** Each root's tree as the last discovery listed it (files and project files), hashed: see treeChanged. */
  trees?: Record<string, string>;
}

/** One line of the journal: the entries a save changed (null: removed), and the discoveries if they changed. */
interface JournalLine {
  key: string;
  entries: Record<string, CacheEntry | null>;
  discoveries?: Record<string, Discovery>;
  trees?: Record<string, string>;
}

// The file paths of each remembered discovery, for checking watchers' reports against.
const listed = new WeakMap<Discovery, Set<string>>();

// lstat: a listed file replaced by a symbolic link is no longer one discovery would list.
function isFile(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

// Rocket.Chat's cache is 4 MiB, 8,400 files' 10 MiB; past this (and V8's longest string, 512 MiB) a file is no cache of ours.
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

// The journal is folded into a new snapshot once it holds a quarter of the snapshot's bytes.
const JOURNAL_SHARE = 0.25;

/**
 * The content-hash cache behind `offbox scan --cache`. An entry is used while the file's size and
 * mtime are unchanged, or, when they changed, while its content hash is; the whole cache is thrown
 * away when the key (tool version, catalogs, guards, options) differs. Analyses that read values
 * from other modules are redone when one of those modules changed.
 *
 * On disk it is a snapshot (the location) and a journal beside it (`<location>.journal`), a JSON
 * line per save with the entries that save changed: a re-scan after one edit appends a line instead
 * of rewriting megabytes. Every entry checks itself against the file (size, mtime, hash), so a line
 * left over from an older snapshot can make a scan read a file again, never give a wrong answer.
 */
export class ScanCache {
  private entries: Record<string, CacheEntry> = {};
  private discoveries: Record<string, Discovery> = {};
  private trees: Record<string, string> = {};
  readonly loaded: boolean;
  /** Paths whose entry was set or removed since the last write. */
  private readonly changed = new Set<string>();
  /** Why the location must not be written: it holds something other than a cache (or cannot be read as a file). */
  private foreign: string | undefined;
  private discoveriesChanged = false;
  private snapshotBytes = 0;
  private journalBytes = 0;

  /**
   * `writeBehind`: save() only marks the cache changed and flush() writes it, so a process that stays
   * up (the extension's scan worker) answers first and writes after.
   */
  constructor(private readonly location: string, readonly key: string, private readonly options: { writeBehind?: boolean } = {}) {
    let loaded = false;
    // An empty location is a cache kept in memory only (offbox scan --watch without --cache).
    try {
      // Offbox writes `{"key":…` there and nothing else: a file that holds something else (a source
      // given as --cache-location by mistake), or that cannot be read as one, is never written over.
      this.foreign = location ? this.refusal() : undefined;
      const read = location && !this.foreign ? readTextFile(location, MAX_CACHE_BYTES) : { text: '' };
      if ('problem' in read && read.code !== 'ENOENT') this.foreign = `${location} ${read.problem}`;
      const text = 'text' in read ? read.text : '';
      if (!startsAsCache(text)) this.foreign = `${location} holds something other than an Offbox cache`;
      const data = text && !this.foreign ? (JSON.parse(text) as CacheFile) : undefined;
      if (data?.key === key && data.entries && typeof data.entries === 'object') {
        this.entries = data.entries;
        this.discoveries = data.discoveries && typeof data.discoveries === 'object' ? data.discoveries : {};
        this.trees = data.trees && typeof data.trees === 'object' ? data.trees : {};
        this.snapshotBytes = text.length;
        loaded = true;
        this.replayJournal();
      }
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
    this.loaded = loaded;
  }

  private get journal(): string {
    return `${this.location}.journal`;
  }

  /** Why the snapshot or the journal must not be written (a link, a folder, a pipe, a journal that is not ours), or undefined. */
  private refusal(): string | undefined {
    // The journal is appended to, never read whole here: its first bytes tell whose it is.
    return this.unwritable() ?? (startsAsCache(firstBytes(this.journal, CACHE_START.length)) ? undefined : `${this.journal} holds something other than an Offbox journal`);
  }

  /** Which of the snapshot and the journal is a link, a folder or a pipe, and so, or undefined. */
  private unwritable(): string | undefined {
    for (const path of [this.location, this.journal]) {
      const refused = notWritable(path);
      if (refused) return `${path} ${refused}`;
    }
    return undefined;
  }

  /** Applies the journal's lines in order, up to the first that is not whole (a write cut short) or not of this key. */
  private replayJournal(): void {
    const read = readTextFile(this.journal, MAX_CACHE_BYTES);
    if ('problem' in read) return;
    const text = read.text;
    this.journalBytes = text.length;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const line of lines) {
      let change: JournalLine | undefined;
      try {
        change = JSON.parse(line) as JournalLine;
      } catch {
        change = undefined;
      }
      if (change?.key !== this.key || !change.entries || typeof change.entries !== 'object') {
        // A line cut short: what follows it is not read, so the next write starts a new snapshot.
        this.journalBytes = Infinity;
        return;
      }
      for (const [path, entry] of Object.entries(change.entries)) {
        if (entry) this.entries[path] = entry;
        else delete this.entries[path];
      }
      if (change.discoveries && typeof change.discoveries === 'object') this.discoveries = change.discoveries;
      if (change.trees && typeof change.trees === 'object') this.trees = change.trees;
    }
  }

  /**
   * The files of a root as the last scan found them, while no directory it read and no .gitignore it
   * applied has changed (adding, removing or renaming an entry changes its directory's mtime).
   */
  /**
   * Whether a fresh discovery lists other files or project files (or changed ones, by mtime) than the
   * last one did, and remembers this one. How imports resolve depends on both: a file added can take
   * priority or make an import resolve at all, and tsconfig's paths can point elsewhere. Kept apart
   * from the remembered discovery, which is not kept while the tree changes within its mtimes' tick.
   */
  treeChanged(root: string, discovery: Discovery): boolean {
    const hash = createHash('sha1');
    for (const file of discovery.files) hash.update(`${file.relative}\n`);
    for (const file of discovery.projectFiles) hash.update(`\u0000${file}:${discovery.watched?.[resolve(root, file)] ?? ''}`);
    const tree = hash.digest('hex');
    const changed = this.trees[root] !== tree;
    if (changed) {
      this.trees[root] = tree;
      this.discoveriesChanged = true;
    }
    return changed;
  }

  discovery(root: string, changedPaths?: ReadonlySet<string>): Discovery | undefined {
    const known = this.discoveries[root];
    if (!known?.watched) return undefined;
    // Watchers reported changes to files it lists, all still there: no directory can have changed.
    if (changedPaths && [...changedPaths].every((path) => this.listedFiles(known).has(path) && isFile(path))) return known;
    for (const [path, mtimeMs] of Object.entries(known.watched)) {
      try {
        if (statSync(path).mtimeMs !== mtimeMs) return undefined;
      } catch {
        return undefined;
      }
    }
    return known;
  }

  /**
   * Remembers a discovery, unless something it watched changed within the last two seconds: a
   * directory changed again within the same mtime tick (coarse on some file systems) would keep its
   * mtime, and the file added the second time would never be found.
   */
  storeDiscovery(root: string, discovery: Discovery, startedMs = Date.now()): void {
    if (!discovery.watched) return;
    if (Object.values(discovery.watched).some((mtimeMs) => mtimeMs > startedMs - 2000)) {
      if (root in this.discoveries) this.discoveriesChanged = true;
      delete this.discoveries[root];
      return;
    }
    this.discoveries[root] = discovery;
    this.discoveriesChanged = true;
  }

  private listedFiles(discovery: Discovery): Set<string> {
    let files = listed.get(discovery);
    if (!files) listed.set(discovery, (files = new Set(discovery.files.map((file) => file.path))));
    return files;
  }

  /** The entry for a file a watcher vouches is unchanged: no stat. */
  known(path: string): CacheEntry | undefined {
    return this.entries[path];
  }

  /** The entry for a file whose size and mtime are unchanged, without reading it. */
  unchanged(path: string): CacheEntry | undefined {
    const entry = this.entries[path];
    if (!entry) return undefined;
    try {
      const stat = statSync(path);
      return stat.size === entry.size && stat.mtimeMs === entry.mtimeMs ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** The content hash the cache holds for a file, if any: a worker compares it with what it reads. */
  knownHash(path: string): string | undefined {
    return this.entries[path]?.hash || undefined;
  }

  /**
   * The entry for a file that was read: still valid when the content hash matches. `read` is the
   * size and mtime taken when the file was read; without it the file is stat'ed now.
   */
  sameContent(path: string, hash: string, read?: { size: number; mtimeMs: number }): CacheEntry | undefined {
    const entry = this.entries[path];
    if (!entry || entry.hash !== hash) return undefined;
    this.touch(path, entry, read);
    return entry;
  }

  /**
   * Records what a scan learnt about a file. `read` is the size and mtime taken when the file was
   * read, so a file saved again between its read and this call is not recorded as that later version.
   */
  store(path: string, entry: Omit<CacheEntry, 'size' | 'mtimeMs'>, read?: { size: number; mtimeMs: number }): void {
    const stored = { ...entry, size: 0, mtimeMs: 0 } as CacheEntry;
    this.touch(path, stored, read);
    this.entries[path] = stored;
    this.changed.add(path);
  }

  /**
   * Records the hashes of an analysis's dependencies as the cache holds them now. A later scan redoes
   * the analysis when one differs, even if the change was read by a scan that was cancelled.
   */
  recordDependencyHashes(path: string): void {
    const entry = this.entries[path];
    if (!entry?.dependencies?.length) return;
    const hashes = entry.dependencies.map((dependency) => this.entries[dependency]?.hash ?? '');
    if (hashes.join('\n') === entry.dependencyHashes?.join('\n')) return;
    entry.dependencyHashes = hashes;
    this.changed.add(path);
  }

  /** Whether an analysis's dependencies still have the hashes recorded with it (false when none were recorded). */
  dependenciesUnchanged(entry: CacheEntry): boolean {
    const hashes = entry.dependencyHashes;
    return hashes !== undefined && (entry.dependencies ?? []).every((dependency, index) => (this.entries[dependency]?.hash ?? '') === hashes[index]);
  }

  /**
   * Keeps only the files this scan saw, and writes the cache if the scan changed it (or, writing
   * behind, leaves it marked to be written): a scan of an unchanged tree writes nothing.
   */
  save(seen: ReadonlySet<string>): void {
    for (const path of Object.keys(this.entries)) {
      if (seen.has(path)) continue;
      delete this.entries[path];
      this.changed.add(path);
    }
    if (this.options.writeBehind) return;
    // The scan's findings do not depend on the write: a location that cannot be written is the
    // caller's to report (offbox scan warns), never a failed scan.
    try {
      this.flush();
      this.writeProblem = undefined;
    } catch (error) {
      this.writeProblem = error instanceof Error ? error.message : String(error);
    }
  }

  /** Why save() could not write the cache (a folder that cannot be made, a file in the way, a full disk), until a write succeeds. */
  writeProblem: string | undefined;

  /**
   * Writes what a scan changed since the last write: a journal line, or a whole new snapshot when
   * there is none yet or the journal has grown to a good share of it.
   */
  flush(): void {
    if ((this.changed.size === 0 && !this.discoveriesChanged) || !this.location) return;
    // Checked again: a link or a pipe put there since the cache was read (a pipe would block the write).
    const refused = this.foreign ?? this.unwritable();
    if (refused) throw new Error(refused);
    makeDirectories(dirname(this.location));
    if (this.snapshotBytes > 0 && this.journalBytes < this.snapshotBytes * JOURNAL_SHARE) {
      const entries = Object.fromEntries([...this.changed].map((path) => [path, this.entries[path] ?? null]));
      const line = `${JSON.stringify({ key: this.key, entries, ...(this.discoveriesChanged ? { discoveries: this.discoveries, trees: this.trees } : {}) } satisfies JournalLine)}\n`;
      appendFileSync(this.journal, line);
      this.journalBytes += line.length;
    } else {
      const text = JSON.stringify({ key: this.key, entries: this.entries, discoveries: this.discoveries, trees: this.trees } satisfies CacheFile);
      writeFileSync(this.location, text);
      // Emptied, not removed: the directory holding it (a source folder, given --cache-location) then
      // keeps its entries, and so does the file list a scan remembers by its directories' mtimes.
      if (existsSync(this.journal)) writeFileSync(this.journal, '');
      this.snapshotBytes = text.length;
      this.journalBytes = 0;
    }
    this.changed.clear();
    this.discoveriesChanged = false;
  }

  private touch(path: string, entry: CacheEntry, read?: { size: number; mtimeMs: number }): void {
    let now = read;
    if (!now) {
      try {
        now = statSync(path);
      } catch {
        return; // Deleted meanwhile: the next scan will not find it.
      }
    }
    if (entry.size === now.size && entry.mtimeMs === now.mtimeMs) return;
    entry.size = now.size;
    entry.mtimeMs = now.mtimeMs;
    this.changed.add(path);
  }
}

// How every snapshot and every journal line Offbox writes starts (JSON.stringify of `{ key, … }`).
const CACHE_START = '{"key":';

/** Whether text is empty or starts as Offbox writes a cache. */
function startsAsCache(text: string): boolean {
  return text === '' || text.startsWith(CACHE_START);
}

/** The first `count` bytes of a file, '' when it is absent or cannot be read. */
function firstBytes(path: string, count: number): string {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(count);
    return buffer.toString('utf8', 0, readSync(descriptor, buffer, 0, count, 0));
  } catch {
    return '';
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

// Raised whenever what an entry holds, or what a scan reads from it, changes between builds of the
// same version (2: prefiltered entries mark their re-exports; 3: the prefilter reads package names only
// where a module is named, and an unparsed file's imports past comments; 4: an analysis's suppressions
// hold `offbox-ignore-line` and unknown directives; 5: trees in oxc's JavaScript shape, and a call's
// argument that is an imported identifier or member alone is a marker read when bound; 6: a suppression
// holds its line's text, which its fixes edit).
const ENTRY_FORMAT = 6;

/** The cache key: anything that changes what an analysis would produce. */
export function cacheKey(parts: unknown[]): string {
  return createHash('sha1').update(JSON.stringify([ENTRY_FORMAT, ...parts])).digest('hex');
}
