import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { detectors } from '../analyzers/index';
import { catalogContent, loadCatalog } from '../core/default-catalog';
import { cacheKey, ScanCache } from '../core/scan-cache';
import { VERSION } from '../core/version';
import { CACHE_DIRECTORY, toPosix } from '../core/files';
import { MAX_EXPANDED_PATTERNS, expandsTooFar } from '../core/globs';
import { parseGuards } from '../core/guards';
import { loadPrivacyConfig, MODES, type PrivacyConfig, type PrivacyMode } from '../core/privacy-config';
import { defaultPoolSize } from '../core/analysis-pool';
import type { ScanResult } from '../core/scan';
import { scanPathsInParallel } from '../core/scan-parallel';
import { own } from '../core/own';
import { takePrestartedWorker, tierUpUnlessPrestarted, workerScriptFor } from './launcher';

const MAX_JOBS = 64;

/** A usage or configuration error: the CLI prints it and exits 2. */
export class UsageError extends Error {}

export const SCAN_OPTIONS = {
  format: { type: 'string', default: 'text' },
  output: { type: 'string' },
  'fail-on': { type: 'string', default: 'error' },
  'max-file-size': { type: 'string' },
  'include-tests': { type: 'boolean', default: false },
  exclude: { type: 'string', multiple: true, default: [] as string[] },
  config: { type: 'string' },
  mode: { type: 'string' },
  baseline: { type: 'string' },
  cache: { type: 'boolean', default: false },
  'cache-location': { type: 'string' },
  force: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'no-prefilter': { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  jobs: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

export type ParsedOptions = ReturnType<typeof parseCommandLine>['values'];

export function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: SCAN_OPTIONS, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // `--baseline "$PREVIOUS"` with the variable unset: dropped, it would fail CI on every old finding.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`--${name} was given an empty value: give one, or leave the option out.`);
  }
  // Which options the command line named, defaults aside: a command refuses the ones it would ignore.
  const given = new Set(parsed.tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
  return { values: parsed.values, positionals: parsed.positionals, given };
}

// The options that choose what is scanned, which every command takes (--help lists them under scan).
const SCANNING = ['include-tests', 'exclude', 'max-file-size', 'jobs', 'no-prefilter', 'cache', 'cache-location', 'help', 'version'];
// What each command takes; it refuses the rest, which it would ignore (init and disclose write no
// report and judge nothing).
const TAKES: Record<string, ReadonlySet<string>> = {
  scan: new Set(Object.keys(SCAN_OPTIONS).filter((name) => name !== 'force')),
  init: new Set([...SCANNING, 'mode', 'force']),
  disclose: new Set([...SCANNING, 'output', 'config']),
};

/** Refuses options the command does not use, and more paths than `init` takes. */
export function checkCommandLine(command: string, given: ReadonlySet<string>, paths: readonly string[]): void {
  const takes = own(TAKES, command);
  const ignored = takes ? [...given].filter((name) => !takes.has(name)) : [];
  if (ignored.length > 0) throw new UsageError(`${ignored.map((name) => `--${name}`).join(', ')} ${ignored.length === 1 ? 'does' : 'do'} nothing for '${command}'; see 'offbox --help' for its options.`);
  if (command === 'init' && paths.length > 1) throw new UsageError(`init writes one privacy.json, for one folder: give one path, not ${paths.length}.`);
}

/** The privacy.json in force: --config, else one in the first scanned folder, else in the current one. */
export function findConfig(values: ParsedOptions, paths: string[], cwd: string): { config?: PrivacyConfig; configFile?: string } {
  let file = values.config;
  if (!file) {
    const first = resolve(cwd, paths[0] ?? '.');
    const folder = existsSync(first) && statSync(first).isFile() ? dirname(first) : first;
    file = [join(folder, 'privacy.json'), join(cwd, 'privacy.json')].find((candidate) => existsSync(candidate));
    if (!file) return {};
  }
  const configFile = toPosix(relative(cwd, resolve(cwd, file))) || 'privacy.json';
  const { config, problems } = loadPrivacyConfig(resolve(cwd, file));
  if (problems.length > 0) {
    throw new UsageError(problems.map((problem) => `${configFile}:${problem.line}:${problem.column}: ${problem.message}`).join('\n'));
  }
  return { config, configFile };
}

export function parseMode(value: string | undefined): PrivacyMode | undefined {
  if (value === undefined) return undefined;
  if (!MODES.includes(value as PrivacyMode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, not '${value}'.`);
  return value as PrivacyMode;
}

/** What `offbox scan --watch` keeps between its scans: the cache, in memory (and on disk with --cache). */
export interface ScanSession {
  cache?: ScanCache;
  /** The directories and files the last scan's discovery read: what the watcher watches. */
  watchedPaths?: string[];
  /** The last scan's counts, for the watcher's line after each scan. */
  last?: { files: number; cached: number };
  /** Files outside the sources that decide the report (privacy.json, its policy document, the baseline), absolute. */
  inputs?: string[];
  /** What the watchers reported since the last scan, when they can be trusted to have reported everything (ScanOptions.changedPaths). */
  changedPaths?: ReadonlySet<string>;
}

/**
 * Runs the scan the options describe, with the config's guards. `session`: the --watch run's, across
 * scans. `stderr`: where a cache that could not be written is reported (the scan's result stands).
 */
export async function runScan(values: ParsedOptions, paths: string[], cwd: string, config: PrivacyConfig | undefined, { session, stderr }: { session?: ScanSession; stderr?: (text: string) => void } = {}): Promise<ScanResult> {
  const maxFileSize = values['max-file-size'] === undefined ? undefined : Number(values['max-file-size']);
  if (maxFileSize !== undefined && (!Number.isInteger(maxFileSize) || maxFileSize <= 0)) {
    throw new UsageError(`--max-file-size takes a number of bytes, such as 2097152, not '${values['max-file-size']}'.`);
  }
  const workers = values.jobs === undefined ? defaultPoolSize() : Number(values.jobs);
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--jobs takes a number of worker threads, such as 4 (0 scans on the main thread), not '${values.jobs}'.`);
  // Each worker holds its own copy of the analysis (tens of MB): ten thousand took 6 GB and hung.
  if (workers > MAX_JOBS) throw new UsageError(`--jobs takes at most ${MAX_JOBS} worker threads (this machine has ${availableParallelism()} cores), not ${workers}.`);
  const sprawling = values.exclude.find(expandsTooFar);
  if (sprawling !== undefined) throw new UsageError(`--exclude '${sprawling}' expands to ${MAX_EXPANDED_PATTERNS} patterns or more; write it with fewer brace groups.`);
  const options = {
    includeTests: values['include-tests'],
    exclude: values.exclude,
    prefilter: !values['no-prefilter'],
    guards: parseGuards(config?.guards ?? []),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
  };
  // Everything that changes an analysis is in the key: a different one starts the cache afresh.
  const key = cacheKey([VERSION, catalogContent(), options]);
  const cacheFile = cacheFileOf(values);
  const location = cacheFile === undefined ? undefined : resolve(cwd, cacheFile);
  // Watching: one cache for every scan while the key holds (a privacy.json edit that changes the
  // guards starts a new one), in memory, written behind when there is a location.
  const freshSession = session !== undefined && session.cache?.key !== key;
  if (freshSession) session.cache = new ScanCache(location ?? '', key, { writeBehind: true });
  const cache = session ? session.cache : location ? new ScanCache(location, key) : undefined;
  // A cache that starts now knows no file: the watchers' report only counts against the one it kept.
  const changedPaths = freshSession ? undefined : session?.changedPaths;
  // The bundle (dist/cli.js) is its own worker script, through bin/offbox.js when that loaded it:
  // bin.ts starts a pool worker under the pool's workerData.
  const workerScript = workerScriptFor(__filename);
  const prestarted = takePrestartedWorker();
  tierUpUnlessPrestarted(prestarted);
  const result = await scanPathsInParallel(paths, loadCatalog(), detectors, { cwd, ...options, cache, changedPaths, workers, workerScript, prestarted });
  // A path given that cannot be read is a usage error however it was written (`/abs/dir`, `./dir/`):
  // the skip names it relative to the current directory.
  for (const path of paths) {
    const missing = result.skipped.find((skip) => skip.reason.startsWith('cannot be read') && resolve(cwd, skip.file) === resolve(cwd, path));
    if (missing) throw new UsageError(`${path} ${missing.reason}. Give a directory or file that exists.`);
  }
  // A path mistyped in CI, or an --exclude that leaves nothing: the report alone would pass for clean.
  if (result.counts.files === 0 && !result.cancelled) stderr?.(`offbox: no JavaScript or TypeScript file to scan in ${paths.join(', ')}; check the paths and any --exclude.\n`);
  // --watch writes its cache after each scan and reports a failure itself (watch-command.ts).
  if (!session && cache?.writeProblem) stderr?.(`offbox: the cache was not written: ${cache.writeProblem}. The report is complete, and the next scan reads every file again; give --cache-location a file of its own, in a folder that can be written.\n`);
  return result;
}

/** The cache file the options ask for (--cache-location, or --cache's default under the current directory), if any. */
export function cacheFileOf(values: Pick<ParsedOptions, 'cache' | 'cache-location'>): string | undefined {
  return values['cache-location'] ?? (values.cache ? join(CACHE_DIRECTORY, 'scan.json') : undefined);
}
