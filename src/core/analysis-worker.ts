import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisContext, type AnalysisJob, type JobOutcome, type RootSpec } from './analysis-job';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { preloadParser } from './parse';
import { ANALYSIS_WORKER_ROLE, UNCLAIMED, CLAIMED_BY_WORKER, analyseGuarded, offeredJob, runGuarded, type FromWorker, type ToWorker, type TriageOffer } from './pool-protocol';
import { serveWalk } from './walk-helper';

// A worker triages offered jobs for this long before it reads its messages again: a file handed to it
// to analyse waits no longer, and its outcomes go back in few messages (one per file cost more than
// the prefilter's verdict on most files).
const TRIAGE_SLICE_MS = 3;

/** Whether this thread was started as a pool worker. */
export function isAnalysisWorker(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE;
}

/**
 * The worker's side: builds a context per root spec, answers each batch with its outcomes, and,
 * while no message waits, reads, prefilters and analyses offered jobs from the back (TriageOffer).
 */
export function runAnalysisWorker(catalog: Catalog, detectors: readonly Detector[]): void {
  const specs = new Map<number, RootSpec>();
  let context: AnalysisContext | undefined;
  const contextFor = (id: number): AnalysisContext => {
    const spec = specs.get(id)!;
    if (context?.spec !== spec) context = new AnalysisContext(spec, catalog, detectors);
    return context;
  };
  let offer: TriageOffer | undefined;
  let triaging = false;
  // One slice of the offer, then the messages that came meanwhile (setImmediate runs after them).
  const triageSlice = () => {
    triaging = false;
    const current = offer;
    if (!current) return;
    const sliceContext = contextFor(current.spec);
    const slots: number[] = [];
    const outcomes: JobOutcome[] = [];
    const until = performance.now() + TRIAGE_SLICE_MS;
    let done = false;
    do {
      const slot = Atomics.sub(current.back, 0, 1) - 1;
      // Below the first job (the scan's thread has stopped offering), or at a job it claimed first: the two have met.
      if (slot < 0 || Atomics.compareExchange(current.claims, slot, UNCLAIMED, current.claimant) !== UNCLAIMED) {
        done = true;
        break;
      }
      slots.push(slot);
      outcomes.push(runGuarded(sliceContext, offeredJob(current.jobs, slot)));
    } while (performance.now() < until);
    if (done && offer === current) offer = undefined;
    if (slots.length > 0) parentPort?.postMessage({ type: 'triaged', batch: current.batch, slots, outcomes } satisfies FromWorker);
    scheduleTriage();
  };
  const scheduleTriage = () => {
    if (offer && !triaging) {
      triaging = true;
      setImmediate(triageSlice);
    }
  };
  parentPort?.on('message', (message: ToWorker) => {
    if (message.type === 'walk-channel' || message.type === 'walk') {
      serveWalk(message);
      return;
    }
    if (message.type === 'spec') {
      specs.set(message.id, message.spec);
      return;
    }
    if (message.type === 'triage') {
      // A newer batch replaces an older one, which its scan no longer waits for (cancelled).
      offer = message;
      scheduleTriage();
      return;
    }
    const jobContext = contextFor(message.spec);
    const outcomes =
      message.type === 'jobs'
        ? message.jobs.map((job: AnalysisJob) => runGuarded(jobContext, job))
        : message.items.map(({ job, read, slot }) => (Atomics.compareExchange(message.claims, slot, UNCLAIMED, CLAIMED_BY_WORKER) === UNCLAIMED ? analyseGuarded(jobContext, job, read) : null));
    parentPort?.postMessage({ type: 'outcomes', batch: message.batch, outcomes } satisfies FromWorker);
  });
  // Now rather than for the first file: a worker starts while the scan discovers files, and oxc's
  // native binding took 10 to 30 ms to load after the first file had arrived.
  preloadParser();
}
