import type { AnalysisContext, AnalysisJob, JobOutcome, ReadFile, RootSpec } from './analysis-job';
import type { WalkRequest } from './walk-helper';

// What the scan's thread (analysis-pool.ts) and its workers (analysis-worker.ts) say to each other,
// and the guarded calls both make: a failure of our own code is one file's skip, never a lost scan.

/** workerData that makes a bundle entry (dist/cli.js, dist/scan-worker.js) serve as a pool worker. */
export const ANALYSIS_WORKER_ROLE = 'offbox-analysis';

export type ToWorker =
  | WalkRequest
  | { type: 'spec'; id: number; spec: RootSpec }
  | { type: 'jobs'; spec: number; batch: number; jobs: AnalysisJob[] }
  | { type: 'analyse'; spec: number; batch: number; items: TriagedItem[]; claims: Int32Array }
  | TriageOffer;

/**
 * runTriaged's whole batch, for a worker to read, prefilter and analyse from the back while it has
 * nothing to analyse. `claims` holds each job's claimant: this thread takes jobs from the front, so
 * the first job a worker cannot claim is one this thread has, and the two have met. `back` is the
 * next job from the back plus one, shared by the workers.
 */
export interface TriageOffer {
  type: 'triage';
  spec: number;
  batch: number;
  jobs: OfferedJobs;
  claims: Int32Array;
  back: Int32Array;
  /** What this worker writes in `claims` (triageClaimant), so that a failed worker's jobs can be told from another's. */
  claimant: number;
}

/**
 * An offer's jobs. A first pass's thousands of jobs differ only in their paths (and, with a cache, the
 * hash it holds): sent as columns of strings, they are copied to the worker in a fraction of the time
 * the same jobs take as objects (about 1 against 7 ms for Rocket.Chat's 4,947), while the worker has
 * nothing else to start on. Any other batch (a wrapper round's, a few dozen) goes as it is.
 */
export type OfferedJobs =
  | { kind: 'listed'; jobs: AnalysisJob[] }
  | { kind: 'columns'; paths: string[]; relatives: string[]; knownHashes?: Array<string | undefined>; maxFileSize: number; prefilter: boolean; hash: boolean };

// The fields a first-pass job has; a job with any other (a wrapper round's words, clients) is listed whole.
const COLUMN_FIELDS = new Set(['path', 'relative', 'maxFileSize', 'prefilter', 'hash', 'knownHash']);

/** The jobs as an offer sends them: in columns when they allow it. */
export function offeredJobs(jobs: readonly AnalysisJob[]): OfferedJobs {
  const first = jobs[0];
  const columnar =
    first !== undefined &&
    jobs.every((job) => job.maxFileSize === first.maxFileSize && job.prefilter === first.prefilter && job.hash === first.hash && Object.keys(job).every((key) => COLUMN_FIELDS.has(key)));
  if (!columnar) return { kind: 'listed', jobs: [...jobs] };
  const knownHashes = jobs.some((job) => job.knownHash !== undefined) ? jobs.map((job) => job.knownHash) : undefined;
  return {
    kind: 'columns',
    paths: jobs.map((job) => job.path),
    relatives: jobs.map((job) => job.relative),
    ...(knownHashes ? { knownHashes } : {}),
    maxFileSize: first.maxFileSize,
    prefilter: first.prefilter,
    hash: first.hash,
  };
}

/** The offered job at `slot`, as it was before it was sent. */
export function offeredJob(offered: OfferedJobs, slot: number): AnalysisJob {
  if (offered.kind === 'listed') return offered.jobs[slot];
  const { paths, relatives, knownHashes, maxFileSize, prefilter, hash } = offered;
  const knownHash = knownHashes?.[slot];
  return { path: paths[slot], relative: relatives[slot], maxFileSize, prefilter, hash, ...(knownHash !== undefined ? { knownHash } : {}) };
}

/** A file triage passed, waiting to be analysed: `slot` is its job's index, in the outcomes and the claims. */
export interface TriagedItem {
  job: AnalysisJob;
  read: ReadFile;
  slot: number;
}

/**
 * `outcomes`: an outcome is null for an item the calling thread claimed first (runTriaged).
 * `triaged`: the outcomes of offered jobs a worker claimed, by slot.
 */
export type FromWorker =
  | { type: 'outcomes'; batch: number; outcomes: Array<JobOutcome | null> }
  | { type: 'triaged'; batch: number; slots: number[]; outcomes: JobOutcome[] };

// A slot of runTriaged's claims: who analyses the item, or who triages the job (Atomics.compareExchange from UNCLAIMED).
export const UNCLAIMED = 0;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_HERE = 2;

/** The claim worker number `index` writes for an offered job: one of its own, unlike any other's. */
export function triageClaimant(index: number): number {
  return CLAIMED_HERE + 1 + index;
}

/** Runs one job; analyzeSource already turns its own failures into skips, this covers reading and hashing. */
export function runGuarded(context: AnalysisContext, job: AnalysisJob): JobOutcome {
  try {
    return context.run(job);
  } catch (error) {
    return internalErrorSkip(error);
  }
}

/** Triage of one job, its failures a skip as in runGuarded. */
export function triageGuarded(context: AnalysisContext, job: AnalysisJob): JobOutcome | ReadFile {
  try {
    return context.triage(job);
  } catch (error) {
    return internalErrorSkip(error);
  }
}

/** Analyses one file triage passed, as runGuarded runs a whole job. */
export function analyseGuarded(context: AnalysisContext, job: AnalysisJob, read: ReadFile): JobOutcome {
  try {
    return context.analyse(job, read);
  } catch (error) {
    return internalErrorSkip(error);
  }
}

/** A failure of our own code while reading or analysing a file: a skip with a reason, never a lost scan. */
function internalErrorSkip(error: unknown): JobOutcome {
  return { state: 'skipped', reason: `internal error while analysing (${error instanceof Error ? error.message : String(error)}); please report it` };
}
