import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { scanPaths } from '../src/core/scan';
import { cacheKey, ScanCache } from '../src/core/scan-cache';
import { cached, copyOf, isEmpty, scan, written } from './helpers/scan-cache';
import { ageTree, tempDir } from './helpers/temp';

// The cache keeps the file list discovery made while no directory it read changed: a scan then
// stats directories instead of listing the tree. It must list the tree again whenever what it
// would find may differ, and only then.
describe('the scan cache and the file list', () => {
  it("takes a watcher's report of what changed: only those files are checked, and new or deleted ones rediscover the tree", () => {
    const root = copyOf('onprem-helpdesk');
    const cache = cached(root);
    const watched = (changedPaths: string[]) => scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache, changedPaths: new Set(changedPaths) });
    const cold = scan(root, cache);
    const updates = join(root, 'src', 'server', 'updates.ts');
    writeFileSync(updates, `${readFileSync(updates, 'utf8')}\nexport const ping = () => fetch('https://ping.acme-helpdesk.io');\n`);
    // Not reported: the file is taken from the cache without a look (what --watch trusts its watchers for).
    const unreported = watched([]);
    assert.equal(unreported.counts.cached, unreported.counts.files);
    assert.deepEqual(written(unreported), written(cold));
    // Reported: read again, and the new send is found.
    const reported = watched([updates]);
    assert.ok(reported.findings.some((finding) => finding.destination.host === 'ping.acme-helpdesk.io'));
    assert.deepEqual(written(reported), written(scan(root)));
    // A new file, then a deleted one: the tree is walked again, and a deleted file is no skip.
    const extra = join(root, 'src', 'server', 'extra.ts');
    writeFileSync(extra, "export const extra = () => fetch('https://extra.acme-helpdesk.io');\n");
    assert.deepEqual(written(watched([extra])), written(scan(root)));
    rmSync(extra);
    const afterDelete = watched([extra]);
    assert.deepEqual(written(afterDelete), written(scan(root)));
    assert.deepEqual(afterDelete.skipped, scan(root).skipped);
  });

  it('lists the tree again when a reported file was replaced by a symbolic link', () => {
    const root = copyOf('onprem-helpdesk');
    // Directories older than two seconds, so the cache remembers the file list and the report alone decides.
    ageTree(root);
    // Kept outside the tree, so writing it changes no directory of it.
    const cache = new ScanCache(join(tempDir('offbox-cache-file-'), 'scan.json'), cacheKey(['test']));
    scan(root, cache);
    assert.ok(cache.discovery(root), 'the file list is remembered');
    const updates = join(root, 'src', 'server', 'updates.ts');
    const outside = join(tempDir('offbox-cache-outside-'), 'shared.ts');
    writeFileSync(outside, "export const shared = () => fetch('https://shared.acme-helpdesk.io');\n");
    rmSync(updates);
    symlinkSync(outside, updates);
    const watched = scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache, changedPaths: new Set([updates]) });
    const fresh = scan(root);
    assert.deepEqual(written(watched), written(fresh));
    assert.ok(watched.skipped.some((skip) => skip.file === 'src/server/updates.ts' && /symbolic link/.test(skip.reason)), JSON.stringify(watched.skipped));
  });

  it('remembers the file list, and reads the tree again when a file is added, removed or ignored', () => {
    const root = copyOf('onprem-helpdesk');
    scan(root, cached(root));
    // A new file in an existing folder changes that folder's mtime.
    writeFileSync(join(root, 'src', 'server', 'beacon.ts'), "export const beacon = () => fetch('https://beacon.acme-stats.io/hit');\n");
    let warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(warm.findings.some((finding) => finding.file === 'src/server/beacon.ts'), 'the added file was found');
    // An edited .gitignore changes no folder's mtime, but is watched itself.
    writeFileSync(join(root, '.gitignore'), 'src/server/beacon.ts\n');
    warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(!warm.findings.some((finding) => finding.file === 'src/server/beacon.ts'), 'the ignored file is gone');
    rmSync(join(root, '.gitignore'));
    rmSync(join(root, 'src', 'server', 'updates.ts'));
    warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(!warm.findings.some((finding) => finding.file === 'src/server/updates.ts'), 'the removed file is gone');
  });

  it('keeps the file list while only its own files change (.offbox-cache holds no source)', () => {
    const root = copyOf('onprem-helpdesk');
    scan(root, cached(root));
    // A later run, when the cache's directory made by the first scan is old too, lists the tree and
    // keeps the list: that it does so in a journal it starts in .offbox-cache changes no directory listed.
    ageTree(root);
    scan(root, cached(root));
    assert.ok(existsSync(join(root, '.offbox-cache', 'scan.json.journal')));
    assert.ok(cached(root).discovery(root), 'the file list is remembered');
  });

  it('keeps the file list while a cache kept among the sources folds its journal (--cache-location)', () => {
    const root = copyOf('onprem-helpdesk');
    const location = join(root, 'src', 'offbox.json');
    const cache = () => new ScanCache(location, cacheKey(['test']));
    const updates = join(root, 'src', 'server', 'updates.ts');
    const original = readFileSync(updates, 'utf8');
    scan(root, cache());
    writeFileSync(updates, `${original}\n// edit 0\n`);
    scan(root, cache());
    assert.ok(existsSync(`${location}.journal`));
    // A later run lists the tree and keeps the list; the journal it folds stays, emptied.
    ageTree(root);
    for (let edit = 1; edit === 1 || (!isEmpty(`${location}.journal`) && edit <= 40); edit += 1) {
      writeFileSync(updates, `${original}\n// edit ${edit}\n`);
      scan(root, cache());
    }
    assert.ok(isEmpty(`${location}.journal`), 'the journal was folded');
    assert.ok(cache().discovery(root), 'the file list is remembered');
  });
});
