import { relative, resolve, sep } from 'node:path';
import type { FileAnalysis } from './analyze';
import { AnalysisContext, type AnalysisJob, type ImportedNames, type JobOutcome, type RootSpec } from './analysis-job';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { cwdRelativePaths, toPosix } from './files';
import { DEFAULT_DISCOVERY, byPath, discoverFiles, type Discovery, type DiscoveryHelper, type DiscoveryOptions, type SkippedFile, type SourceFile } from './discovery';
import { compareFindings, type Finding } from './finding';
import { ModuleResolver } from './module-resolver';
import { ModuleValues } from './module-values';
import type { DeferredArgument } from './evaluate';
import type { CacheEntry, ScanCache } from './scan-cache';
import { WrapperIndex } from './wrappers';
import { type ImportersIndex, changedKeys, clientSignature, importersIndexFor, reachOf, sinkFileFilter } from './wrapper-rounds';
import type { SuppressionDirective } from './suppressions';
import type { ParsedGuard } from './guards';

export interface ScanOptions extends DiscoveryOptions {
  /** Where finding paths are relative to (the current directory for the CLI). */
  cwd: string;
  /** Skip files without any keyword a detector needs (on by default; off proves it changes nothing). */
  prefilter: boolean;
  /** Called between files; returning true stops the scan. */
  isCancelled?: () => boolean;
  onProgress?: (done: number, total: number) => void;
  /** privacy.json guards, parsed: findings record the ones that dominate them. */
  guards?: readonly ParsedGuard[];
  /** A content-hash cache (offbox scan --cache): unchanged files are not read, parsed or analysed again. */
  cache?: ScanCache;
  /**
   * With a cache: the absolute paths that may have changed since the scan that last used it, as file
   * watchers report them (offbox scan --watch). Every other file it knows is taken as unchanged
   * without a stat; without this set, each is stat'ed.
   */
  changedPaths?: ReadonlySet<string>;
  /** Another thread that walks some of the folders while this one walks the rest (a pool worker: scanPathsInParallel). */
  discoveryHelper?: DiscoveryHelper;
}

export interface ScanResult {
  roots: string[];
  findings: Finding[];
  /** Files found to scan, files parsed, files the prefilter let go unparsed. */
  counts: { files: number; parsed: number; prefiltered: number; bytes: number; cached: number };
  skipped: SkippedFile[];
  partial: Array<{ file: string; line: number; message: string }>;
  /** `offbox-ignore` comments by file (cwd-relative), for the policy layer to apply. */
  suppressions: Map<string, SuppressionDirective[]>;
  cancelled: boolean;
  durationMs: number;
  /** With a cache: the directories, .gitignore and project files discovery read (absolute), for a watcher. */
  watchedPaths?: string[];
  /**
   * The client exports the scan found (root-relative file → keys, barrels included): the editor
   * follows an open document's imports of them as the scan did (ModuleValues.originsFor).
   */
  clientExports?: Array<[string, string[]]>;
}

/** A batch of jobs for one root: the scan yields it and is resumed with the outcomes, in job order. */
export interface ScanStep {
  spec: RootSpec;
  jobs: AnalysisJob[];
  /** Whether progress is reported for this batch (the first pass over the files). */
  counted: boolean;
  /**
   * Work for the scan's thread once every job is read and prefiltered while a worker still analyses
   * (AnalysisPool.runTriaged): the outcomes so far, by job, the prefiltered ones among them.
   */
  whileAnalysing?: (outcomes: ReadonlyArray<JobOutcome | undefined>) => void;
}

/** Outcomes for a step's jobs, in order; fewer than the jobs when the scan was cancelled meanwhile. */
export type StepOutcomes = JobOutcome[];

/**
 * Scans directories (or files): discovers sources, prefilters, analyses each file once, then joins
 * the files through the wrapper index. Files the prefilter let go are analysed after all when
 * they import a module that turned out to export a wrapper. Runs every job on this thread; see
 * scanPathsInParallel for a pool of workers. Both drive the same steps, so their results are equal.
 */
export function scanPaths(paths: string[], catalog: Catalog, detectors: readonly Detector[], options: Partial<ScanOptions> = {}): ScanResult {
  const settings = scanSettings(options);
  const steps = scanSteps(paths, catalog, detectors, settings);
  let context: AnalysisContext | undefined;
  for (let next = steps.next(); ; ) {
    if (next.done) return next.value;
    const { spec, jobs, counted } = next.value;
    if (context?.spec !== spec) context = contextFor(spec, catalog, detectors);
    next = steps.next(runJobs(context, jobs, settings, counted));
  }
}

/** Runs a step's jobs on this thread, in order, until the scan is cancelled. */
export function runJobs(context: AnalysisContext, jobs: AnalysisJob[], settings: ScanOptions, counted: boolean): StepOutcomes {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    if (settings.isCancelled?.()) break;
    if (counted) settings.onProgress?.(outcomes.length, jobs.length);
    outcomes.push(context.run(job));
  }
  return outcomes;
}

export function scanSettings(options: Partial<ScanOptions>): ScanOptions {
  return { ...DEFAULT_DISCOVERY, cwd: process.cwd(), prefilter: true, ...options };
}

/**
 * The scan as a sequence of job batches. Everything but reading and analysing files happens here,
 * on the caller's thread: discovery, the cache, the wrapper rounds, and the order of the results.
 */
export function* scanSteps(paths: string[], catalog: Catalog, detectors: readonly Detector[], settings: ScanOptions): Generator<ScanStep, ScanResult, StepOutcomes> {
  const started = performance.now();
  const result: ScanResult = { roots: paths, findings: [], counts: { files: 0, parsed: 0, prefiltered: 0, bytes: 0, cached: 0 }, skipped: [], partial: [], suppressions: new Map(), cancelled: false, durationMs: 0 };
  const cache = settings.cache;
  const seen = new Set<string>();
  const skippedSeen = new Set<string>();
  // `scan . "$PWD"`, `scan src/server src`: a root given twice is scanned once, and a file two roots
  // list is analysed for the first (below), so no finding is reported twice. A root inside another
  // goes after it, so its files are analysed with the whole tree the outer scan sees (wrappers included).
  const given = [...new Set(paths.map((path) => resolve(settings.cwd, path)))];
  const inside = (root: string) => given.some((other) => root.startsWith(other.endsWith(sep) ? other : `${other}${sep}`));
  const roots = [...given.filter((root) => !inside(root)), ...given.filter(inside)];
  for (const root of roots) {
    if (result.cancelled) break;
    // A cache remembers the tree as well: while no directory changed, discovery is a stat per directory.
    const remembered = cache?.discovery(root, settings.changedPaths);
    const discoveryStarted = Date.now();
    const discovered = remembered ?? discoverFiles(root, settings, cache !== undefined, settings.discoveryHelper);
    if (!remembered) cache?.storeDiscovery(root, discovered, discoveryStarted);
    // A file added or removed, or a project file changed, may change how any import resolves.
    const treeChanged = !remembered && cache !== undefined && cache.treeChanged(root, discovered);
    if (discovered.watched) (result.watchedPaths ??= []).push(...Object.keys(discovered.watched));
    // A file given as the root is scanned from its folder, which its findings name it relative to.
    const base = discovered.folder ?? root;
    const toCwd = cwdRelativePaths(settings.cwd, base);
    for (const skip of discovered.skipped) {
      const file = toCwd(skip.file);
      if (skippedSeen.has(file)) continue;
      skippedSeen.add(file);
      result.skipped.push({ ...skip, file });
    }
    const spec: RootSpec = { root: base, files: discovered.files.map((file) => file.relative), projectFiles: discovered.projectFiles, guards: settings.guards };
    const resolver = resolverFor(discovered, base);
    specResolvers.set(spec, resolver);
    const analyses = new Map<string, FileAnalysis>();
    // `absent`: member names the file was read for and does not contain (kept in the cache with it).
    // A few words at most: an array, so replaying thousands of entries builds no Set for each.
    const deferred = new Map<string, { file: SourceFile; imports: ImportedNames[]; hash: string; absent?: readonly string[] }>();
    const fresh = new Set<string>();
    const reused: Array<{ file: SourceFile; entry: CacheEntry }> = [];
    const analysedHere: string[] = [];
    const job = (file: SourceFile, prefilter: boolean, maxFileSize: number): AnalysisJob => ({
      path: file.path,
      relative: file.relative,
      maxFileSize,
      prefilter,
      hash: cache !== undefined,
      knownHash: prefilter ? cache?.knownHash(file.path) : undefined,
    });
    const analysed = (file: SourceFile, outcome: Extract<JobOutcome, { state: 'analysed' }>, counted = true) => {
      analyses.set(file.relative, outcome.analysis);
      if (counted) result.counts.parsed += 1;
      cache?.store(file.path, { hash: outcome.hash, state: 'analysed', analysis: outcome.analysis, dependencies: outcome.dependencies, ...(outcome.resolves ? { resolves: true } : {}) }, outcome.stat);
      if (outcome.dependencies.length > 0) analysedHere.push(file.path);
    };
    /** Replays what the cache knew about a file; false when it knew nothing. */
    const replay = (file: SourceFile, entry: CacheEntry | undefined): boolean => {
      if (!entry) return false;
      result.counts.cached += 1;
      if (entry.state === 'skipped') result.skipped.push({ file: toCwd(file.relative), reason: entry.reason ?? 'skipped' });
      else if (entry.state === 'prefiltered') {
        result.counts.prefiltered += 1;
        if (entry.imports?.length) deferred.set(file.relative, { file, imports: entry.imports, hash: entry.hash, absent: entry.absentWords });
      } else if (entry.analysis) {
        analyses.set(file.relative, entry.analysis);
        if (entry.dependencies?.length || (treeChanged && entry.resolves)) reused.push({ file, entry });
      }
      return true;
    };

    // 1. Every file: replayed from the cache when unchanged, else read, prefiltered and analysed.
    const changedPaths = settings.changedPaths;
    // The whole tree still resolves imports (spec, resolver); only the files no earlier root listed are scanned here.
    const files = seen.size === 0 ? discovered.files : discovered.files.filter((file) => !seen.has(file.path));
    const unchanged = files.map((file) => (changedPaths && !changedPaths.has(file.path) ? cache?.known(file.path) : cache?.unchanged(file.path)));
    const pending = files.filter((_, index) => unchanged[index] === undefined);
    // The wrapper rounds' importers index files what the prefiltered files import (importersIndexFor
    // keeps it with the resolver): made while a worker ends the first pass, it is not made alone
    // between that pass and the first round (60 ms at scale), and nothing is filed twice.
    const fileImporters = (triaged: ReadonlyArray<JobOutcome | undefined>) => {
      const prefiltered = new Map<string, { imports: readonly ImportedNames[] }>();
      triaged.forEach((outcome, at) => {
        if (outcome?.state === 'prefiltered' && outcome.imports.length > 0) prefiltered.set(pending[at].relative, outcome);
      });
      try {
        importersIndexFor(prefiltered, resolver);
      } catch {
        // Made ahead of need: the first round that needs the index files what is missing, and fails there if it must.
      }
    };
    const outcomes: StepOutcomes = pending.length > 0 ? yield { spec, jobs: pending.map((file) => job(file, settings.prefilter, settings.maxFileSize)), counted: true, whileAnalysing: fileImporters } : [];
    let looked = 0;
    for (const [index, file] of files.entries()) {
      const entry = unchanged[index];
      const outcome = entry ? undefined : outcomes[looked++];
      if (!entry && !outcome) {
        // A cancelled scan counts what it looked at, not what it found to look at.
        result.cancelled = true;
        result.counts.files -= files.length - index;
        break;
      }
      seen.add(file.path);
      if (entry) {
        replay(file, entry);
        continue;
      }
      if (outcome!.state === 'skipped') {
        result.skipped.push({ file: toCwd(file.relative), reason: outcome!.reason });
        cache?.store(file.path, { hash: '', state: 'skipped', reason: outcome!.reason });
        continue;
      }
      result.counts.bytes += outcome!.stat.size;
      if (outcome!.state === 'same' && replay(file, cache?.sameContent(file.path, outcome!.hash, outcome!.stat))) continue;
      fresh.add(file.relative);
      if (outcome!.state === 'prefiltered') {
        if (outcome!.imports.length > 0) deferred.set(file.relative, { file, imports: outcome!.imports, hash: outcome!.hash });
        result.counts.prefiltered += 1;
        cache?.store(file.path, { hash: outcome!.hash, state: 'prefiltered', imports: outcome!.imports }, outcome!.stat);
      } else if (outcome!.state === 'analysed') analysed(file, outcome!);
    }
    result.counts.files += files.length;

    // 2. A cached analysis that read values from a module changed since is redone.
    // Stale: a dependency gone, read again in this scan, or not the content the analysis was made with.
    const stale = reused.filter(
      ({ entry }) => (treeChanged && entry.resolves) || !cache!.dependenciesUnchanged(entry) || entry.dependencies!.some((dependency) => fresh.has(toPosix(relative(base, dependency))) || !seen.has(dependency)),
    );
    if (stale.length > 0 && !result.cancelled) {
      const redone: StepOutcomes = yield { spec, jobs: stale.map(({ file }) => job(file, false, settings.maxFileSize)), counted: false };
      stale.forEach(({ file }, at) => {
        const outcome = redone[at];
        if (outcome?.state === 'analysed') analysed(file, outcome);
      });
      if (redone.length < stale.length) result.cancelled = true;
    }

    // Arguments left to read when they are bound (deferredImportArgument): read here, from the modules
    // they are imported from, parsed on this thread on first need.
    let argumentValues: ModuleValues | undefined;
    const readArgument = (argument: DeferredArgument) => (argumentValues ??= new ModuleValues(base, resolver)).argumentValue(argument);

    // 3. Wrappers: analyse the files the prefilter let go that import a key reaching a sink, until no
    // new sink appears (a wrapper of a wrapper). A file that can reach a sink only through members
    // (`Livechat.sendRequest`) is parsed only if it names one of them (the job reads it to see).
    let index = new WrapperIndex(analyses, resolver, detectors, readArgument);
    // Which deferred files import which files, built for the first round that has keys to look for.
    let importers: ImportersIndex | undefined;
    // Until no file is added: every round analyses a deferred file, reads one for new words, or
    // redoes one for clients it did not follow; the keys only grow, so this ends. A cap would stop
    // short of the index's own hops when barrels each take a round.
    let sourceFiles: Map<string, SourceFile> | undefined;
    const tried = new Map<string, string>();
    // What the last round went by: a deferred file is looked at again only for keys that changed
    // since (changedKeys), and analysed files only when the clients did.
    let lastSinkKeys: Map<string, Set<string>> | undefined;
    let lastClients: string | undefined;
    // Deferred files found saved since they were first read (a round read another content): what
    // was known about them no longer holds, and the importers index has their old imports, so every
    // round weighs them against every key.
    const edited = new Set<string>();
    let analysedLastRound: string[] = [];
    while (!result.cancelled) {
      const allSinkKeys = index.sinkKeys();
      const sinkKeys = changedKeys(allSinkKeys, lastSinkKeys);
      lastSinkKeys = allSinkKeys;
      const clientKeys = index.clientKeys();
      const clients = clientEntries(clientKeys);
      const next: Array<{ file: SourceFile; mustMention?: string[]; signature?: string; again?: boolean }> = [];
      if (deferred.size > 0 && (sinkKeys.size > 0 || edited.size > 0)) {
        // The first names of all those keys: an import naming none of them need not be resolved.
        const heads = new Set([...sinkKeys.values()].flatMap((keys) => [...keys].map((key) => key.split('.')[0])));
        const couldReach = sinkFileFilter(sinkKeys.keys());
        const mayReach = ({ names }: ImportedNames) => names.some((name) => name === '*' || heads.has(name));
        importers ??= importersIndexFor(deferred, resolver);
        const reaching = importers.importersOf(sinkKeys.keys());
        // In the deferred files' order (the tree's, by path), so that jobs and results keep their order
        // whichever way; the few that may reach are sorted, not the thousands of deferred files walked.
        const candidates = [...new Set([...reaching, ...edited])].filter((relative) => deferred.has(relative)).sort(byPath);
        for (const relative of candidates) {
          const { file, imports, absent } = deferred.get(relative)!;
          const anew = edited.has(relative);
          const reach = anew
            ? reachOf(imports, (source) => allSinkKeys.get(resolver.resolve(file.relative, source) ?? ''))
            : reachOf(imports.filter(mayReach), (source) => (couldReach(source) ? sinkKeys.get(resolver.resolve(file.relative, source) ?? '') : undefined));
          if (reach === undefined) continue;
          const signature = clientSignature(relative, imports, clientKeys, resolver);
          if (reach === 'any') next.push({ file, signature });
          else {
            // Read again only for names it was not already read for (in this scan or, by the cache, an earlier one).
            const unread = [...reach].filter((word) => !absent?.includes(word));
            if (unread.length > 0) next.push({ file, mustMention: unread, signature });
          }
        }
      }
      // Analysed files importing a client they were analysed without (the first pass follows none):
      // their calls through it are sends of their own (ModuleValues.originsFor). With the same clients
      // as last round, only a file analysed since can (its content saved after its job was made).
      const clientsNow = JSON.stringify(clients);
      if (clientKeys.size > 0) {
        for (const relative of clientsNow !== lastClients ? analyses.keys() : analysedLastRound) {
          const analysis = analyses.get(relative)!;
          if (!analysis.imports?.length) continue;
          const signature = clientSignature(relative, analysis.imports, clientKeys, resolver);
          const file = (sourceFiles ??= new Map(discovered.files.map((source) => [source.relative, source]))).get(relative);
          if (!signature || signature === (analysis.clientSignature ?? '') || tried.get(relative) === signature || !file) continue;
          tried.set(relative, signature);
          next.push({ file, signature, again: true });
        }
      }
      lastClients = clientsNow;
      analysedLastRound = [];
      if (next.length === 0) break;
      const jobs = next.map(({ file, mustMention, signature }): AnalysisJob => ({ ...job(file, false, Infinity), linksOnly: !signature, ...(signature ? { clients, clientSignature: signature } : {}), ...(mustMention ? { mustMention } : {}) }));
      const roundOutcomes: StepOutcomes = yield { spec, jobs, counted: false };
      next.forEach(({ file, mustMention, again }, at) => {
        const outcome = roundOutcomes[at];
        if (outcome?.state === 'analysed') analysedLastRound.push(file.relative);
        if (again) {
          if (outcome?.state === 'analysed') analysed(file, outcome, false);
          return;
        }
        if (outcome?.state === 'prefiltered') {
          const entry = deferred.get(file.relative)!;
          // What was known absent holds for the content it was read in: a file saved meanwhile starts over.
          if (entry.hash !== outcome.hash) {
            edited.add(file.relative);
            entry.imports = outcome.imports;
          }
          entry.absent = [...new Set([...(entry.hash === outcome.hash ? (entry.absent ?? []) : []), ...(mustMention ?? [])])];
          entry.hash = outcome.hash;
          cache?.store(file.path, { hash: outcome.hash, state: 'prefiltered', imports: outcome.imports, absentWords: [...entry.absent] }, outcome.stat);
          return;
        }
        deferred.delete(file.relative);
        if (outcome?.state === 'analysed') {
          analysed(file, outcome);
          result.counts.prefiltered -= 1;
        }
      });
      if (roundOutcomes.length < next.length) result.cancelled = true;
      index = new WrapperIndex(analyses, resolver, detectors, readArgument);
    }
    const clientExports = clientEntries(index.clientKeys());
    if (clientExports.length > 0) result.clientExports = clientExports;
    for (const path of analysedHere) cache?.recordDependencyHashes(path);
    const findings = [...[...analyses.values()].flatMap((analysis) => analysis.findings), ...index.findings(catalog)];
    for (const analysis of analyses.values()) {
      if (analysis.skipped) result.skipped.push({ file: toCwd(analysis.file), reason: analysis.skipped });
      if (analysis.partial) result.partial.push({ file: toCwd(analysis.file), ...analysis.partial });
      if (analysis.suppressions?.length) result.suppressions.set(toCwd(analysis.file), analysis.suppressions);
    }
    result.findings.push(...findings.map((finding) => relocate(finding, toCwd)));
  }
  // Once for all roots: saving prunes the files this scan did not see.
  if (cache && !result.cancelled) cache.save(seen);
  result.findings.sort(compareFindings);
  result.durationMs = performance.now() - started;
  return result;
}

/** Client keys as plain data (file → sorted keys), for a job or the scan result. */
function clientEntries(clientKeys: ReadonlyMap<string, ReadonlySet<string>>): Array<[string, string[]]> {
  return [...clientKeys].map(([file, keys]) => [file, [...keys].sort()]);
}

// A process that scans again (the extension's scan worker) keeps a tree's resolver, and the answers
// it has cached, for as long as the cache hands back the same discovery (no directory changed).
const resolvers = new WeakMap<Discovery, ModuleResolver>();
// The resolver of each root a scan yields jobs for: jobs run on the scan's thread share it (and its answers).
const specResolvers = new WeakMap<RootSpec, ModuleResolver>();

/** The context to run a step's jobs in on this thread: with the scan's resolver for that root, not a second one. */
export function contextFor(spec: RootSpec, catalog: Catalog, detectors: readonly Detector[]): AnalysisContext {
  return new AnalysisContext(spec, catalog, detectors, specResolvers.get(spec));
}

function resolverFor(discovered: Discovery, root: string): ModuleResolver {
  let resolver = resolvers.get(discovered);
  if (!resolver) resolvers.set(discovered, (resolver = new ModuleResolver(new Set(discovered.files.map((file) => file.relative)), root, discovered.projectFiles)));
  return resolver;
}

/** Rewrites root-relative paths to cwd-relative ones, in the finding and its related locations. */
function relocate(finding: Finding, toCwd: (file: string) => string): Finding {
  return {
    ...finding,
    file: toCwd(finding.file),
    related: finding.related.map((location) => ({ ...location, file: toCwd(location.file) })),
    via: finding.via?.map((hop) => ({ ...hop, file: toCwd(hop.file) })),
  };
}
