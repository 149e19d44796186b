import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_WORKER_ROLE } from '../src/core/pool-protocol';
import { LAUNCHER, takePrestartedWorker, workerScriptFor, type Launcher } from '../src/cli/launcher';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'offbox.js');

// What bin/offbox.js hands the CLI bundle: the script workers start from and the worker it started.
describe('the launcher hand-over', () => {
  const global = globalThis as { [LAUNCHER]?: Launcher };
  afterEach(() => delete global[LAUNCHER]);

  /** A worker that does nothing, unref'd, with its exit to wait for. */
  function idleWorker() {
    const worker = new Worker('setInterval(() => {}, 1000);', { eval: true });
    worker.unref();
    return { worker, exited: new Promise<number>((done) => worker.once('exit', done)) };
  }

  it('starts pool workers from the bundle itself without bin/offbox.js, and from bin/offbox.js with it', () => {
    assert.equal(workerScriptFor('/x/dist/cli.js'), '/x/dist/cli.js');
    global[LAUNCHER] = { script: '/x/bin/offbox.js' };
    assert.equal(workerScriptFor('/x/dist/cli.js'), '/x/bin/offbox.js');
  });

  it('hands the prestarted worker over once', async () => {
    const { worker, exited } = idleWorker();
    global[LAUNCHER] = { script: BIN, prestarted: { worker, role: ANALYSIS_WORKER_ROLE, failed: false } };
    assert.equal(takePrestartedWorker()?.worker, worker);
    assert.equal(takePrestartedWorker(), undefined);
    await worker.terminate();
    await exited;
  });

  it('ends a worker started under another role instead of handing it over', async () => {
    const { worker, exited } = idleWorker();
    global[LAUNCHER] = { script: BIN, prestarted: { worker, role: 'some-older-role', failed: false } };
    assert.equal(takePrestartedWorker(), undefined);
    await exited;
  });

  it('has nothing to hand over without bin/offbox.js', () => {
    assert.equal(takePrestartedWorker(), undefined);
  });

  it('bin/offbox.js starts its worker under the role the pool adopts', () => {
    const role = /const role = '([^']+)'/.exec(readFileSync(BIN, 'utf8'))?.[1];
    assert.equal(role, ANALYSIS_WORKER_ROLE);
  });
});
