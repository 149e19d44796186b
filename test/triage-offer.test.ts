import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { AnalysisContext, type AnalysisJob, type JobOutcome, type ReadFile, type RootSpec } from '../src/core/analysis-job';
import { AnalysisPool } from '../src/core/analysis-pool';
import { loadCatalog } from '../src/core/default-catalog';
import { offeredJob, offeredJobs } from '../src/core/pool-protocol';
import { tempDir } from './helpers/temp';

// runTriaged offers its whole batch to the workers, which read, prefilter and analyse jobs from the
// back while they have nothing to analyse (TriageOffer): every job must get exactly one outcome, the
// one this thread alone would give it, whoever read it.

const ROOT = join(__dirname, '..');
// The built CLI is a pool worker when started as one (npm test builds before testing).
const WORKER_SCRIPT = join(ROOT, 'dist', 'cli.js');
const catalog = loadCatalog();

/** A folder of `count` modules, one in four with a send, and the jobs and spec of a scan of it. */
function workspace(count: number): { spec: RootSpec; jobs: AnalysisJob[] } {
  const root = tempDir('offbox-triage-offer-');
  const files: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const relative = `module-${String(index).padStart(4, '0')}.ts`;
    const send = index % 4 === 0 ? `  fetch('https://api-${index}.acme-telemetry.io/v1', { method: 'POST', body: JSON.stringify({ email }) });\n` : '';
    writeFileSync(join(root, relative), `import { helper } from './module-${String((index + 1) % count).padStart(4, '0')}';\nexport function handler${index}(email: string) {\n${send}  return helper(email);\n}\n`);
    files.push(relative);
  }
  const spec: RootSpec = { root, files, projectFiles: [] };
  return { spec, jobs: files.map((relative) => ({ path: join(root, relative), relative, maxFileSize: Infinity, prefilter: true, hash: false })) };
}

/** The scan's context, counting the jobs this thread reads; `pause` ms after each, so that a worker has time to read some. */
class CountingContext extends AnalysisContext {
  read = 0;
  constructor(spec: RootSpec, private readonly pause = 0) {
    super(spec, catalog, detectors);
  }

  override triage(job: AnalysisJob): JobOutcome | ReadFile {
    this.read += 1;
    if (this.pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.pause);
    return super.triage(job);
  }
}

/** What one thread alone makes of the jobs. */
function alone(spec: RootSpec, jobs: AnalysisJob[]): JobOutcome[] {
  const context = new AnalysisContext(spec, catalog, detectors);
  return jobs.map((job) => context.run(job));
}

const pools: AnalysisPool[] = [];
after(() => Promise.all(pools.map((pool) => pool.close())));

/** A pool of one worker that has started (it answered a batch), as a scan's worker is once files are found. */
async function startedPool(script = WORKER_SCRIPT): Promise<AnalysisPool> {
  const pool = new AnalysisPool(script, 1, catalog, detectors);
  pools.push(pool);
  const warm = workspace(2);
  await pool.run(warm.spec, warm.jobs);
  return pool;
}

it('a worker with nothing to analyse reads jobs from the back, and every job gets the outcome one thread gives it', { timeout: 30_000 }, async () => {
  const { spec, jobs } = workspace(400);
  const pool = await startedPool();
  const context = new CountingContext(spec, 1);
  let overrun = false;
  const outcomes = await pool.runTriaged(spec, jobs, context, { onProgress: (done, total) => (overrun ||= done > total) });
  assert.ok(context.read < jobs.length, `the worker read none of the ${jobs.length} jobs`);
  assert.ok(context.read > 0, 'this thread read none of the jobs');
  assert.equal(overrun, false, 'progress ran past the total: a job was counted twice');
  assert.deepEqual(outcomes, alone(spec, jobs));
  assert.equal(outcomes.filter((outcome) => outcome.state === 'analysed').length, 100);
});

it('a round small enough to be read whole first is shared the same way', { timeout: 30_000 }, async () => {
  const { spec, jobs } = workspace(120);
  const pool = await startedPool();
  const context = new CountingContext(spec, 2);
  const outcomes = await pool.runTriaged(spec, jobs, context);
  assert.ok(context.read < jobs.length, `the worker read none of the ${jobs.length} jobs`);
  assert.deepEqual(outcomes, alone(spec, jobs));
});

it('reads here the jobs a worker claimed from the back and died on, each once', { timeout: 30_000 }, async () => {
  const dir = tempDir('offbox-triage-offer-dies-');
  const script = join(dir, 'worker.js');
  // Answers the warm-up batch, then claims the last ten jobs it is offered, as a worker reading from the back does, and dies on them.
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type === 'jobs') parentPort.postMessage({ type: 'outcomes', batch: message.batch, outcomes: message.jobs.map(() => ({ state: 'skipped', reason: 'warm-up' })) });
  if (message.type !== 'triage') return;
  for (let claimed = 0; claimed < 10; claimed += 1) {
    const slot = Atomics.sub(message.back, 0, 1) - 1;
    if (slot < 0 || Atomics.compareExchange(message.claims, slot, 0, message.claimant) !== 0) break;
  }
  process.exit(3);
});
`,
  );
  const { spec, jobs } = workspace(200);
  const pool = await startedPool(script);
  const context = new CountingContext(spec, 1);
  let overrun = false;
  const outcomes = await pool.runTriaged(spec, jobs, context, { onProgress: (done, total) => (overrun ||= done > total) });
  assert.equal(context.read, jobs.length, 'this thread read every job, the dead worker’s included');
  assert.equal(overrun, false, 'progress ran past the total: a job was counted twice');
  assert.deepEqual(outcomes, alone(spec, jobs));
});

it('sends a first pass’s jobs as columns and any other batch as it is, each job coming back as it was', () => {
  const plain = (index: number, knownHash?: string): AnalysisJob => ({ path: `/r/f${index}.ts`, relative: `f${index}.ts`, maxFileSize: 1024, prefilter: true, hash: knownHash !== undefined, ...(knownHash ? { knownHash } : {}) });
  const firstPass = [plain(0), plain(1), plain(2)];
  const cached = [plain(0, 'a'), { ...plain(1), hash: true }, plain(2, 'c')];
  const round: AnalysisJob[] = [{ ...plain(0), prefilter: false, maxFileSize: Infinity, mustMention: ['sendRequest'] }, { ...plain(1), prefilter: false, maxFileSize: Infinity, linksOnly: true }];
  const mixed = [plain(0), { ...plain(1), maxFileSize: 2048 }];
  for (const [jobs, kind] of [[firstPass, 'columns'], [cached, 'columns'], [round, 'listed'], [mixed, 'listed'], [[], 'listed']] as const) {
    // As a worker receives it: a structured clone.
    const offered = structuredClone(offeredJobs(jobs));
    assert.equal(offered.kind, kind);
    assert.deepEqual(jobs.map((_, slot) => offeredJob(offered, slot)), jobs);
  }
});
