import { relative, resolve } from 'node:path';
import { analyzeSource, type FileAnalysis } from './analyze';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { DEFAULT_DISCOVERY, discoverFiles, readSource, toPosix, type DiscoveryOptions, type SkippedFile, type SourceFile } from './files';
import type { Finding } from './finding';
import { ModuleResolver } from './module-resolver';
import { ModuleValues } from './module-values';
import { contentHash, type CacheEntry, type ScanCache } from './scan-cache';
import { buildPrefilter } from './prefilter';
import { WrapperIndex } from './wrappers';
import { comparePositions } from './module-links';
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
}

// `import x, { a, b as c } from 's'`, `export … from 's'`, `import('s')`, `require('s')`: the clause (if any) and the specifier.
const IMPORT_SPECIFIER = /(?:\b(?:import|export)\s+((?:type\s+)?[^'"`;]*?)\s*from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'`]([^"'`\n]+)["'`]/g;

/** What a file imports from a module: named imports by name, `*` when the whole module or its default is reachable. */
interface ImportedNames {
  source: string;
  names: string[];
}

/**
 * Scans directories (or files): discovers sources, prefilters, analyses each file once, then joins
 * the files through the wrapper index. Files the prefilter let go are analysed after all when
 * they import a module that turned out to export a wrapper.
 */
export function scanPaths(paths: string[], catalog: Catalog, detectors: readonly Detector[], options: Partial<ScanOptions> = {}): ScanResult {
  const started = performance.now();
  const settings: ScanOptions = { ...DEFAULT_DISCOVERY, cwd: process.cwd(), prefilter: true, ...options };
  const prefilter = buildPrefilter(catalog, detectors);
  const result: ScanResult = { roots: paths, findings: [], counts: { files: 0, parsed: 0, prefiltered: 0, bytes: 0, cached: 0 }, skipped: [], partial: [], suppressions: new Map(), cancelled: false, durationMs: 0 };
  for (const path of paths) {
    const root = resolve(settings.cwd, path);
    const discovered = discoverFiles(root, settings);
    const toCwd = (file: string) => toPosix(relative(settings.cwd, resolve(root, file))) || file;
    result.skipped.push(...discovered.skipped.map((skip) => ({ ...skip, file: toCwd(skip.file) })));
    const relativeFiles = new Set(discovered.files.map((file) => file.relative));
    const resolver = new ModuleResolver(relativeFiles, root, discovered.projectFiles);
    const moduleValues = new ModuleValues(root, resolver);
    const analyses = new Map<string, FileAnalysis>();
    const deferred = new Map<string, { file: SourceFile; imports: ImportedNames[] }>();
    result.counts.files += discovered.files.length;
    let done = 0;
    const cache = settings.cache;
    const seen = new Set<string>();
    const fresh = new Set<string>();
    const reused: Array<{ file: SourceFile; dependencies: string[] }> = [];
    const analyse = (file: SourceFile, text: string) => {
      const analysis = analyzeSource(file.relative, text, detectors, catalog, {
        isInRepoModule: (source) => resolver.isInRepo(source),
        importResolver: (fromFile) => moduleValues.forFile(fromFile),
        guards: settings.guards,
      });
      analyses.set(file.relative, analysis);
      result.counts.parsed += 1;
      const dependencies = closure(moduleValues.dependencies, file.relative).map((dependency) => resolve(root, dependency));
      cache?.store(file.path, { hash: contentHash(text), state: 'analysed', analysis, dependencies });
    };
    /** Replays what the cache knew about a file; false when it knew nothing. */
    const replay = (file: SourceFile, entry: CacheEntry | undefined): boolean => {
      if (!entry) return false;
      result.counts.cached += 1;
      if (entry.state === 'skipped') result.skipped.push({ file: toCwd(file.relative), reason: entry.reason ?? 'skipped' });
      else if (entry.state === 'prefiltered') {
        result.counts.prefiltered += 1;
        if (entry.imports?.length) deferred.set(file.relative, { file, imports: entry.imports });
      } else if (entry.analysis) {
        analyses.set(file.relative, entry.analysis);
        if (entry.dependencies?.length) reused.push({ file, dependencies: entry.dependencies });
      }
      return true;
    };
    for (const file of discovered.files) {
      if (settings.isCancelled?.()) {
        // A cancelled scan counts what it looked at, not what it found to look at.
        result.cancelled = true;
        result.counts.files -= discovered.files.length - done;
        break;
      }
      settings.onProgress?.(done, discovered.files.length);
      done += 1;
      seen.add(file.path);
      if (cache && replay(file, cache.unchanged(file.path))) continue;
      const read = readSource(file.path, settings.maxFileSize);
      if ('skipped' in read) {
        result.skipped.push({ file: toCwd(file.relative), reason: read.skipped });
        cache?.store(file.path, { hash: '', state: 'skipped', reason: read.skipped });
        continue;
      }
      result.counts.bytes += read.size ?? read.text.length;
      if (cache && replay(file, cache.sameContent(file.path, contentHash(read.text)))) continue;
      fresh.add(file.relative);
      if (settings.prefilter && !prefilter.test(read.text)) {
        const imports = inRepoImports(read.text, resolver);
        if (imports.length > 0) deferred.set(file.relative, { file, imports });
        result.counts.prefiltered += 1;
        cache?.store(file.path, { hash: contentHash(read.text), state: 'prefiltered', imports });
        continue;
      }
      analyse(file, read.text);
    }
    // A cached analysis that read values from a module changed since is redone.
    for (const { file, dependencies } of reused) {
      if (!dependencies.some((dependency) => fresh.has(toPosix(relative(root, dependency))) || !seen.has(dependency))) continue;
      const read = readSource(file.path, settings.maxFileSize);
      if ('text' in read) analyse(file, read.text);
    }
    // Wrappers: analyse the files the prefilter let go that import a module exporting a sink,
    // until no new sink appears (a wrapper of a wrapper).
    let index = new WrapperIndex(analyses, resolver, detectors);
    for (let round = 0; round < 8 && deferred.size > 0 && !result.cancelled; round += 1) {
      const sinkFiles = index.sinkFiles();
      const next = [...deferred.values()].filter(({ file, imports }) =>
        imports.some(({ source, names }) => {
          const exported = sinkFiles.get(resolver.resolve(file.relative, source) ?? '');
          return exported !== undefined && (exported.has('*') || names.some((name) => name === '*' || exported.has(name)));
        }),
      );
      if (next.length === 0) break;
      for (const { file } of next) {
        deferred.delete(file.relative);
        const read = readSource(file.path);
        if ('text' in read) {
          analyse(file, read.text);
          result.counts.prefiltered -= 1;
        }
      }
      index = new WrapperIndex(analyses, resolver, detectors);
    }
    if (cache && !result.cancelled) cache.save(seen);
    const findings = [...[...analyses.values()].flatMap((analysis) => analysis.findings), ...index.findings(catalog)];
    for (const analysis of analyses.values()) {
      if (analysis.skipped) result.skipped.push({ file: toCwd(analysis.file), reason: analysis.skipped });
      if (analysis.partial) result.partial.push({ file: toCwd(analysis.file), ...analysis.partial });
      if (analysis.suppressions?.length) result.suppressions.set(toCwd(analysis.file), analysis.suppressions);
    }
    result.findings.push(...findings.map((finding) => relocate(finding, toCwd)));
  }
  result.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : comparePositions(a.range.start, b.range.start) || (a.ruleId < b.ruleId ? -1 : 1)));
  result.durationMs = performance.now() - started;
  return result;
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

function inRepoImports(text: string, resolver: ModuleResolver): ImportedNames[] {
  const imports: ImportedNames[] = [];
  for (const match of text.matchAll(IMPORT_SPECIFIER)) {
    const [, clause, source] = match;
    if (resolver.isInRepo(source)) imports.push({ source, names: importedNames(clause) });
  }
  return imports;
}

/** `{ a, b as c }` → [a, b]; a default, a namespace, `export *` or a require → ['*'] (anything may be reached). */
function importedNames(clause: string | undefined): string[] {
  const braces = clause ? /^(?:type\s+)?\{([^}]*)\}$/.exec(clause.trim()) : null;
  if (!braces) return ['*'];
  return braces[1]
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
    .filter(Boolean);
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
