import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';

/** Where `offbox scan --cache` keeps its cache, below the current directory. */
export const CACHE_DIRECTORY = '.offbox-cache';

// Files that tell how imports resolve: tsconfig paths aliases and monorepo workspace packages.
export const PROJECT_FILES: ReadonlySet<string> = new Set(['tsconfig.json', 'jsconfig.json', 'package.json']);

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
export function kindOf(stat: Stats): string {
  return stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : 'a device';
}

// Rules for a tree, not data: a .gitignore past this is no .gitignore anyone wrote.
export const MAX_GITIGNORE_BYTES = 16 * 1024 * 1024;

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
  // Bytes of the shared buffer are decoded here, before the next read reuses it. One object literal:
  // this runs for every file of a scan, most of it before V8 optimises it (bin/offbox.js).
  const decoded = decodeSource(bytes);
  return 'text' in decoded ? { text: decoded.text, size: bytes.length, mtimeMs } : { skipped: decoded.skipped, size: bytes.length, mtimeMs };
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
  if (nulsBefore(bytes, 8192) >= 4) return { skipped: 'binary content (NUL bytes)' };
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

/** How many NUL bytes stand before `end` (up to four: enough to tell). */
function nulsBefore(bytes: Uint8Array, end: number): number {
  // indexOf is native: a loop over every byte of every file cost a Rocket.Chat scan 10-25 ms.
  let count = 0;
  for (let at = bytes.indexOf(0); at !== -1 && at < end && count < 4; at = bytes.indexOf(0, at + 1)) count += 1;
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

// A path the tree's walk gives (`apps/x.ts`): no `.` or `..` segment, no empty one, nothing absolute.
const PLAIN_RELATIVE = /^(?!\/)(?!\.\.?(?:\/|$))(?!.*\/\.\.?(?:\/|$))(?!.*\/\/)[^\\:]+$/;

/**
 * Root-relative paths as the user's working directory sees them (`rocketchat/apps/x.ts` from the
 * parent folder), each worked out once. A scan asks for every location of every finding, and
 * path.relative normalises both paths on every call (16 ms at scale); a plain path from the walk
 * only needs the root's own relative path before it. Where the working directory lies inside the
 * root, or the path is not a plain one, path.relative tells.
 */
export function cwdRelativePaths(cwd: string, root: string): (file: string) => string {
  const rootFromCwd = toPosix(relative(cwd, root));
  // Only `..` segments: the working directory is inside the root, and a file may lie below it.
  const inside = /^\.\.(?:\/\.\.)*$/.test(rootFromCwd);
  const known = new Map<string, string>();
  return (file) => {
    let path = known.get(file);
    if (path === undefined) {
      if (!inside && PLAIN_RELATIVE.test(file)) path = rootFromCwd === '' ? file : `${rootFromCwd}/${file}`;
      else path = toPosix(relative(cwd, resolve(root, file))) || file;
      known.set(file, path);
    }
    return path;
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
