import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ChangeWatcher, directoriesToWatch } from '../src/core/change-watcher';
import { tempDir } from './helpers/temp';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'onprem-helpdesk');

const settle = (ms = 150) => new Promise((done) => setTimeout(done, ms));

/** A watcher over a fresh tree, past its first scan: watching, and trusted for the next one. */
async function watching(options: ConstructorParameters<typeof ChangeWatcher>[0] = {}) {
  const root = tempDir('offbox-watcher-');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  const watcher = new ChangeWatcher(options);
  assert.equal(watcher.takeChanges().changedPaths, undefined, 'the first scan stats every file');
  assert.equal(watcher.watch(directoriesToWatch([root], [join(root, 'src')]), [root]), true, 'new directories are watched');
  assert.equal(watcher.takeChanges().changedPaths, undefined, 'a scan after new watchers stats every file');
  watcher.watch(directoriesToWatch([root], [join(root, 'src')]), [root]);
  return { root, watcher };
}

describe('ChangeWatcher tells a scan what changed since the last one', () => {
  it('reports a changed source file, and not a file no scan reads', async () => {
    const { root, watcher } = await watching();
    try {
      writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 2;\n');
      writeFileSync(join(root, 'src', 'notes.md'), 'text\n');
      await settle();
      assert.deepEqual([...(watcher.takeChanges().changedPaths ?? ['(untrusted)'])], [join(root, 'src', 'a.ts')]);
      assert.deepEqual([...(watcher.takeChanges().changedPaths ?? ['(untrusted)'])], [], 'nothing changed since');
    } finally {
      watcher.close();
    }
  });

  it("ignores the scan's own outputs", async () => {
    const root = tempDir('offbox-watcher-out-');
    const output = join(root, 'report.ts');
    const watcher = new ChangeWatcher({ ignored: new Set([output]) });
    try {
      watcher.takeChanges();
      watcher.watch(directoriesToWatch([root]));
      watcher.takeChanges();
      writeFileSync(output, 'x');
      await settle();
      assert.deepEqual([...(watcher.takeChanges().changedPaths ?? ['(untrusted)'])], []);
    } finally {
      watcher.close();
    }
  });

  it('stops trusting itself when a watched directory is replaced', async () => {
    const { root, watcher } = await watching();
    try {
      renameSync(join(root, 'src'), join(root, 'old'));
      mkdirSync(join(root, 'src'));
      await settle();
      assert.equal(watcher.takeChanges().changedPaths, undefined);
    } finally {
      watcher.close();
    }
  });

  it('stops trusting itself when the root, or a folder above it, is replaced (no event says so)', async () => {
    const { root, watcher } = await watching();
    try {
      renameSync(root, `${root}.away`);
      cpSync(`${root}.away`, root, { recursive: true });
      await settle();
      assert.equal(watcher.takeChanges().changedPaths, undefined);
    } finally {
      watcher.close();
      rmSync(`${root}.away`, { recursive: true, force: true });
    }
  });

  it('stops trusting itself after more events than a queue overflow leaves, files no scan reads included', async () => {
    const { root, watcher } = await watching();
    try {
      // Distinct names: inotify merges repeated events for one file that are not read yet.
      for (let write = 0; write < 2100; write += 1) writeFileSync(join(root, 'src', `build-${write}.log`), String(write));
      await settle(300);
      assert.equal(watcher.takeChanges().changedPaths, undefined);
    } finally {
      watcher.close();
    }
  });

  it("settles at once again after its barrier's directory was deleted", async () => {
    const { root, watcher } = await watching();
    const storage = tempDir('offbox-watcher-storage-');
    try {
      await watcher.settle(join(storage, 'scan.json.barrier'));
      rmSync(storage, { recursive: true, force: true });
      writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 5;\n');
      // Between two requests, as when the storage is cleared (a made-again directory may reuse the inode).
      await settle(20);
      const started = performance.now();
      await watcher.settle(join(storage, 'scan.json.barrier'));
      assert.ok(performance.now() - started < 400, 'no wait for an event that cannot come');
      assert.deepEqual([...(watcher.takeChanges().changedPaths ?? ['(untrusted)'])], [join(root, 'src', 'a.ts')]);
    } finally {
      watcher.close();
    }
  });

  it('carries over what a scan that did not finish was given, and stats everything next', async () => {
    const { root, watcher } = await watching();
    try {
      writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 3;\n');
      await settle();
      const { changedPaths, reported } = watcher.takeChanges();
      assert.equal(changedPaths?.size, 1);
      watcher.restore(reported);
      assert.equal(watcher.takeChanges().changedPaths, undefined);
    } finally {
      watcher.close();
    }
  });

  it('watches nothing, and is never trusted, past its budget of directories', async () => {
    const root = tempDir('offbox-watcher-budget-');
    mkdirSync(join(root, 'src'));
    const watcher = new ChangeWatcher({ maxDirectories: 1 });
    try {
      for (let scan = 0; scan < 3; scan += 1) {
        assert.equal(watcher.takeChanges().changedPaths, undefined, `scan ${scan}`);
        assert.equal(watcher.watch(directoriesToWatch([root], [join(root, 'src')]), [root]), false);
        writeFileSync(join(root, 'src', 'a.ts'), `export const a = ${scan};\n`);
        await settle(50);
      }
    } finally {
      watcher.close();
    }
  });
});

// The extension's resident scan worker (dist/scan-worker.js, built by `npm test`) watches the folder
// itself: a file written right before a request is still read, however soon the request comes.
describe("the extension's scan worker sees a change made just before it is asked to scan", { skip: process.platform !== 'linux' && 'watchers are trusted on Linux only' }, () => {
  it('finds a send added between two requests, five times in a row', async () => {
    const root = tempDir('offbox-worker-watch-');
    cpSync(EXAMPLE, root, { recursive: true });
    const storage = tempDir('offbox-worker-storage-');
    const worker = new Worker(join(ROOT, 'dist', 'scan-worker.js'));
    let id = 0;
    const scan = () =>
      new Promise<{ findings: Array<{ destination: { host?: string } }>; counts: { cached: number } }>((resolve, reject) => {
        const mine = ++id;
        const onMessage = (reply: { type: string; id: number; result?: never; message?: string }) => {
          if (reply.id !== mine || reply.type === 'progress') return;
          worker.off('message', onMessage);
          if (reply.type === 'result') resolve(reply.result!);
          else reject(new Error(reply.message));
        };
        worker.on('message', onMessage);
        worker.postMessage({ type: 'scan', id: mine, request: { root, guards: [], exclude: [], maxFileSize: 1_000_000, includeTests: true, cancel: new SharedArrayBuffer(4), cacheFile: join(storage, 'scan.json') } });
      });
    try {
      await scan();
      await scan();
      const file = join(root, 'src', 'server', 'updates.ts');
      const original = readFileSync(file, 'utf8');
      for (let round = 0; round < 5; round += 1) {
        writeFileSync(file, `${original}\nexport const beacon${round} = () => fetch('https://beacon${round}.acme-stats.io/hit');\n`);
        const result = await scan();
        assert.ok(result.findings.some((finding) => finding.destination.host === `beacon${round}.acme-stats.io`), `round ${round}`);
        assert.ok(result.counts.cached > 0, 'the other files came from the cache');
      }
    } finally {
      await worker.terminate();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
