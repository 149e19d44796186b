import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AnalysisContext, type AnalysisJob, type JobOutcome, type RootSpec } from './analysis-job';
import type { Catalog } from './catalog';
import type { Detector } from './detector';
import {
  ANALYSIS_WORKER_ROLE,
  CLAIMED_BY_WORKER,
  CLAIMED_HERE,
  UNCLAIMED,
  analyseGuarded,
  offeredJobs,
  runGuarded,
  triageClaimant,
  triageGuarded,
  type FromWorker,
  type ToWorker,
  type TriagedItem,
} from './pool-protocol';
import { WorkerWalkHelper } from './walk-helper';
import type { DiscoveryHelper } from './discovery';

/** What a caller hears of a batch while it runs. */
interface RunHooks {
  isCancelled?: () => boolean;
  onProgress?: (done: number, total: number) => void;
  /** runTriaged: called once this thread has triaged its share (the workers' share may still come), before it takes back what the workers have not started. */
  whileAnalysing?: (outcomes: ReadonlyArray<JobOutcome | undefined>) => void;
}

// Batches up to this many jobs are read whole before any is handed out (runTriaged).
const PRESORTED_BATCH = 1000;

// How long runTriaged works on without reading the workers' outcomes.
const BREATHE_EVERY_MS = 10;

/**
 * A worker started for a pool before the pool itself (bin/offbox.js starts one as the CLI starts, so
 * that it has loaded by the time files are found); `failed` once it has failed or exited.
 */
export interface PrestartedWorker {
  worker: Worker;
  failed: boolean;
}

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
  private readonly walkHelper: WorkerWalkHelper | undefined;

  /** Starts the workers at once, so they load while the caller discovers files; `prestarted`, started earlier still, is the first. */
  constructor(script: string, size: number, private readonly catalog: Catalog, private readonly detectors: readonly Detector[], prestarted?: PrestartedWorker) {
    this.workers = Array.from({ length: size }, (_, index) => {
      const adopted = index === 0 ? prestarted : undefined;
      const worker = adopted?.worker ?? new Worker(script, { workerData: { role: ANALYSIS_WORKER_ROLE } });
      const entry: PoolWorker = { worker, spec: -1, busy: false, failed: adopted?.failed ?? false };
      // Always listened to: a worker that fails between batches is not handed another (its 'error'
      // unheard would throw here, and a batch posted to it would never be answered).
      const fail = () => {
        entry.failed = true;
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      return entry;
    });
    // Unref'd until now, so that a CLI that stops before scanning can exit: once every worker is
    // made (the pool owns them all, and close() ends them), it is held like the others.
    prestarted?.worker.ref();
    const first = this.workers[0];
    try {
      this.walkHelper = first && !first.failed ? new WorkerWalkHelper(first.worker) : undefined;
    } catch {
      // Files are then found on the scan's thread alone.
      this.walkHelper = undefined;
    }
  }

  /** A worker's help in finding files, while it has nothing else to do (discoverFiles). */
  get discoveryHelper(): DiscoveryHelper | undefined {
    return this.walkHelper;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs the jobs, in batches across the workers; resolves to their outcomes in job order (a prefix of them when cancelled). */
  run(spec: RootSpec, jobs: AnalysisJob[], hooks: RunHooks = {}): Promise<JobOutcome[]> {
    const specId = this.specIdOf(spec);
    const outcomes: Array<JobOutcome | undefined> = new Array(jobs.length);
    // Small batches balance the load; not so small that messages cost more than the work.
    const batchSize = Math.max(4, Math.min(64, Math.ceil(jobs.length / (this.workers.length * 16))));
    let next = 0;
    let done = 0;
    let cancelled = false;
    return new Promise((resolve) => {
      const finish = () => {
        if (this.workers.some((entry) => entry.busy)) return;
        resolve(leadingOutcomes(outcomes));
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
          // Whole jobs are never claimed by this thread: every outcome is there.
          settle(message.outcomes as JobOutcome[]);
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

  /**
   * Runs the jobs with this thread reading and prefiltering them from the front (`triage`, the scan's
   * own context) while the workers parse and analyse the few that pass: on two cores one worker does
   * the costly half while this thread reads on. A worker with nothing to analyse reads, prefilters and
   * analyses jobs from the back (TriageOffer) until it meets this thread, so neither waits while the
   * other still has files to read. Once this thread has read its share, it takes back the files the
   * workers have not started, largest first, and analyses them itself (each item's slot in a shared
   * array says who claimed it first). Resolves to the outcomes in job order (a prefix of them when
   * cancelled).
   */
  async runTriaged(spec: RootSpec, jobs: AnalysisJob[], triage: AnalysisContext, hooks: RunHooks = {}): Promise<JobOutcome[]> {
    const specId = this.specIdOf(spec);
    const outcomes: Array<JobOutcome | undefined> = new Array(jobs.length);
    const shared = (length: number) => new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * Math.max(1, length)));
    const claims = shared(jobs.length);
    // Who reads each job: this thread from the front, the workers from the back.
    const triageClaims = shared(jobs.length);
    const back = shared(1);
    back[0] = jobs.length;
    const offerBatch = (this.batches += 1);
    const inFlight = new Map<number, { entry: PoolWorker; items: TriagedItem[] }>();
    const posted: TriagedItem[] = [];
    const load = new Map<PoolWorker, number>(this.workers.map((entry) => [entry, 0]));
    let done = 0;
    const finish = (slot: number, outcome: JobOutcome) => {
      outcomes[slot] = outcome;
      done += 1;
    };
    // The files the workers claimed (to analyse, or to read from the back), once this thread has read
    // its share and taken back the rest: only those are waited for. A worker still starting (a scan of
    // a few files) answers the ones taken back later, unheard.
    let awaited: Set<number> | undefined;
    let release: () => void = () => undefined;
    const workersDone = new Promise<void>((resolve) => (release = resolve));
    const settled = (slot: number) => {
      if (awaited?.delete(slot) && awaited.size === 0) release();
    };
    const settle = (id: number, results: ReadonlyArray<JobOutcome | null>) => {
      const batch = inFlight.get(id);
      if (!batch) return;
      inFlight.delete(id);
      load.set(batch.entry, (load.get(batch.entry) ?? 0) - batch.items.length);
      batch.items.forEach(({ slot }, offset) => {
        const outcome = results[offset];
        if (outcome) finish(slot, outcome);
        settled(slot);
      });
      hooks.onProgress?.(done, jobs.length);
    };
    // Jobs a worker read from the back, or this thread read for a failed one: a job already answered
    // is not counted twice, as a failed worker's answer may still come after its failure is heard.
    const settleTriaged = (slots: readonly number[], results: readonly JobOutcome[]) => {
      slots.forEach((slot, offset) => {
        if (!outcomes[slot]) finish(slot, results[offset]);
        settled(slot);
      });
      hooks.onProgress?.(done, jobs.length);
    };
    // A worker that fails leaves what it was handed, and had not finished, to this thread. What it had
    // not started is claimed first: the failure may come while this thread still takes files back.
    const failed = (entry: PoolWorker) => {
      entry.failed = true;
      const takeOver = (slot: number) => !outcomes[slot] && Atomics.compareExchange(claims, slot, UNCLAIMED, CLAIMED_HERE) !== CLAIMED_HERE;
      for (const [id, batch] of [...inFlight]) {
        if (batch.entry === entry) settle(id, batch.items.map(({ job, read, slot }) => (takeOver(slot) ? analyseGuarded(triage, job, read) : null)));
      }
      const claimant = triageClaimant(this.workers.indexOf(entry));
      const orphans = [...jobs.keys()].filter((slot) => !outcomes[slot] && Atomics.load(triageClaims, slot) === claimant);
      settleTriaged(orphans, orphans.map((slot) => runGuarded(triage, jobs[slot])));
    };
    const listeners = this.workers.map((entry) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'outcomes') settle(message.batch, message.outcomes);
        else if (message.type === 'triaged' && message.batch === offerBatch) settleTriaged(message.slots, message.outcomes);
      };
      const onFailure = () => failed(entry);
      entry.worker.on('message', onMessage);
      entry.worker.on('error', onFailure);
      entry.worker.on('exit', onFailure);
      return () => {
        entry.worker.off('message', onMessage);
        entry.worker.off('error', onFailure);
        entry.worker.off('exit', onFailure);
      };
    });
    const sendSpec = (entry: PoolWorker) => {
      if (entry.spec !== specId) {
        entry.worker.postMessage({ type: 'spec', id: specId, spec } satisfies ToWorker);
        entry.spec = specId;
      }
    };
    const offered = this.workers.some((entry) => !entry.failed) ? offeredJobs(jobs) : undefined;
    this.workers.forEach((entry, index) => {
      if (entry.failed || !offered) return;
      sendSpec(entry);
      entry.worker.postMessage({ type: 'triage', spec: specId, batch: offerBatch, jobs: offered, claims: triageClaims, back, claimant: triageClaimant(index) } satisfies ToWorker);
    });
    // One file a message: its analysis costs a thousand times the message.
    const post = (item: TriagedItem) => {
      const entry = this.leastLoaded(load);
      if (!entry) {
        finish(item.slot, analyseGuarded(triage, item.job, item.read));
        return;
      }
      const id = (this.batches += 1);
      inFlight.set(id, { entry, items: [item] });
      posted.push(item);
      load.set(entry, (load.get(entry) ?? 0) + 1);
      sendSpec(entry);
      entry.worker.postMessage({ type: 'analyse', spec: specId, batch: id, items: [item], claims } satisfies ToWorker);
    };
    // A small batch (a wrapper round) is read whole first and handed out largest first: both threads
    // then end on small files, instead of one large test file ending the round alone in the worker.
    // A large one is handed out as it is read, so the worker starts at once.
    const held = jobs.length <= PRESORTED_BATCH ? ([] as TriagedItem[]) : undefined;
    let cancelled = false;
    // The workers' outcomes wait in the event loop while this thread reads or analyses; left there,
    // they would all be read at the end, while the workers have nothing to do (at scale 300 of them,
    // 30 to 50 ms, after the first pass). Read every few milliseconds, they are read while a worker
    // still analyses, and taking files back weighs this thread's share right.
    let breathed = performance.now();
    const breathe = async () => {
      if (performance.now() - breathed < BREATHE_EVERY_MS) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      breathed = performance.now();
    };
    // Where this thread met the workers reading from the back: they claimed every job from there on.
    let met = jobs.length;
    try {
      for (const [slot, job] of jobs.entries()) {
        if ((cancelled = hooks.isCancelled?.() ?? false)) break;
        hooks.onProgress?.(done, jobs.length);
        // The clock is read every sixteenth file: most files are passed over in a few microseconds.
        if ((slot & 15) === 0) await breathe();
        if (Atomics.compareExchange(triageClaims, slot, UNCLAIMED, CLAIMED_HERE) !== UNCLAIMED) {
          met = slot;
          break;
        }
        const triaged = triageGuarded(triage, job);
        if (triaged.state !== 'read') finish(slot, triaged);
        else if (held) held.push({ job, read: triaged, slot });
        else post({ job, read: triaged, slot });
      }
      // No worker claims a job from now on: one that has not started on the offer finds every job taken.
      Atomics.store(back, 0, 0);
      if (held && !cancelled) for (const item of held.sort((a, b) => b.read.text.length - a.read.text.length)) post(item);
      if (!cancelled) hooks.whileAnalysing?.(outcomes);
      // What the workers have not started is taken back here, largest first (as a round is handed
      // out): this thread then ends on small files, and so, most likely, does a worker, which takes
      // what is left in the order posted; neither waits long on the other's last file.
      const left = posted.filter(({ slot }) => Atomics.load(claims, slot) === UNCLAIMED).sort((a, b) => b.read.text.length - a.read.text.length);
      for (const { job, read, slot } of left) {
        await breathe();
        // A worker took it meanwhile.
        if (Atomics.compareExchange(claims, slot, UNCLAIMED, CLAIMED_HERE) !== UNCLAIMED) continue;
        // Cancelled: what the workers have not started is claimed here and left undone.
        if (!cancelled && !(cancelled = hooks.isCancelled?.() ?? false)) finish(slot, analyseGuarded(triage, job, read));
      }
      hooks.onProgress?.(done, jobs.length);
      awaited = new Set(posted.filter(({ slot }) => !outcomes[slot] && Atomics.load(claims, slot) === CLAIMED_BY_WORKER).map(({ slot }) => slot));
      // A cancelled scan keeps the outcomes up to its first gap, which the workers' share lies past.
      if (!cancelled) for (let slot = met; slot < jobs.length; slot += 1) if (!outcomes[slot]) awaited.add(slot);
      if (awaited.size > 0) await workersDone;
    } finally {
      Atomics.store(back, 0, 0);
      for (const detach of listeners) detach();
    }
    return leadingOutcomes(outcomes);
  }

  /** The id a root spec goes by in messages to the workers (each worker is sent a spec once). */
  private specIdOf(spec: RootSpec): number {
    let id = this.specs.get(spec);
    if (id === undefined) this.specs.set(spec, (id = this.specs.size));
    return id;
  }

  private leastLoaded(load: ReadonlyMap<PoolWorker, number>): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const entry of this.workers) if (!entry.failed && (!best || (load.get(entry) ?? 0) < (load.get(best) ?? 0))) best = entry;
    return best;
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    this.walkHelper?.close();
    await Promise.all(this.workers.map((entry) => entry.worker.terminate().catch(() => undefined)));
  }

  /** A failed worker's batch, analysed on this thread. */
  private runHere(spec: RootSpec, jobs: AnalysisJob[]): JobOutcome[] {
    if (this.local?.spec !== spec) this.local = new AnalysisContext(spec, this.catalog, this.detectors);
    return jobs.map((job) => runGuarded(this.local!, job));
  }
}

/** The outcomes up to the first job without one: all of them, or what a cancelled batch finished in order. */
function leadingOutcomes(outcomes: ReadonlyArray<JobOutcome | undefined>): JobOutcome[] {
  const prefix: JobOutcome[] = [];
  for (const outcome of outcomes) {
    if (!outcome) break;
    prefix.push(outcome);
  }
  return prefix;
}

/**
 * How many workers a scan of this machine should use. On one core, none. On two, one worker that
 * parses and analyses while this thread reads and prefilters (runTriaged): two workers reading as
 * well measured slower there, each warming its own copy of the code. Above that, one per core, at
 * most eight, each doing whole jobs (bench/README.md has the rows).
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return cores <= 1 ? 0 : cores === 2 ? 1 : Math.min(8, cores);
}

