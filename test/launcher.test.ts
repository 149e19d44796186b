import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_WORKER_ROLE } from '../src/core/pool-protocol';
import { tempDir } from './helpers/temp';
import { LAUNCHER, takePrestartedWorker, tierUpUnlessPrestarted, workerScriptFor, type Launcher } from '../src/cli/launcher';

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

  // V8 turns down the code cache of every module a thread loads after the flag changes: a worker
  // bin/offbox.js started raises it itself once it has loaded; else the scan does, as it starts.
  it('raises the tier-up budget as a scan starts only where no started worker will', async () => {
    let raised = 0;
    global[LAUNCHER] = { script: BIN, tierUp: () => (raised += 1) };
    tierUpUnlessPrestarted(undefined);
    assert.equal(raised, 1);
    const { worker, exited } = idleWorker();
    tierUpUnlessPrestarted({ worker, failed: false });
    assert.equal(raised, 1, 'a started worker raises it once it has loaded');
    tierUpUnlessPrestarted({ worker, failed: true });
    assert.equal(raised, 2, 'a failed one never will');
    await worker.terminate();
    await exited;
    delete global[LAUNCHER];
    assert.doesNotThrow(() => tierUpUnlessPrestarted(undefined), 'nothing to raise without bin/offbox.js');
  });

  it('has nothing to hand over without bin/offbox.js', () => {
    assert.equal(takePrestartedWorker(), undefined);
  });

  it('bin/offbox.js starts its worker under the role the pool adopts', () => {
    const role = /const role = '([^']+)'/.exec(readFileSync(BIN, 'utf8'))?.[1];
    assert.equal(role, ANALYSIS_WORKER_ROLE);
  });
});

// npm test builds first, with this Node. bin/offbox.js loads the bundle with V8's code cache, which
// V8 takes only under the flags it was made with: the main thread and the worker it starts must load
// before the tier-up budget is raised, and the build must make the cache under V8's defaults.
it('loads the CLI bundle from its code cache in the main thread and in the worker it starts', { timeout: 30_000 }, () => {
  const dir = tempDir('offbox-code-cache-');
  const probe = join(dir, 'probe.cjs');
  const out = join(dir, 'scripts.txt');
  // Every thread records whether V8 took the cache it was given (workers inherit --require).
  writeFileSync(
    probe,
    `const vm = require('node:vm'); const fs = require('node:fs'); const Original = vm.Script;
vm.Script = class extends Original { constructor(source, options) { super(source, options); if (options && options.cachedData) fs.appendFileSync(process.env.OFFBOX_PROBE_OUT, (this.cachedDataRejected ? 'rejected' : 'taken') + '\\n'); } };\n`,
  );
  for (const jobs of [[], ['--jobs', '0']]) {
    writeFileSync(out, '');
    const run = spawnSync(process.execPath, ['--require', probe, BIN, 'scan', 'examples/onprem-helpdesk', '--format', 'json', '--fail-on', 'none', ...jobs], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OFFBOX_PROBE_OUT: out } });
    assert.equal(run.status, 0, run.stderr);
    const loads = readFileSync(out, 'utf8').trim().split('\n');
    assert.deepEqual(loads, jobs.length > 0 ? ['taken'] : ['taken', 'taken'], `bundle loads ${jobs.join(' ') || '(a worker started)'}: ${loads.join(', ')}`);
  }
});
