import { existsSync } from 'node:fs';
import type { AnalysisContext, AnalysisJob, JobOutcome, RootSpec } from './analysis-job';
import { AnalysisPool, type PrestartedWorker } from './analysis-pool';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { contextFor, runJobs, scanSettings, scanSteps, type ScanOptions, type ScanResult } from './scan';

export interface ParallelOptions {
  /**
   * Worker threads: 0 scans on this thread; 1 parses and analyses what this thread reads and
   * prefilters (AnalysisPool.runTriaged); more each read, prefilter and analyse whole jobs.
   */
  workers: number;
  /** A bundle entry that starts as a pool worker under ANALYSIS_WORKER_ROLE (dist/cli.js, dist/scan-worker.js). */
  workerScript: string;
  /** Batches smaller than this run on the calling thread (default 64); tests set 1 to pool everything. */
  minPooledJobs?: number;
  /** A worker already started from `workerScript` (bin/offbox.js starts one): the pool's first, or ended if no pool starts. */
  prestarted?: PrestartedWorker;
}

// Batches smaller than this run on the calling thread: starting workers would cost more than the work.
const MIN_POOLED_JOBS = 64;

/**
 * scanPaths with the files analysed by a pool of worker threads (and read by them too, above one
 * worker). Discovery, the cache, the wrapper rounds and the result stay on this thread and are the
 * same steps as scanPaths (scanSteps), so the findings are the same; test/scan-parallel.test.ts
 * compares the two.
 */
export async function scanPathsInParallel(paths: string[], catalog: Catalog, detectors: readonly Detector[], options: Partial<ScanOptions> & ParallelOptions): Promise<ScanResult> {
  const settings = scanSettings(options);
  // From sources (tests under tsx) there is no bundle to start a worker from: scan on this thread.
  const poolable = options.workers >= 1 && /\.c?js$/.test(options.workerScript) && existsSync(options.workerScript);
  // A cold scan starts the workers at once, so they load while files are discovered; with a cache
  // most files are replayed, and workers start only if a large batch turns up.
  const startPool = () => new AnalysisPool(options.workerScript, options.workers, catalog, detectors, options.prestarted);
  let pool: AnalysisPool | undefined;
  const minPooled = options.minPooledJobs ?? MIN_POOLED_JOBS;
  let local: AnalysisContext | undefined;
  const runHere = (spec: RootSpec, jobs: AnalysisJob[], counted: boolean): JobOutcome[] => {
    if (local?.spec !== spec) local = contextFor(spec, catalog, detectors);
    return runJobs(local, jobs, settings, counted);
  };
  try {
    if (poolable && !settings.cache) pool = startPool();
    // The pool's first worker helps find the files it is about to analyse.
    const steps = scanSteps(paths, catalog, detectors, pool?.discoveryHelper ? { ...settings, discoveryHelper: pool.discoveryHelper } : settings);
    for (let next = steps.next(); ; ) {
      if (next.done) return next.value;
      const { spec, jobs, counted, whileAnalysing } = next.value;
      if (!pool && poolable && jobs.length >= minPooled) pool = startPool();
      const hooks = { isCancelled: settings.isCancelled, onProgress: counted ? settings.onProgress : undefined, whileAnalysing };
      // One worker: this thread reads and prefilters every batch, the worker analyses what passes
      // (its code is the warm one for that, even for a round of three files).
      if (pool?.size === 1) {
        if (local?.spec !== spec) local = contextFor(spec, catalog, detectors);
        next = steps.next(await pool.runTriaged(spec, jobs, local, hooks));
        continue;
      }
      const outcomes = pool && jobs.length >= minPooled ? await pool.run(spec, jobs, hooks) : runHere(spec, jobs, counted);
      next = steps.next(outcomes);
    }
  } finally {
    // Not awaited: tearing a worker's heap down takes a few milliseconds the result need not wait for.
    void pool?.close();
    if (!pool) void options.prestarted?.worker.terminate();
  }
}
