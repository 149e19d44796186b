import { availableParallelism } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { AnalysisContext, type AnalysisJob, type JobOutcome, type RootSpec } from './analysis-job';
import type { Catalog } from './catalog';
import type { Detector } from './detector';

/** workerData that makes a bundle entry (dist/cli.js, dist/scan-worker.js) serve as a pool worker. */
export const ANALYSIS_WORKER_ROLE = 'offbox-analysis';

type ToWorker = { type: 'spec'; id: number; spec: RootSpec } | { type: 'jobs'; spec: number; batch: number; jobs: AnalysisJob[] };
type FromWorker = { type: 'outcomes'; batch: number; outcomes: JobOutcome[] };

interface PoolWorker {
  worker: Worker;
  /** The spec id this worker has been sent. */
  spec: number;
  busy: boolean;
  failed: boolean;
}

/**
 * Worker threads that read and analyse files for a scan (scanPathsInParallel). The files are handed
 * out in small batches as workers free up, since their cost varies a thousandfold (most never pass
 * the prefilter). A worker that fails leaves its batch to this thread, so a scan never loses files.
 */
export class AnalysisPool {
  private readonly workers: PoolWorker[];
  private specs = new Map<RootSpec, number>();
  private batches = 0;
  private local: AnalysisContext | undefined;

  /** Starts the workers at once, so they load while the caller discovers files. */
  constructor(script: string, size: number, private readonly catalog: Catalog, private readonly detectors: readonly Detector[]) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script, { workerData: { role: ANALYSIS_WORKER_ROLE } });
      const entry: PoolWorker = { worker, spec: -1, busy: false, failed: false };
      // Always listened to: a worker that fails between batches is not handed another (its 'error'
      // unheard would throw here, and a batch posted to it would never be answered).
      const fail = () => {
        entry.failed = true;
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      return entry;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs the jobs, in batches across the workers; resolves to their outcomes in job order (a prefix of them when cancelled). */
  run(spec: RootSpec, jobs: AnalysisJob[], hooks: { isCancelled?: () => boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<JobOutcome[]> {
    if (!this.specs.has(spec)) this.specs.set(spec, this.specs.size);
    const specId = this.specs.get(spec)!;
    const outcomes: Array<JobOutcome | undefined> = new Array(jobs.length);
    // Small batches balance the load; not so small that messages cost more than the work.
    const batchSize = Math.max(4, Math.min(64, Math.ceil(jobs.length / (this.workers.length * 16))));
    let next = 0;
    let done = 0;
    let cancelled = false;
    return new Promise((resolve) => {
      const finish = () => {
        if (this.workers.some((entry) => entry.busy)) return;
        const prefix: JobOutcome[] = [];
        for (const outcome of outcomes) {
          if (!outcome) break;
          prefix.push(outcome);
        }
        resolve(prefix);
      };
      const dispatch = (entry: PoolWorker) => {
        if (!cancelled && hooks.isCancelled?.()) cancelled = true;
        if (cancelled || next >= jobs.length) {
          finish();
          return;
        }
        const start = next;
        const batch = jobs.slice(start, start + batchSize);
        next += batch.length;
        const settle = (results: JobOutcome[]) => {
          results.forEach((outcome, offset) => (outcomes[start + offset] = outcome));
          done += results.length;
          hooks.onProgress?.(done, jobs.length);
          entry.busy = false;
          dispatch(entry);
        };
        entry.busy = true;
        if (entry.failed) {
          settle(this.runHere(spec, batch));
          return;
        }
        const id = (this.batches += 1);
        const onMessage = (message: FromWorker) => {
          if (message.type !== 'outcomes' || message.batch !== id) return;
          detach();
          settle(message.outcomes);
        };
        const onFailure = () => {
          detach();
          entry.failed = true;
          settle(this.runHere(spec, batch));
        };
        const detach = () => {
          entry.worker.off('message', onMessage);
          entry.worker.off('error', onFailure);
          entry.worker.off('exit', onFailure);
        };
        entry.worker.on('message', onMessage);
        entry.worker.on('error', onFailure);
        entry.worker.on('exit', onFailure);
        if (entry.spec !== specId) {
          entry.worker.postMessage({ type: 'spec', id: specId, spec } satisfies ToWorker);
          entry.spec = specId;
        }
        entry.worker.postMessage({ type: 'jobs', spec: specId, batch: id, jobs: batch } satisfies ToWorker);
      };
      if (jobs.length === 0) resolve([]);
      else for (const entry of this.workers) dispatch(entry);
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((entry) => entry.worker.terminate().catch(() => undefined)));
  }

  /** A failed worker's batch, analysed on this thread. */
  private runHere(spec: RootSpec, jobs: AnalysisJob[]): JobOutcome[] {
    if (this.local?.spec !== spec) this.local = new AnalysisContext(spec, this.catalog, this.detectors);
    return jobs.map((job) => runGuarded(this.local!, job));
  }
}

/** Runs one job; analyzeSource already turns its own failures into skips, this covers reading and hashing. */
function runGuarded(context: AnalysisContext, job: AnalysisJob): JobOutcome {
  try {
    return context.run(job);
  } catch (error) {
    return { state: 'skipped', reason: `internal error while analysing (${error instanceof Error ? error.message : String(error)}); please report it` };
  }
}

/**
 * How many workers a scan of this machine should use: one per core, at most eight. On two cores a
 * pool measured no faster than one thread (V8's collector already keeps the second core busy; see
 * bench/README.md), so there the scan stays on its thread.
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(8, cores);
}

/** Whether this thread was started as a pool worker. */
export function isAnalysisWorker(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE;
}

/** The worker's side: builds a context per root spec and answers each batch with its outcomes. */
export function runAnalysisWorker(catalog: Catalog, detectors: readonly Detector[]): void {
  const specs = new Map<number, RootSpec>();

  let context: AnalysisContext | undefined;
  parentPort?.on('message', (message: ToWorker) => {
    if (message.type === 'spec') {
      specs.set(message.id, message.spec);
      return;
    }
    const spec = specs.get(message.spec)!;
    if (context?.spec !== spec) context = new AnalysisContext(spec, catalog, detectors);
    const outcomes = message.jobs.map((job) => runGuarded(context!, job));
    parentPort?.postMessage({ type: 'outcomes', batch: message.batch, outcomes } satisfies FromWorker);
  });
}
