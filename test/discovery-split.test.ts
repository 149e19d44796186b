import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { detectors } from '../src/analyzers/index';
import { AnalysisPool } from '../src/core/analysis-pool';
import { loadCatalog } from '../src/core/default-catalog';
import { discoverFiles, Walker, type Discovery, type DiscoveryHelper, type DiscoveryOptions, type WalkOutput, type WalkTask } from '../src/core/discovery';
import { scanSettings } from '../src/core/scan';
import { WorkerWalkHelper } from '../src/core/walk-helper';
import { tempDir } from './helpers/temp';

// Discovery with another thread's help must list exactly what one thread lists, in the same order:
// the files (sorted anyway), and the skipped entries, project files and watched paths, which come
// in the order of the walk.

const ROOT = join(__dirname, '..');
const WORKER_SCRIPT = join(ROOT, 'dist', 'cli.js');

/** A tree of nested folders with what discovery passes over or lists: .gitignore rules (and a negation below them), tests, bundles, links, project files. */
function makeTree(): string {
  const root = tempDir('offbox-discovery-split-');
  const write = (relative: string, text = 'export const x = 1;\n') => {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    writeFileSync(join(root, relative), text);
  };
  write('.gitignore', '*.gen.ts\n/generated/\n');
  write('package.json', '{"name":"root"}');
  for (const top of ['apps', 'libs', 'packages', 'tools']) {
    for (const middle of ['a', 'b', 'c']) {
      for (const leaf of ['src', 'lib', 'test', 'build']) {
        write(`${top}/${middle}/${leaf}/index.ts`);
        write(`${top}/${middle}/${leaf}/util.spec.ts`);
        write(`${top}/${middle}/${leaf}/types.gen.ts`);
        write(`${top}/${middle}/${leaf}/deep/er/file.js`);
      }
      write(`${top}/${middle}/package.json`, `{"name":"${top}-${middle}"}`);
      write(`${top}/${middle}/vendor.min.js`, 'x');
    }
  }
  write('packages/b/.gitignore', '!keep.gen.ts\nlib/\n');
  write('packages/b/src/keep.gen.ts');
  write('generated/out.ts');
  write('tools/a/tsconfig.json', '{}');
  symlinkSync(join(root, 'apps'), join(root, 'libs', 'linked'));
  return root;
}

/** What discovery found, with the watched paths in their order (an object's keys keep it). */
function listing(discovery: Discovery) {
  return { files: discovery.files, skipped: discovery.skipped, projectFiles: discovery.projectFiles, watched: discovery.watched && Object.keys(discovery.watched) };
}

/**
 * A helper on this thread: takes every `takeEvery`-th folder it is offered, walks what it took when
 * discovery finishes, and hands back every `backEvery`-th folder it is asked about meanwhile, as a
 * worker does while the scan's thread waits.
 */
function inThreadHelper(takeEvery: number, backEvery: number): DiscoveryHelper & { taken: number; back: number } {
  const helper = {
    taken: 0,
    back: 0,
    begin(options: DiscoveryOptions, watch: boolean) {
      const elsewhere = new Walker(options, watch);
      const tasks = new Map<number, WalkTask>();
      let offered = 0;
      let ids = 0;
      return {
        handOver: (makeTask: () => WalkTask) => {
          if (++offered % takeEvery !== 0) return undefined;
          tasks.set(++ids, makeTask());
          helper.taken += 1;
          return ids;
        },
        finish(walkHere: (task: WalkTask) => WalkOutput) {
          const outputs = new Map<number, WalkOutput>();
          let asked = 0;
          // Folders walked here may be handed over again: the map's iteration reaches those too.
          for (const [id, task] of tasks) {
            const output = elsewhere.walk(task, (back) => {
              if (++asked % backEvery !== 0) return undefined;
              const backId = -(++ids);
              helper.back += 1;
              outputs.set(backId, walkHere(back()));
              return backId;
            });
            outputs.set(id, output);
          }
          return outputs;
        },
      };
    },
  };
  return helper;
}

describe('discovery with another thread walking some folders lists what one thread lists', () => {
  const root = makeTree();
  for (const includeTests of [false, true]) {
    for (const watch of [false, true]) {
      const options = scanSettings({ cwd: root, includeTests, exclude: ['tools/c/**'] });
      const alone = listing(discoverFiles(root, options, watch));
      for (const [takeEvery, backEvery] of [[1, 1], [1, 3], [2, 1], [3, 2], [5, 1000]]) {
        it(`tests ${includeTests ? 'in' : 'out'}, ${watch ? 'watching' : 'not watching'}, taking every ${takeEvery}, handing back every ${backEvery}`, () => {
          const helper = inThreadHelper(takeEvery, backEvery);
          assert.deepEqual(listing(discoverFiles(root, options, watch, helper)), alone);
          assert.ok(helper.taken > 0, 'no folder was handed over');
          if (backEvery < 1000) assert.ok(helper.back > 0, 'no folder was handed back');
        });
      }
    }
  }
  it('walks the tree here alone when the helper fails', () => {
    const options = scanSettings({ cwd: root });
    const broken: DiscoveryHelper = {
      begin: () => ({
        handOver: () => 1,
        finish: () => {
          throw new Error('lost');
        },
      }),
    };
    assert.deepEqual(listing(discoverFiles(root, options, false, broken)), listing(discoverFiles(root, options)));
  });

  it('the tree holds what the walk must pass over and list', () => {
    const found = discoverFiles(root, scanSettings({ cwd: root }));
    const files = found.files.map((file) => file.relative);
    assert.ok(files.includes('packages/b/src/keep.gen.ts') && !files.includes('apps/a/src/types.gen.ts') && !files.some((file) => file.startsWith('generated/')));
    assert.ok(found.skipped.some((skip) => skip.reason.startsWith('symbolic link')) && found.skipped.some((skip) => skip.reason.startsWith('test')));
    assert.ok(found.projectFiles.includes('tools/a/tsconfig.json'));
  });
});

describe("a scan pool's worker walks folders for discovery", () => {
  const catalog = loadCatalog();
  const pools: AnalysisPool[] = [];
  after(async () => Promise.all(pools.map((pool) => pool.close())));

  it('and the listing is the same as one thread makes', async () => {
    const root = makeTree();
    const pool = new AnalysisPool(WORKER_SCRIPT, 1, catalog, detectors);
    pools.push(pool);
    const helper = pool.discoveryHelper!;
    assert.ok(helper, 'the pool has no discovery helper');
    const options = scanSettings({ cwd: root, includeTests: true });
    const alone = listing(discoverFiles(root, options, true));
    // The worker helps once it has started: until then this thread walks every folder.
    let handed = 0;
    const counting: DiscoveryHelper = {
      begin(discoveryOptions, watch) {
        const run = helper.begin(discoveryOptions, watch);
        return { ...run, handOver: (task) => ((id) => (id !== undefined && (handed += 1), id))(run.handOver(task)) };
      },
    };
    for (let attempt = 0; attempt < 100 && handed === 0; attempt += 1) {
      assert.deepEqual(listing(discoverFiles(root, options, true, counting)), alone);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(handed > 0, 'the worker never took a folder');
  });

  // A stand-in worker that says it is free, then answers nothing, or answers that its walk failed.
  const silent = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.type === 'walk-channel') Atomics.store(m.state, 0, 1); });`;
  const failing = `const { parentPort } = require('node:worker_threads');
let channel;
parentPort.on('message', (m) => {
  if (m.type === 'walk-channel') { channel = m; Atomics.store(m.state, 0, 1); return; }
  channel.port.postMessage({ type: 'walk-output', discovery: m.discovery, id: m.id });
  Atomics.add(channel.state, 2, 1); Atomics.notify(channel.state, 2);
});`;
  for (const [name, source] of [['never answers', silent], ['fails its walk', failing]]) {
    it(`walks here what a worker that ${name} took`, async () => {
      const root = makeTree();
      const worker = new Worker(source, { eval: true });
      const helper = new WorkerWalkHelper(worker, 200);
      try {
        const options = scanSettings({ cwd: root });
        const alone = listing(discoverFiles(root, options));
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(listing(discoverFiles(root, options, false, helper)), alone);
      } finally {
        helper.close();
        await worker.terminate();
      }
    });
  }
});
