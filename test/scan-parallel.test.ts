import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { Worker } from 'node:worker_threads';
import { defaultPoolSize, type PrestartedWorker } from '../src/core/analysis-pool';
import { ANALYSIS_WORKER_ROLE } from '../src/core/pool-protocol';
import { loadCatalog } from '../src/core/default-catalog';
import { scanPaths, type ScanResult } from '../src/core/scan';
import { ScanCache } from '../src/core/scan-cache';
import { scanPathsInParallel } from '../src/core/scan-parallel';
import { tempDir } from './helpers/temp';

const ROOT = join(__dirname, '..');
// The built CLI is a pool worker when started as one (npm test builds before testing).
const WORKER_SCRIPT = join(ROOT, 'dist', 'cli.js');
const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];

/** What a scan found, without its timing. */
function outcome(result: ScanResult) {
  return { findings: result.findings, counts: result.counts, skipped: result.skipped, partial: result.partial, suppressions: [...result.suppressions], cancelled: result.cancelled };
}

/** Scans an example with a pool whose workers run `source` (a stand-in for a broken worker) and with none: the results must be equal. */
async function assertSameWithWorker(source: string, example: string, workers: number): Promise<void> {
  const dir = tempDir('offbox-pool-worker-');
  try {
    const script = join(dir, 'worker.js');
    writeFileSync(script, source);
    const workspace = join(ROOT, 'examples', example);
    const alone = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace });
    const pooled = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers, workerScript: script, minPooledJobs: 1 });
    assert.deepEqual(outcome(pooled), outcome(alone));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The pool only moves reading and analysing to other threads; every result must be the same. One
// worker analyses what this thread reads and prefilters (runTriaged); more do whole jobs (run).
for (const workers of [1, 3]) {
  describe(`a pool of ${workers} worker${workers > 1 ? 's' : ''} finds what one thread finds`, () => {
    for (const workspace of workspaces) {
      it(workspace.slice(ROOT.length + 1), async () => {
        const options = { cwd: workspace, includeTests: true };
        const alone = scanPaths(['.'], loadCatalog(), detectors, options);
        const pooled = await scanPathsInParallel(['.'], loadCatalog(), detectors, { ...options, workers, workerScript: WORKER_SCRIPT, minPooledJobs: 1 });
        assert.deepEqual(outcome(pooled), outcome(alone));
      });
    }

    it('replays and fills a cache the same way', async () => {
      const workspace = join(ROOT, 'examples', 'onprem-helpdesk');
      const dir = tempDir('offbox-pool-cache-');
      try {
        const options = { cwd: workspace, workers, workerScript: WORKER_SCRIPT, minPooledJobs: 1 };
        const cold = await scanPathsInParallel(['.'], loadCatalog(), detectors, { ...options, cache: new ScanCache(join(dir, 'c.json'), 'k') });
        const warm = await scanPathsInParallel(['.'], loadCatalog(), detectors, { ...options, cache: new ScanCache(join(dir, 'c.json'), 'k') });
        assert.ok(warm.counts.cached > 0 && warm.counts.cached === warm.counts.files, `every file replayed (${warm.counts.cached}/${warm.counts.files})`);
        // The cache is JSON: compare as JSON, where an undefined property and a missing one are the same.
        assert.deepEqual(JSON.parse(JSON.stringify(warm.findings)), JSON.parse(JSON.stringify(cold.findings)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    // A worker script that exits at once, as a crashed worker would.
    it('finishes the batches of a worker that dies on this thread', () => assertSameWithWorker('process.exit(3);\n', 'airgapped-chat', workers));

    it('stops handing out files when cancelled, and counts only what it looked at', async () => {
      const workspace = join(ROOT, 'examples', 'hosted-shipyard');
      let calls = 0;
      const result = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers, workerScript: WORKER_SCRIPT, minPooledJobs: 1, isCancelled: () => ++calls > 1 });
      assert.equal(result.cancelled, true);
      const all = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace });
      assert.ok(result.counts.files < all.counts.files, `${result.counts.files} of ${all.counts.files} files`);
    });
  });
}

// A scan of a few files is over before a worker has started: what this thread took back is not
// waited for. A worker that never answers stands for one still starting.
it('with one worker, does not wait for a worker that has not started on the files this thread took back', { timeout: 20_000 }, () =>
  assertSameWithWorker("require('node:worker_threads').parentPort.on('message', () => {});\n", 'hosted-shipyard', 1));

// With one worker this thread reads the worker's answers every few milliseconds while it reads and
// prefilters, so a worker's failure may be heard before this thread takes files back: what the worker
// was handed is then analysed here once, whichever thread claims it first, and progress never runs
// past the total. Files enough that reading them takes longer than that: the test passes whichever
// way the failure falls, and most often it falls mid-read.
it('with one worker that dies while this thread still reads, analyses each file once', { timeout: 30_000 }, async () => {
  const dir = tempDir('offbox-pool-dies-');
  try {
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    for (let index = 0; index < 600; index += 1) {
      const send = index % 3 === 0 ? `fetch('https://api-${index}.acme-telemetry.io/v1', { method: 'POST', body: JSON.stringify({ email }) });\n` : '';
      writeFileSync(join(workspace, `module-${index}.ts`), `export function handler${index}(email: string) {\n  const copy = [email, ${index}].join(',');\n  ${send}  return copy;\n}\n`.repeat(20));
    }
    const script = join(dir, 'worker.js');
    // Dies on the first file it is handed, before claiming it.
    writeFileSync(script, "require('node:worker_threads').parentPort.on('message', (message) => { if (message.type === 'analyse') process.exit(3); });\n");
    let overrun = false;
    const onProgress = (done: number, total: number) => (overrun ||= done > total);
    const alone = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace });
    const pooled = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers: 1, workerScript: script, minPooledJobs: 1, onProgress });
    assert.deepEqual(outcome(pooled), outcome(alone));
    assert.equal(alone.findings.length, 4000);
    assert.equal(overrun, false, 'progress ran past the total: a file was analysed twice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A pool worker started ahead of the scan, as bin/offbox.js starts one, its failure heard from the
 * start. Not unref'd as there: a test waits for it to exit, and one the scan failed to end would hold it.
 */
function prestart(script: string): PrestartedWorker & { exited: Promise<void>; answers: () => number } {
  const worker = new Worker(script, { workerData: { role: ANALYSIS_WORKER_ROLE } });
  let answers = 0;
  const prestarted = { worker, failed: false, exited: new Promise<void>((done) => worker.once('exit', () => done())), answers: () => answers };
  worker.on('message', () => (answers += 1));
  worker.on('error', () => (prestarted.failed = true));
  worker.on('exit', () => (prestarted.failed = true));
  return prestarted;
}

describe('a worker started before the scan', () => {
  const workspace = join(ROOT, 'examples', 'hosted-shipyard');
  const alone = () => scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace });

  for (const workers of [1, 3]) {
    it(`is the first of a pool of ${workers}, which ends it`, { timeout: 20_000 }, async () => {
      const prestarted = prestart(WORKER_SCRIPT);
      const pooled = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers, workerScript: WORKER_SCRIPT, minPooledJobs: 1, prestarted });
      assert.deepEqual(outcome(pooled), outcome(alone()));
      // Whole jobs are waited for; one worker's files are taken back by this thread if it is still starting.
      if (workers > 1) assert.ok(prestarted.answers() > 0, 'it analysed files');
      await prestarted.exited;
    });
  }

  it('leaves the files to this thread when it failed before the pool took it', { timeout: 20_000 }, async () => {
    const dir = tempDir('offbox-prestarted-');
    try {
      const script = join(dir, 'worker.js');
      writeFileSync(script, 'process.exit(3);\n');
      const prestarted = prestart(script);
      await prestarted.exited;
      assert.equal(prestarted.failed, true);
      const pooled = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers: 1, workerScript: WORKER_SCRIPT, minPooledJobs: 1, prestarted });
      assert.deepEqual(outcome(pooled), outcome(alone()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is ended when no pool starts', { timeout: 20_000 }, async () => {
    const prestarted = prestart(WORKER_SCRIPT);
    const result = await scanPathsInParallel(['.'], loadCatalog(), detectors, { cwd: workspace, workers: 0, workerScript: WORKER_SCRIPT, prestarted });
    assert.deepEqual(outcome(result), outcome(alone()));
    await prestarted.exited;
  });
});

it('sizes the pool by cores: none on one, one analysing on two, one per core above, at most eight', () => {
  assert.equal(defaultPoolSize(1), 0);
  assert.equal(defaultPoolSize(2), 1);
  assert.equal(defaultPoolSize(4), 4);
  assert.equal(defaultPoolSize(64), 8);
});
