import { resolve } from 'node:path';
import { analyzeSource, type FileAnalysis } from './analyze';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { readSource } from './files';
import type { ParsedGuard } from './guards';
import { ModuleResolver } from './module-resolver';
import { ModuleValues, clientMap } from './module-values';
import { clientOriginTest, prefilterFor, type Prefilter } from './prefilter';
import type { Origin } from './origin';
import { COMMENT, commentsBlanked, commentsOverrun, detached, unescapeStringBody, wholeIdentifiers } from './regexp';
import { contentHash } from './scan-cache';

/**
 * One file to read and analyse: the unit of work a scan hands out, to its own thread or to a pool
 * of workers (analysis-pool.ts). Jobs and outcomes are plain data so they cross thread boundaries.
 */
export interface AnalysisJob {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root: what findings name. */
  relative: string;
  maxFileSize: number;
  /** Whether the prefilter may let the file go unparsed (off for files a wrapper reaches). */
  prefilter: boolean;
  /** Whether the outcome needs the content hash (for the cache). */
  hash: boolean;
  /** The hash the cache holds: when the content still has it, the job stops at `same`. */
  knownHash?: string;
  /**
   * The client exports found so far (file → keys, barrels included): imports of them are followed to
   * the package the client comes from (ModuleValues.originsFor). Set for the wrapper rounds' jobs.
   */
  clients?: Array<[string, string[]]>;
  /** Which of those clients this file imports, as the scan wrote it down: kept with the analysis to tell when it must be redone. */
  clientSignature?: string;
  /**
   * Set for a file the prefilter let go that a wrapper reaches and that imports no client: it cannot
   * hold a send of its own (the prefilter is sound), so only its exports and in-repo calls are
   * collected, without detectors.
   */
  linksOnly?: boolean;
  /**
   * For a file the prefilter let go that a wrapper or a client reaches only through members: it is
   * parsed only if it names one of these words (the last member name of each key it imports,
   * `sendRequest` of `Livechat.sendRequest`); else it stays `prefiltered`.
   */
  mustMention?: string[];
}

/** What an in-repo module's file imports from a module: named imports, `*` when anything may be reached. */
export interface ImportedNames {
  source: string;
  names: string[];
  /** `export … from`: the file passes what it names on, whether or not it calls it. */
  reExport?: boolean;
}

/** The file's size and mtime as they were when it was read (what a cache entry must record). */
export interface ReadStat {
  size: number;
  mtimeMs: number;
}

export type JobOutcome =
  | { state: 'skipped'; reason: string }
  | { state: 'same'; hash: string; stat: ReadStat }
  | { state: 'prefiltered'; hash: string; stat: ReadStat; imports: ImportedNames[] }
  | { state: 'analysed'; hash: string; stat: ReadStat; analysis: FileAnalysis; dependencies: string[]; resolves: boolean };

/** A file triage read and found worth parsing: what analysing it needs (plain data, to cross to a worker). */
export interface ReadFile {
  state: 'read';
  text: string;
  hash: string;
  stat: ReadStat;
}

/** What every job of one scan root shares; plain data, so a worker can build its own context from it. */
export interface RootSpec {
  root: string;
  /** The scanned files, relative to the root: the module resolver's universe. */
  files: string[];
  /** tsconfig/jsconfig/package.json files, relative to the root. */
  projectFiles: string[];
  guards?: readonly ParsedGuard[];
}

/** The per-root state jobs run in: resolver, imported-module values, prefilter. */
export class AnalysisContext {
  readonly resolver: ModuleResolver;
  private readonly moduleValues: ModuleValues;
  private readonly prefilter: Prefilter;

  /** `resolver`: the scan's own for this root when the jobs run on its thread (a worker builds one from the spec). */
  constructor(readonly spec: RootSpec, private readonly catalog: Catalog, private readonly detectors: readonly Detector[], resolver?: ModuleResolver) {
    this.resolver = resolver ?? new ModuleResolver(new Set(spec.files), spec.root, spec.projectFiles);
    this.prefilter = prefilterFor(catalog, detectors);
    this.isClientOrigin = clientOriginTest(catalog, detectors);
    this.moduleValues = new ModuleValues(spec.root, this.resolver, this.isClientOrigin);
  }

  private readonly isClientOrigin: (origin: Origin) => boolean;

  run(job: AnalysisJob): JobOutcome {
    const triaged = this.triage(job);
    return triaged.state === 'read' ? this.analyse(job, triaged) : triaged;
  }

  /**
   * The cheap half of a job: reads the file and decides whether it needs parsing. A pool can do this
   * on the scan's thread and hand only the files that pass to a worker (AnalysisPool's split mode).
   */
  triage(job: AnalysisJob): JobOutcome | ReadFile {
    // The mtime only matters to a cache entry, and a job hashes exactly when there is a cache.
    const read = readSource(job.path, job.maxFileSize, { mtime: job.hash });
    if ('skipped' in read) return { state: 'skipped', reason: read.skipped };
    const stat = { size: read.size ?? read.text.length, mtimeMs: read.mtimeMs ?? 0 };
    const hash = job.hash ? contentHash(read.text) : '';
    if (job.knownHash !== undefined && job.knownHash === hash) return { state: 'same', hash, stat };
    // The prefilter lets any text through whose comments overrun (commentsOverrun): one it turns down has none to check again.
    if (job.prefilter && !this.prefilter.test(read.text, job.path)) return { state: 'prefiltered', hash, stat, imports: inRepoImports(read.text, this.resolver, { overrunChecked: true }) };
    if (!job.prefilter && job.mustMention !== undefined && !mentionsAny(read.text, job.mustMention)) return { state: 'prefiltered', hash, stat, imports: inRepoImports(read.text, this.resolver) };
    return { state: 'read', text: read.text, hash, stat };
  }

  /** The costly half: parses and analyses a file triage passed. */
  analyse(job: AnalysisJob, { text, hash, stat }: ReadFile): JobOutcome {
    this.moduleValues.clients = job.clients ? clientMap(job.clients) : undefined;
    const analysis = analyzeSource(job.relative, text, job.linksOnly ? [] : this.detectors, this.catalog, {
      isInRepoModule: (source) => this.resolver.isInRepo(source),
      importResolver: (fromFile) => this.moduleValues.forFile(fromFile),
      importOrigin: (fromFile) => this.moduleValues.originsFor(fromFile),
      isClientOrigin: this.isClientOrigin,
      guards: this.spec.guards,
    });
    // Absolute, so a cache entry can be checked against files changed since.
    const dependencies = closure(this.moduleValues.dependencies, job.relative).map((dependency) => resolve(this.spec.root, dependency));
    this.moduleValues.clients = undefined;
    // The in-repo modules it imports and which names: the rounds read them to see whether it imports a client.
    analysis.imports = inRepoImports(text, this.resolver);
    if (job.clientSignature) analysis.clientSignature = job.clientSignature;
    // Whether it looked an in-repo import up (and so depends on how imports resolve): it or a module it read.
    const resolves = this.moduleValues.consulted.has(job.relative) || dependencies.length > 0;
    return { state: 'analysed', hash, stat, analysis, dependencies, resolves };
  }
}

/** Every module a file's analysis read values from, directly or through the modules it read. */
function closure(dependencies: ReadonlyMap<string, ReadonlySet<string>>, file: string): string[] {
  const found = new Set<string>();
  const stack = [...(dependencies.get(file) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (found.has(next) || next === file) continue;
    found.add(next);
    stack.push(...(dependencies.get(next) ?? []));
  }
  return [...found];
}

// `import x, { a, b as c } from 's'`, `export … from 's'`, `import('s')`, `require('s')`: the clause (if any)
// and the specifier, past what the parser reads past as well: comments (`import(/* webpackChunkName */
// './crm')`, `{ track, // why \n other }`), parentheses, `?.`, a type assertion (as prefilter.ts does).
// A clause ends before another `import` or `export`: else each of many `import x` lines without a
// `from` read on to the end of the text (19 s for 225 KB).
const IMPORT_SPECIFIER = new RegExp(
  String.raw`(?:\b(?:import|export(?!\s+(?:const|let|var|function|class|default|async|interface|enum|abstract|declare|namespace)\b))\s+((?:type\s+)?(?:(?!\b(?:import|export)\b)[^'"\`;/]|'[^'\n]*'|"[^"\n]*"|${COMMENT}|\/(?![/*]))*?)\s*from|\bimport(?=\s*(?:\(|${COMMENT}))|\brequire)(?:\s|\?\.|\(|\)|<(?:[^<>]|<[^<>]*>)*>|${COMMENT})*["'\`]([^"'\`\n]+)["'\`]`,
  'g',
);

/** The in-repo modules an unparsed file imports, and which of their names: enough to tell whether it calls a wrapper. */
export function inRepoImports(text: string, resolver: ModuleResolver, { overrunChecked = false } = {}): ImportedNames[] {
  // Run over every file the prefilter lets go (a fifth of a cold scan's reading thread, at scale),
  // so the plain loop and the cheap tests come first.
  const imports: ImportedNames[] = [];
  // Broken or hostile text (its comments overrun): read as importing nothing in the repository, as
  // the expression would take quadratic time. Its own sends are still found (the prefilter lets it
  // through, and so has checked already when it turned a text down: `overrunChecked`).
  if (!overrunChecked && commentsOverrun(text)) return imports;
  IMPORT_SPECIFIER.lastIndex = 0;
  for (let match = IMPORT_SPECIFIER.exec(text); match; match = IMPORT_SPECIFIER.exec(text)) {
    const specifier = unescapeStringBody(match[2]);
    // Most specifiers name packages (`react`): only the in-repo ones are kept, for the rounds (and in
    // the cache), copied off the text, which can then go.
    if (resolver.isInRepo(specifier)) imports.push({ source: detached(specifier), names: importedNames(match[1]), ...(match[0].startsWith('export') ? { reExport: true } : {}) });
  }
  return imports;
}


/** `{ a, b as c }` → [a, b]; a default, a namespace, `export *` or a require → ['*'] (anything may be reached). */
function importedNames(clause: string | undefined): string[] {
  if (!clause) return ['*'];
  const braces = /^(?:type\s+)?\{([^}]*)\}$/.exec(commentsBlanked(clause).trim());
  if (!braces) return ['*'];
  const names: string[] = [];
  for (const part of braces[1].split(',')) {
    let name = part.trim();
    if (name.startsWith('type') && /^type\s/.test(name)) name = name.replace(/^type\s+/, '');
    if (name.includes('as')) name = name.split(/\s+as\s+/)[0];
    // `'send' as s`: a string name (ES2022) is the export's name without its quotes.
    const first = name.charCodeAt(0);
    if (first === 0x22 || first === 0x27) name = name.replace(/^(["'])(.*)\1$/, '$2');
    if (name) names.push(detached(name));
  }
  return names;
}

/**
 * Whether the text names one of the words as a whole word. A call reaches an export key only through
 * names written in the file: member names (`Livechat.sendRequest`, `x['sendRequest']`) and
 * destructured keys (`const { sendRequest } = Livechat`), never computed ones (module-links.ts).
 */
function mentionsAny(text: string, words: readonly string[]): boolean {
  return wholeIdentifiers(words).test(text);
}
