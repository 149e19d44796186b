/**
 * The scanner core as the editor uses it, bundled separately (dist/engine.js) and loaded on first
 * use, so that activating the extension does not load TypeScript's parser.
 */
import { detectors } from '../analyzers/index';
import { analyzeSource } from '../core/analyze';
import { defaultPoolSize } from '../core/analysis-pool';
import { isAnalysisWorker, runAnalysisWorker } from '../core/analysis-worker';
import { inRepoImports } from '../core/analysis-job';
import { clientSignature } from '../core/wrapper-rounds';
import { catalogContent, loadCatalog } from '../core/default-catalog';
import type { Finding } from '../core/finding';
import type { LevelledFinding } from '../core/format/json';
import { formatDisclosure } from '../core/format/disclosure';
import { formatSarif } from '../core/format/sarif';
import { parseGuards } from '../core/guards';
import { clientOriginTest, prefilterFor } from '../core/prefilter';
import { ModuleResolver } from '../core/module-resolver';
import { ModuleValues, clientMap } from '../core/module-values';
import { parserInfo } from '../core/parse';
import { IncrementalParser } from '../core/incremental-parse';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { applyPolicy } from '../core/policy-run';
import { loadPrivacyConfig, type GuardSpec, type PrivacyConfig, type PrivacyMode } from '../core/privacy-config';
import { parentPort } from 'node:worker_threads';
import { ruleDocsDirectory, ruleMetas } from '../core/rules';
import type { ScanResult } from '../core/scan';
import type { SuppressionDirective } from '../core/suppressions';
import { cacheKey, ScanCache } from '../core/scan-cache';
import { ChangeWatcher, directoriesToWatch, watchBudget } from '../core/change-watcher';
import { scanPathsInParallel } from '../core/scan-parallel';
import { VERSION } from '../core/version';
import { starterConfig } from '../core/starter-config';

// For the quick fix that removes an unused offbox-ignore comment (code-actions.ts).

export type { LevelledFinding, PrivacyConfig, PrivacyMode, ScanResult };

const folderValues = new Map<string, { resolver: ModuleResolver; moduleValues: ModuleValues; created: number }>();

/**
 * A folder's resolver and module values for the editor. Parsed modules are kept a few seconds, so a
 * burst of keystrokes reuses them and an edited config module is read again soon after.
 */
function moduleValuesFor(root: string) {
  const now = Date.now();
  let entry = folderValues.get(root);
  if (!entry || now - entry.created > MODULE_VALUES_TTL_MS) {
    const projectFiles = ['tsconfig.json', 'jsconfig.json', 'package.json'].filter((name) => existsSync(path.join(root, name)));
    const resolver = new ModuleResolver(undefined, root, projectFiles);
    entry = { resolver, moduleValues: new ModuleValues(root, resolver, clientOriginTest(loadCatalog(), detectors)), created: now };
    folderValues.set(root, entry);
  }
  return entry;
}

const MODULE_VALUES_TTL_MS = 5000;
export { formatSarif, loadPrivacyConfig, parserInfo, ruleDocsDirectory, ruleMetas, starterConfig };

/** A folder's privacy.json as the editor holds it. */
export interface FolderPolicy {
  root: string;
  config?: PrivacyConfig;
  /** privacy.json relative to the root, when there is one. */
  configFile?: string;
}

export interface DocumentAnalysis {
  findings: LevelledFinding[];
  partial?: { line: number; message: string };
  skipped?: string;
  /** Why the policy document privacy.json names could not be read (the undisclosed-vendor check is off). */
  documentError?: string;
}

// One incremental parser per recently analysed document: a keystroke re-parses one function body.
const documentParsers = new Map<string, IncrementalParser>();
const MAX_DOCUMENT_PARSERS = 16;

function documentParser(root: string, relativePath: string): IncrementalParser {
  const key = `${root}\u0000${relativePath}`;
  let parser = documentParsers.get(key);
  if (parser) documentParsers.delete(key);
  else parser = new IncrementalParser(relativePath);
  // Most recently used last: the oldest document's tree is the one let go.
  documentParsers.set(key, parser);
  if (documentParsers.size > MAX_DOCUMENT_PARSERS) documentParsers.delete(documentParsers.keys().next().value!);
  return parser;
}

/**
 * Analyses one open document (path relative to its folder) and judges it under the folder's
 * privacy.json. `wrapperCalls`: the document's calls into wrappers elsewhere, as the last workspace
 * scan found them (a document alone cannot); judged with it, they follow its offbox-ignore comments
 * as they are now, and a comment covering nothing is reported.
 */
export function analyzeDocument(policy: FolderPolicy, relativePath: string, text: string, clientExports?: Array<[string, string[]]>, wrapperCalls?: readonly Finding[]): DocumentAnalysis {
  const catalog = loadCatalog();
  // URL constants imported from other modules resolve as in a workspace scan, read from disk.
  const values = moduleValuesFor(policy.root);
  // The clients the last scan found exported: a document importing one is analysed as the scan did.
  const clients = clientExports?.length ? clientMap(clientExports) : undefined;
  // A file with no sign of a send cannot have a finding: no parse on each keystroke (the same sound
  // prefilter as the workspace scan; wrapper calls come from the last scan).
  const prefilter = prefilterFor(catalog, detectors);
  // Judged afresh: the scan's verdict and suppression were those of the text it read.
  const fromScan = (wrapperCalls ?? []).map(({ verdict, suppression, baselineState, ...finding }) => finding);
  const judgeDocument = (findings: Finding[], suppressions: SuppressionDirective[] | undefined) => {
    const result: ScanResult = {
      roots: [policy.root],
      findings,
      counts: { files: 1, parsed: 1, prefiltered: 0, bytes: text.length, cached: 0 },
      skipped: [],
      partial: [],
      suppressions: new Map(suppressions?.length ? [[relativePath, suppressions]] : []),
      cancelled: false,
      durationMs: 0,
    };
    return applyPolicy(result, { config: policy.config, configFile: policy.configFile, catalog, cwd: policy.root, scope: 'file', wrappersKnown: wrapperCalls !== undefined });
  };
  if (!prefilter.test(text, relativePath) && !(clients && importsClient(relativePath, text, clients, values.resolver))) {
    // No sign of a send and no offbox-ignore comment (the prefilter lets those through): nothing to parse.
    return fromScan.length > 0 ? { findings: judgeDocument(fromScan, undefined).findings } : { findings: [] };
  }
  values.moduleValues.clients = clients;
  const analysis = analyzeSource(relativePath, text, detectors, catalog, {
    guards: parseGuards(policy.config?.guards ?? []),
    isInRepoModule: (source) => values.resolver.isInRepo(source),
    importResolver: (fromFile) => values.moduleValues.forFile(fromFile),
    importOrigin: (fromFile) => values.moduleValues.originsFor(fromFile),
    links: false,
    parse: (source) => documentParser(policy.root, relativePath).parse(source),
  });
  values.moduleValues.clients = undefined;
  const { findings, documentError } = judgeDocument([...analysis.findings, ...fromScan], analysis.suppressions);
  return { findings, partial: analysis.partial, skipped: analysis.skipped, documentError };
}

/** Whether analyzeDocument parses this text: it shows a sign of a send (the scan's prefilter). The bench picks its keystroke files by it. */
export function passesPrefilter(relativePath: string, text: string): boolean {
  return prefilterFor(loadCatalog(), detectors).test(text, relativePath);
}

/** Whether the text imports, by name or whole, a key a module exports a client under (as the scan's rounds tell). */
function importsClient(relativePath: string, text: string, clients: ReadonlyMap<string, ReadonlySet<string>>, resolver: ModuleResolver): boolean {
  return clientSignature(relativePath, inRepoImports(text, resolver), clients, resolver) !== '';
}

/** Judges a workspace scan (run in the worker) under the folder's privacy.json. */
export function judgeScan(policy: FolderPolicy, result: ScanResult): { findings: LevelledFinding[]; documentError?: string } {
  return applyPolicy(result, { config: policy.config, configFile: policy.configFile, catalog: loadCatalog(), cwd: policy.root });
}

export function disclosure(findings: LevelledFinding[], config: PrivacyConfig | undefined): string {
  return formatDisclosure(findings, config, loadCatalog());
}

interface ScanRequest {
  root: string;
  guards: GuardSpec[];
  exclude: string[];
  maxFileSize: number;
  includeTests: boolean;
  /** Int32Array over a SharedArrayBuffer: 1 means cancel. */
  cancel: SharedArrayBuffer;
  /** For tests: cancel by itself after this many files. */
  cancelAfterFiles?: number;
  /** The scan cache in the extension's workspace storage: a re-scan reads only what changed. */
  cacheFile?: string;
}

/** What the host sends the scan worker, and what the worker answers (see scanInWorker in commands.ts). */
export type ScanWorkerMessage = { type: 'scan'; id: number; request: ScanRequest };
export type ScanWorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; result: Omit<ScanResult, 'suppressions'> & { suppressions: Array<[string, SuppressionDirective[]]> } }
  | { type: 'failed'; id: number; message: string };

/** A folder's cache held between scans, with the watchers that tell the next scan what changed. */
interface HeldCache {
  key: string;
  cache: ScanCache;
  watcher: ChangeWatcher;
}

/**
 * The body of the scan worker, which stays up between scans: the host sends a folder and options;
 * the worker posts progress and then the result. Its caches stay in memory (and are written to the
 * workspace storage after each answer), so a re-scan re-reads only what changed; it watches the
 * folder's directories itself (VS Code's file events leave out what `files.watcherExclude` names),
 * so a re-scan stats only the files they reported, as `offbox scan --watch` does.
 * Cancellation is a flag in shared memory that the scan checks between files.
 */
export function runScanWorker(): void {
  const caches = new Map<string, HeldCache>();
  let queue = Promise.resolve();
  parentPort?.on('message', (message: ScanWorkerMessage) => {
    if (message.type !== 'scan') return;
    // One scan at a time: a second request waits for the first.
    queue = queue.then(() => scanForHost(message.id, message.request, caches)).catch(() => undefined);
  });
}

async function scanForHost(id: number, request: ScanRequest, caches: Map<string, HeldCache>): Promise<void> {
  const post = (reply: ScanWorkerReply) => parentPort?.postMessage(reply);
  try {
    const cancelFlag = new Int32Array(request.cancel);
    let lastPost = 0;
    const options = { exclude: request.exclude, maxFileSize: request.maxFileSize, includeTests: request.includeTests, prefilter: true, guards: parseGuards(request.guards) };
    // The same key as the CLI's: anything that changes an analysis starts the cache afresh.
    const key = cacheKey([VERSION, catalogContent(), options]);
    let held: HeldCache | undefined;
    if (request.cacheFile) {
      // One cache per file, for the key in force: new settings or guards replace it rather than add one.
      held = caches.get(request.cacheFile);
      if (held?.key !== key) {
        held?.watcher.close();
        held = { key, cache: new ScanCache(request.cacheFile, key, { writeBehind: true }), watcher: new ChangeWatcher({ maxDirectories: watchBudget(request.root) }) };
      }
      caches.set(request.cacheFile, held);
    }
    const cache = held?.cache;
    // A file saved just before the request may not be reported yet: the watchers are read up to now first.
    if (held && request.cacheFile) await held.watcher.settle(`${request.cacheFile}.barrier`);
    const changes = held?.watcher.takeChanges();
    const result = await scanPathsInParallel(['.'], loadCatalog(), detectors, {
      cwd: request.root,
      ...options,
      cache,
      changedPaths: changes?.changedPaths,
      // This worker coordinates; the pool leaves a core to the editor.
      workers: defaultPoolSize() - 1,
      workerScript: path.join(__dirname, 'scan-worker.js'),
      isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
      onProgress: (done, total) => {
        if (request.cancelAfterFiles !== undefined && done >= request.cancelAfterFiles) Atomics.store(cancelFlag, 0, 1);
        const now = Date.now();
        if (now - lastPost > 100) {
          lastPost = now;
          post({ type: 'progress', id, done, total });
        }
      },
    });
    post({ type: 'result', id, result: { ...result, suppressions: [...result.suppressions] } });
    // A cancelled scan may have stored some files' new state and not the analyses that depend on
    // them: the next scan starts from the cache last written, not from this one.
    if (result.cancelled && request.cacheFile) {
      held?.watcher.close();
      caches.delete(request.cacheFile);
      return;
    }
    // Watching the directories this scan read from now on; one watched only now may have changed
    // before its watcher, and the next scan then stats every file.
    held?.watcher.watch(directoriesToWatch([request.root], result.watchedPaths), [request.root]);
    // After the answer: the host does not wait for the cache to be written.
    try {
      cache?.flush();
    } catch {
      // A read-only or full workspace storage costs the next cold start, nothing else.
    }
  } catch (error) {
    if (request.cacheFile) {
      caches.get(request.cacheFile)?.watcher.close();
      caches.delete(request.cacheFile);
    }
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  }
}

/** dist/scan-worker.js's dispatch: a pool worker analyses files; otherwise it is the scan's coordinator. */
export function runWorker(): void {
  if (isAnalysisWorker()) runAnalysisWorker(loadCatalog(), detectors);
  else runScanWorker();
}
