import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';
import { IgnoreRules } from './ignore-rules';
import { expandBraces } from './globs';

export interface DiscoveryOptions {
  /** Files larger than this are skipped (bytes). */
  maxFileSize: number;
  /** Scan tests, specs, stories and mocks too (they do not ship). */
  includeTests: boolean;
  /** Extra gitignore-style patterns to leave out, relative to the root. */
  exclude: string[];
}

export const DEFAULT_DISCOVERY: DiscoveryOptions = { maxFileSize: 1024 * 1024, includeTests: false, exclude: [] };

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scan root, with forward slashes: what findings name. */
  relative: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

/** Where `offbox scan --cache` keeps its cache, below the current directory. */
export const CACHE_DIRECTORY = '.offbox-cache';

// Dependencies, VCS data, build output and Offbox's own cache: never the product's own source. The
// cache's directory changes with every journal it starts: read as part of the tree, it would make
// the next scan list the whole tree again.
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.next', '.nuxt', '.output', '.svelte-kit', '.turbo', '.cache', '.yarn', '.pnpm-store', 'coverage', 'bower_components', 'vendor', 'storybook-static', '.vercel', '.meteor', CACHE_DIRECTORY]);
const TEST_DIRECTORIES = new Set(['__tests__', '__mocks__', '__fixtures__', 'test', 'tests', 'e2e', 'cypress', 'playwright', 'spec', '__snapshots__']);
// Files that tell how imports resolve: tsconfig paths aliases and monorepo workspace packages.
export const PROJECT_FILES: ReadonlySet<string> = new Set(['tsconfig.json', 'jsconfig.json', 'package.json']);
// Bundler output with a content hash in the name: `0.chunk.44660.js`, `polyfills.b843f.js`, `main-3f9a2c1b.js`.
const GENERATED_BUNDLE = /(^|[.-])(chunk|bundle)\.|[.-][0-9a-f]{5,}\.[cm]?js$/;
const TEST_FILE = /\.(test|spec|stories|story|cy|e2e)\.[cm]?[jt]sx?$/;

/** What discovery found, and (when asked) the state of the tree it read: enough to tell later that nothing moved. */
export interface Discovery {
  files: SourceFile[];
  skipped: SkippedFile[];
  projectFiles: string[];
  /** Every directory read, .gitignore applied and project file listed, with its mtime when it was read. */
  watched?: Record<string, number>;
  /** The folder `relative` paths start from when it is not the root: a file's, for a file given as the root. */
  folder?: string;
}

/**
 * Lists the source files below each root, honouring .gitignore files at every level, skipping
 * dependencies, build output, symbolic links (they may loop or leave the tree) and, unless asked,
 * tests. Every file passed over for a reason a user may not expect is listed with that reason, and so
 * is a root that is no source file or folder (README.md, a pipe).
 */
export function discoverFiles(root: string, options: DiscoveryOptions = DEFAULT_DISCOVERY, watch = false): Discovery {
  const files: SourceFile[] = [];
  const projectFiles: string[] = [];
  const skipped: SkippedFile[] = [];
  // Written as globs (--exclude, the editor's offbox.exclude and files.exclude): braces expand.
  const extra = new IgnoreRules(options.exclude.flatMap(expandBraces));
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (error) {
    return { files, projectFiles, skipped: [{ file: root, reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  if (rootStat.isFile()) {
    const name = root.split(sep).pop()!;
    // Named on purpose (`offbox scan $(git diff --name-only)` names README.md too): said, not dropped.
    if (isSourceName(name)) files.push({ path: root, relative: name });
    else skipped.push({ file: root, reason: `not a JavaScript or TypeScript file (${SOURCE_EXTENSIONS.join(', ')})` });
    return { files, skipped, projectFiles, folder: dirname(root) };
  }
  if (!rootStat.isDirectory()) return { files, projectFiles, skipped: [{ file: root, reason: `not a file or folder to scan (${kindOf(rootStat)})` }] };
  // mtimes are taken before a directory is read, so a change while it is read shows up as a change.
  const watched: Record<string, number> | undefined = watch ? {} : undefined;
  const note = (path: string) => {
    if (!watched) return;
    try {
      watched[path] = statSync(path).mtimeMs;
    } catch {
      watched[path] = -1;
    }
  };
  const excluded = options.exclude.length > 0 ? (path: string) => extra.ignores(path) : () => false;
  const stack: Array<{ directory: string; relativeDirectory: string; rules: IgnoreLevel[] }> = [{ directory: root, relativeDirectory: '', rules: [] }];
  while (stack.length > 0) {
    const { directory, relativeDirectory, rules: inherited } = stack.pop()!;
    const rules = [...inherited];
    note(directory);
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      skipped.push({ file: relativeDirectory || '.', reason: `directory cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    // The listing tells whether there is a .gitignore: no stat per directory to ask.
    if (entries.some((entry) => entry.name === '.gitignore')) {
      const gitignore = join(directory, '.gitignore');
      note(gitignore);
      // As git reads it: a regular file only (a repository can commit a link to a pipe or /dev/zero there).
      const read = readTextFile(gitignore, MAX_GITIGNORE_BYTES, { followLinks: false });
      if ('text' in read) rules.push({ offset: relativeDirectory ? relativeDirectory.length + 1 : 0, matcher: new IgnoreRules(read.text) });
      else skipped.push({ file: relativeDirectory ? `${relativeDirectory}/.gitignore` : '.gitignore', reason: `.gitignore ${read.problem}; its rules were not applied` });
    }
    const hasPackageJson = entries.some((entry) => entry.name === 'package.json');
    // The directory is already normalised and a name holds no separator: joining need not normalise
    // again (path.join did, for each of the tens of thousands of entries of a monorepo).
    const prefix = directory.endsWith(sep) ? directory : `${directory}${sep}`;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? 1 : -1))) {
      const isDirectory = entry.isDirectory();
      // Names that could never be scanned or listed are passed over before the (costlier) ignore rules.
      if (!isDirectory && !isSourceName(entry.name) && !(entry.isFile() && PROJECT_FILES.has(entry.name)) && !(entry.isSymbolicLink() && !entry.name.includes('.'))) continue;
      if (isDirectory && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const path = `${prefix}${entry.name}`;
      const relativePath = relativeDirectory ? `${relativeDirectory}/${entry.name}` : entry.name;
      // As ignore rules read it: a directory's path ends in `/`.
      const rulePath = isDirectory ? `${relativePath}/` : relativePath;
      if (isIgnored(rules, rulePath) || excluded(rulePath)) continue;
      if (entry.isSymbolicLink()) {
        if (isSourceName(entry.name) || !entry.name.includes('.')) skipped.push({ file: relativePath, reason: 'symbolic link (not followed)' });
        continue;
      }
      if (isDirectory) {
        if (entry.name === 'build' && hasPackageJson) continue;
        if (!options.includeTests && TEST_DIRECTORIES.has(entry.name)) {
          skipped.push({ file: `${relativePath}/`, reason: 'test directory (use --include-tests)' });
          continue;
        }
        stack.push({ directory: path, relativeDirectory: relativePath, rules });
        continue;
      }
      if (entry.isFile() && PROJECT_FILES.has(entry.name)) {
        projectFiles.push(relativePath);
        // Their aliases and package names decide how imports resolve: a change must be seen.
        note(path);
      }
      if (!entry.isFile() || !isSourceName(entry.name) || entry.name.endsWith('.d.ts')) continue;
      if (!options.includeTests && TEST_FILE.test(entry.name)) {
        skipped.push({ file: relativePath, reason: 'test file (use --include-tests)' });
        continue;
      }
      if (/\.min\.[cm]?js$/.test(entry.name) || GENERATED_BUNDLE.test(entry.name)) {
        skipped.push({ file: relativePath, reason: 'minified or generated bundle' });
        continue;
      }
      // Sizes are checked when a file is read (every file is read for the prefilter): no stat per file.
      files.push({ path, relative: relativePath });
    }
  }
  files.sort((a, b) => byPath(a.relative, b.relative));
  return { files, skipped, projectFiles, ...(watched ? { watched } : {}) };
}

/** The order discovery lists files in: by relative path, code unit by code unit. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Makes a directory and the missing ones above it, one level at a time: Node's recursive mkdirSync
 * never returns where a parent refuses new entries with ENOENT (under /proc), so a cache location
 * there hung the CLI. Throws as mkdirSync does (ENOENT, ENOTDIR, EACCES).
 */
export function makeDirectories(directory: string): void {
  if (existsSync(directory)) return;
  const parent = dirname(directory);
  if (parent !== directory) makeDirectories(parent);
  try {
    mkdirSync(directory);
  } catch (error) {
    // Made meanwhile by another process: what was asked for is there.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Reads a text file a user names (privacy.json, a policy, a baseline, the cache, a .gitignore): a
 * regular file, of at most `maxBytes`. A named pipe there would block the read for ever and /dev/zero
 * fill memory, and a repository can hold a link to either under any name. Opened without blocking
 * and checked on the open descriptor, so nothing can take the file's place in between.
 * `followLinks: false` refuses a symbolic link, as git does for a .gitignore. `problem` reads after
 * the path ("is not a regular file (a named pipe)"); `code` is the system's for a failed open.
 */
export function readTextFile(path: string, maxBytes: number, { followLinks = true } = {}): { text: string } | { problem: string; code?: string } {
  let descriptor: number | undefined;
  try {
    if (!followLinks && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return { problem: 'is a symbolic link, which is not followed' };
    descriptor = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(descriptor);
    if (stat.isDirectory()) return { problem: 'is a folder, not a file' };
    if (!stat.isFile()) return { problem: `is not a regular file (${kindOf(stat)})` };
    const tooLarge = { problem: `is over ${formatBytes(maxBytes)}, which is refused` };
    if (stat.size > maxBytes) return tooLarge;
    // Up to one byte past the limit whatever the size said: a file can grow, and /proc reports 0.
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return tooLarge;
        const larger = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(2 * length, 64 * 1024)));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const count = readSync(descriptor, buffer, length, buffer.length - length, length);
      if (count === 0) break;
      length += count;
    }
    return { text: buffer.toString('utf8', 0, length).replace(/^\uFEFF/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `cannot be read (${code ?? String(error)})`, code };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Why Offbox must not write a file at `path` (a cache, privacy.json), or undefined: there is none,
 * or a regular file. Never through a symbolic link, which may point anywhere (outside the folder).
 */
export function notWritable(path: string): string | undefined {
  let present: Stats | undefined;
  try {
    present = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR: a file stands where a folder of the path should be.
    return `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (!present || present.isFile()) return undefined;
  if (present.isSymbolicLink()) return 'is a symbolic link; Offbox does not write through one';
  return present.isDirectory() ? 'is a folder' : `is not a regular file (${kindOf(present)})`;
}

/** What a path that is neither a file nor a folder is, for a message. */
function kindOf(stat: Stats): string {
  return stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : 'a device';
}

// Rules for a tree, not data: a .gitignore past this is no .gitignore anyone wrote.
const MAX_GITIGNORE_BYTES = 16 * 1024 * 1024;

export type ReadResult = { text: string } | { skipped: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a source file as text, or says why it is not text a parser should see. `mtime`: whether the
 * caller needs the file's mtime (a cache entry records it); without it a file that fits the shared
 * buffer is read with no fstat, three system calls instead of four for each of thousands of files.
 */
export function readSource(path: string, maxFileSize = Infinity, options: { mtime?: boolean } = { mtime: true }): ReadResult & { size?: number; mtimeMs?: number } {
  let bytes: Buffer;
  let descriptor: number | undefined;
  let mtimeMs: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const read = options.mtime ? undefined : readIntoShared(descriptor, maxFileSize);
    if (read) bytes = read;
    else {
      // One open and fstat: the size is checked before a large file is read into memory.
      const stat = fstatSync(descriptor);
      const size = stat.size;
      mtimeMs = stat.mtimeMs;
      if (size > maxFileSize) return { skipped: `larger than ${formatBytes(maxFileSize)} (${formatBytes(size)}; raise --max-file-size to scan it)` };
      bytes = readFileSync(descriptor);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { skipped: code === 'ENOENT' ? 'deleted during the scan' : `cannot be read: ${code ?? String(error)}` };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  // The mtime is the one read with the bytes: a cache entry stored later must not take a newer one.
  // Bytes of the shared buffer are decoded here, before the next read reuses it.
  return { ...decodeSource(bytes), size: bytes.length, mtimeMs };
}

// Most sources are a few KiB: one buffer serves every read on this thread that fits in it.
const SHARED_READ_BYTES = 1 << 20;
let sharedRead: Buffer | undefined;

/** The file's bytes (a view of the shared buffer) when the whole file fits and is within the limit; else undefined (the caller stats). */
function readIntoShared(descriptor: number, maxFileSize: number): Buffer | undefined {
  sharedRead ??= Buffer.allocUnsafe(SHARED_READ_BYTES);
  let length = 0;
  for (;;) {
    // At explicit positions (pread): the descriptor's own position stays at 0 for a read that falls back to readFileSync.
    const count = readSync(descriptor, sharedRead, length, SHARED_READ_BYTES - length, length);
    if (count === 0) break;
    length += count;
    // A full buffer may be a larger file; one over the limit is measured for its message: both go the fstat way.
    if (length === SHARED_READ_BYTES || length > maxFileSize) return undefined;
  }
  return sharedRead.subarray(0, length);
}

/** Decodes bytes as UTF-8 source, stripping a BOM; binary content, invalid UTF-8 and minified bundles are refused. */
export function decodeSource(bytes: Uint8Array): ReadResult {
  // A stray NUL in a string literal is source; binary files have them everywhere.
  if (countNul(bytes.subarray(0, 8192)) >= 4) return { skipped: 'binary content (NUL bytes)' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (looksMinified(text)) return { skipped: 'minified or generated code (very long lines)' };
  return { text };
}

function countNul(bytes: Uint8Array): number {
  // indexOf is native: a loop over every byte of every file cost a Rocket.Chat scan 10-25 ms.
  let count = 0;
  for (let at = bytes.indexOf(0); at !== -1; at = bytes.indexOf(0, at + 1)) count += 1;
  return count;
}

/** A long file of very long lines is a bundle: its findings would belong to the libraries inside. */
function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  // Enough lines for an average under 1,000 characters settle it: no need to count the rest.
  const enough = text.length / 1000;
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1 && lines <= enough; index = text.indexOf('\n', index + 1)) lines += 1;
  return lines < enough;
}

/** A .gitignore's rules, with where its folder's path ends in the root-relative paths below it. */
interface IgnoreLevel {
  offset: number;
  matcher: IgnoreRules;
}

/**
 * Whether the .gitignore files above an entry leave it out, as git reads them: the deepest one with
 * a rule for it decides, so a nested `!keep.gen.ts` takes back a parent folder's `*.gen.ts`.
 * `rulePath`: the entry's root-relative path as rules read it; each level reads it from its own folder down.
 */
function isIgnored(rules: readonly IgnoreLevel[], rulePath: string): boolean {
  for (let level = rules.length - 1; level >= 0; level -= 1) {
    const { offset, matcher } = rules[level];
    const verdict = matcher.decide(rulePath.slice(offset));
    if (verdict !== undefined) return verdict;
  }
  return false;
}

const SOURCE_EXTENSION_SET = new Set(SOURCE_EXTENSIONS);

/** Whether a file of this name is one the scan reads (by its extension, in any case). */
export function isSourceName(name: string): boolean {
  // As path.extname reads it, without its work for every entry of a monorepo: a leading dot alone is no extension.
  const dot = name.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSION_SET.has(name.slice(dot).toLowerCase());
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
