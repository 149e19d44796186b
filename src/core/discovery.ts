import { readdirSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';
import { IgnoreRules } from './ignore-rules';
import { expandBraces } from './globs';
import { CACHE_DIRECTORY, isSourceName, kindOf, MAX_GITIGNORE_BYTES, PROJECT_FILES, readTextFile } from './files';

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

// Dependencies, VCS data, build output and Offbox's own cache: never the product's own source. The
// cache's directory changes with every journal it starts: read as part of the tree, it would make
// the next scan list the whole tree again.
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.next', '.nuxt', '.output', '.svelte-kit', '.turbo', '.cache', '.yarn', '.pnpm-store', 'coverage', 'bower_components', 'vendor', 'storybook-static', '.vercel', '.meteor', CACHE_DIRECTORY]);
const TEST_DIRECTORIES = new Set(['__tests__', '__mocks__', '__fixtures__', 'test', 'tests', 'e2e', 'cypress', 'playwright', 'spec', '__snapshots__']);
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
 * A folder to walk, with the .gitignore rules above it as their text: plain data, so that another
 * thread can walk it (DiscoveryHelper).
 */
export interface WalkTask {
  directory: string;
  relativeDirectory: string;
  rules: ReadonlyArray<{ offset: number; text: string }>;
}

/**
 * What walking a task found, in the order one thread walking the whole tree finds it, less the
 * folders handed over (`handedOver`, their ids in the order handed): each was the last folder left
 * to walk when it was handed over, so what it holds comes after all the rest, and one handed later
 * before one handed earlier (assembleWalk).
 */
export interface WalkOutput {
  files: SourceFile[];
  skipped: SkippedFile[];
  projectFiles: string[];
  watched?: Record<string, number>;
  handedOver: number[];
}

/**
 * Another thread that may take a folder to walk: its id when it takes it, else undefined. Asked
 * before every folder, and mostly busy: the task is made only once it is taken.
 */
export type HandOver = (task: () => WalkTask) => number | undefined;

/**
 * Walks folders on another thread while this one walks the rest (a scan's pool worker, idle while
 * files are found: walk-helper.ts). `begin` starts one discovery; `finish` waits for what was handed
 * over, walking here what the other thread hands back, and returns the outputs by id.
 */
export interface DiscoveryHelper {
  begin(options: DiscoveryOptions, watch: boolean): { handOver: HandOver; finish(walkHere: (task: WalkTask) => WalkOutput): Map<number, WalkOutput> };
}

/**
 * Lists the source files below each root, honouring .gitignore files at every level, skipping
 * dependencies, build output, symbolic links (they may loop or leave the tree) and, unless asked,
 * tests. Every file passed over for a reason a user may not expect is listed with that reason, and so
 * is a root that is no source file or folder (README.md, a pipe). With a helper, another thread walks
 * some of the folders; the result is the same, in the same order.
 */
export function discoverFiles(root: string, options: DiscoveryOptions = DEFAULT_DISCOVERY, watch = false, helper?: DiscoveryHelper): Discovery {
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (error) {
    return { files: [], projectFiles: [], skipped: [{ file: root, reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  if (rootStat.isFile()) {
    const name = root.split(sep).pop()!;
    // Named on purpose (`offbox scan $(git diff --name-only)` names README.md too): said, not dropped.
    if (isSourceName(name)) return { files: [{ path: root, relative: name }], skipped: [], projectFiles: [], folder: dirname(root) };
    return { files: [], skipped: [{ file: root, reason: `not a JavaScript or TypeScript file (${SOURCE_EXTENSIONS.join(', ')})` }], projectFiles: [], folder: dirname(root) };
  }
  if (!rootStat.isDirectory()) return { files: [], projectFiles: [], skipped: [{ file: root, reason: `not a file or folder to scan (${kindOf(rootStat)})` }] };
  const task: WalkTask = { directory: root, relativeDirectory: '', rules: [] };
  let output: WalkOutput | undefined;
  if (helper) {
    try {
      const run = helper.begin(options, watch);
      const walker = new Walker(options, watch);
      const own = walker.walk(task, run.handOver);
      output = assembleWalk(own, run.finish((handed) => walker.walk(handed, run.handOver)));
    } catch {
      // The threads' bookkeeping failed (ours, not the tree's: a folder that cannot be read is a
      // skip, never a throw): the tree is walked again here alone rather than the scan lost.
      output = undefined;
    }
  }
  output ??= new Walker(options, watch).walk(task);
  const { files, skipped, projectFiles, watched } = output;
  files.sort((a, b) => byPath(a.relative, b.relative));
  return { files, skipped, projectFiles, ...(watched ? { watched } : {}) };
}

/** One walk's output with the outputs of the folders it handed over put back where a walk on one thread finds them. */
export function assembleWalk(own: WalkOutput, handed: ReadonlyMap<number, WalkOutput>): WalkOutput {
  const whole: WalkOutput = { files: [], skipped: [], projectFiles: [], ...(own.watched ? { watched: {} } : {}), handedOver: [] };
  const append = (part: WalkOutput) => {
    for (const file of part.files) whole.files.push(file);
    for (const skip of part.skipped) whole.skipped.push(skip);
    for (const file of part.projectFiles) whole.projectFiles.push(file);
    if (whole.watched && part.watched) Object.assign(whole.watched, part.watched);
    for (let at = part.handedOver.length - 1; at >= 0; at -= 1) {
      const next = handed.get(part.handedOver[at]);
      // A folder handed over and never walked would be files silently missing from the scan.
      if (!next) throw new Error(`discovery: the walk of a folder handed to another thread is missing (${part.handedOver[at]})`);
      append(next);
    }
  };
  append(own);
  return whole;
}

/** The order discovery lists files in: by relative path, code unit by code unit. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A .gitignore's rules, with where its folder's path ends in the root-relative paths below it, and its text (WalkTask). */
interface IgnoreLevel {
  offset: number;
  text: string;
  matcher: IgnoreRules;
}

/**
 * Walks folders as discovery reads them, on whichever thread: one Walker per discovery and
 * thread, whose .gitignore rules are compiled once per text (a folder handed over carries the
 * text of the rules above it).
 */
export class Walker {
  private readonly matchers = new Map<string, IgnoreRules>();
  private readonly excluded: (rulePath: string) => boolean;

  constructor(
    private readonly options: DiscoveryOptions,
    private readonly watch: boolean,
  ) {
    // Written as globs (--exclude, the editor's offbox.exclude and files.exclude): braces expand.
    const extra = options.exclude.length > 0 ? new IgnoreRules(options.exclude.flatMap(expandBraces)) : undefined;
    this.excluded = extra ? (path) => extra.ignores(path) : () => false;
  }

  /** Walks the task's folder and everything below it but what `handOver` takes, depth first. */
  walk(task: WalkTask, handOver?: HandOver): WalkOutput {
    const { options, excluded } = this;
    const output: WalkOutput = { files: [], skipped: [], projectFiles: [], handedOver: [] };
    const { files, skipped, projectFiles } = output;
    // mtimes are taken before a directory is read, so a change while it is read shows up as a change.
    const watched: Record<string, number> | undefined = this.watch ? (output.watched = {}) : undefined;
    const note = (path: string) => {
      if (!watched) return;
      try {
        watched[path] = statSync(path).mtimeMs;
      } catch {
        watched[path] = -1;
      }
    };
    const stack: Array<{ directory: string; relativeDirectory: string; rules: IgnoreLevel[] }> = [{ ...task, rules: task.rules.map(({ offset, text }) => ({ offset, text, matcher: this.matcherFor(text) })) }];
    while (stack.length > 0) {
      // The folder walked last, when another thread is free to take it: the largest part left, most often.
      if (handOver && stack.length > 1) {
        const { directory, relativeDirectory, rules } = stack[0];
        const id = handOver(() => ({ directory, relativeDirectory, rules: rules.map(({ offset, text }) => ({ offset, text })) }));
        if (id !== undefined) {
          stack.shift();
          output.handedOver.push(id);
        }
      }
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
        if ('text' in read) rules.push({ offset: relativeDirectory ? relativeDirectory.length + 1 : 0, text: read.text, matcher: this.matcherFor(read.text) });
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
    return output;
  }

  private matcherFor(text: string): IgnoreRules {
    let matcher = this.matchers.get(text);
    if (!matcher) this.matchers.set(text, (matcher = new IgnoreRules(text)));
    return matcher;
  }
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
