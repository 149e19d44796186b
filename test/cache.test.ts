import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import type { AnalysisJob } from '../src/core/analysis-job';
import { contextFor, runJobs, scanPaths, scanSettings, scanSteps, type ScanResult } from '../src/core/scan';
import { makeDirectories } from '../src/core/files';
import { cacheKey, ScanCache } from '../src/core/scan-cache';
import { cached, copyOf, isEmpty, scan, written } from './helpers/scan-cache';
import { ageTree, tempDir } from './helpers/temp';

const ROOT = join(__dirname, '..');

/**
 * Drives a scan's steps on this thread and, before the first step with a job `when` picks, runs
 * `save` (a file saved while the scan runs): whether it ran, and the result.
 */
function scanSavingDuring(root: string, cache: ScanCache | undefined, when: (job: AnalysisJob) => boolean, save: () => void): { saved: boolean; result: ScanResult } {
  const catalog = loadCatalog();
  const settings = scanSettings({ cwd: root, includeTests: true, cache });
  const steps = scanSteps(['.'], catalog, detectors, settings);
  let saved = false;
  for (let step = steps.next(); ; ) {
    if (step.done) return { saved, result: step.value };
    const { spec, jobs, counted } = step.value;
    if (!saved && jobs.some(when)) {
      save();
      saved = true;
    }
    step = steps.next(runJobs(contextFor(spec, catalog, detectors), jobs, settings, counted));
  }
}

// The cache must never change a result: after every edit, a warm scan equals a scan without it.
describe('the scan cache', () => {
  it('replays every file of an unchanged tree, with the same findings', () => {
    const root = copyOf('onprem-helpdesk');
    const cold = scan(root, cached(root));
    const warm = scan(root, cached(root));
    assert.equal(warm.counts.cached, warm.counts.files);
    assert.equal(warm.counts.parsed, 0);
    assert.deepEqual(written(warm), written(cold));
  });

  it('writes nothing when a scan changed nothing, and journals what a touched file changed', () => {
    const root = copyOf('onprem-helpdesk');
    const location = join(root, '.offbox-cache', 'scan.json');
    scan(root, cached(root));
    const before = readFileSync(location, 'utf8');
    rmSync(location);
    writeFileSync(location, before);
    const stamp = statSync(location).mtimeMs;
    scan(root, cached(root));
    assert.equal(statSync(location).mtimeMs, stamp, 'an unchanged tree leaves the cache file alone');
    assert.equal(existsSync(`${location}.journal`), false);
    // Touched, same content: the entry takes the new mtime, so the next scan need not read it again.
    const license = join(root, 'src', 'server', 'license.ts');
    const later = new Date(Date.now() + 5000);
    utimesSync(license, later, later);
    scan(root, cached(root));
    assert.equal(readFileSync(location, 'utf8'), before, 'one changed entry is a journal line, not a new snapshot');
    const lines = readFileSync(`${location}.journal`, 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((line) => Object.keys(JSON.parse(line).entries)), [[license]]);
    assert.equal(scan(root, cached(root)).counts.cached, scan(root).counts.files);
  });

  it('replays the journal up to a line cut short, and folds it into a new snapshot once it grows', () => {
    const root = copyOf('onprem-helpdesk');
    const location = join(root, '.offbox-cache', 'scan.json');
    const journal = `${location}.journal`;
    scan(root, cached(root));
    const updates = join(root, 'src', 'server', 'updates.ts');
    const original = readFileSync(updates, 'utf8');
    let folded = false;
    for (let edit = 1; edit <= 40 && !folded; edit += 1) {
      writeFileSync(updates, `${original}\nexport const ping${edit} = () => fetch('https://ping${edit}.acme-helpdesk.io');\n`);
      const warm = scan(root, cached(root));
      assert.deepEqual(written(warm), written(scan(root)), `after edit ${edit}`);
      folded = isEmpty(journal);
    }
    assert.ok(folded, 'the journal was folded into the snapshot');
    // A write cut short leaves half a line: what comes before it still counts, the rest is read again.
    writeFileSync(updates, `${original}\nexport const late = () => fetch('https://late.acme-helpdesk.io');\n`);
    scan(root, cached(root));
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}{"key":"`);
    const warm = scan(root, cached(root));
    assert.equal(warm.counts.parsed, 0, JSON.stringify(warm.counts));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(warm.findings.some((finding) => finding.destination.host === 'late.acme-helpdesk.io'));
    // Lines appended after the cut would be glued to it and never read: the next write starts a new snapshot.
    writeFileSync(updates, original);
    scan(root, cached(root));
    assert.ok(isEmpty(journal), 'the journal with a cut line was folded into a new snapshot');
    assert.deepEqual(written(scan(root, cached(root))), written(scan(root)));
  });

  it('re-analyses a changed file, and a file whose imported constant changed elsewhere', () => {
    const root = copyOf('onprem-helpdesk');
    scan(root, cached(root));
    // Another host for the licence server, in config.ts: license.ts reads it.
    const config = join(root, 'src', 'server', 'config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace('licensing.acme-helpdesk.io', 'licensing.acme-new.io'));
    const updates = join(root, 'src', 'server', 'updates.ts');
    writeFileSync(updates, `${readFileSync(updates, 'utf8')}\nexport const ping = () => fetch('https://ping.acme-helpdesk.io');\n`);
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(warm.findings.some((finding) => finding.destination.host === 'licensing.acme-new.io'), 'license.ts saw the new constant');
    assert.ok(warm.findings.some((finding) => finding.destination.host === 'ping.acme-helpdesk.io'));
    assert.ok(warm.counts.cached > 0 && warm.counts.parsed >= 3, JSON.stringify(warm.counts));
  });

  it('starts afresh when the key differs (another version, catalog or options)', () => {
    const root = copyOf('hosted-shipyard');
    scan(root, cached(root));
    const other = scan(root, new ScanCache(join(root, '.offbox-cache', 'scan.json'), cacheKey(['another version'])));
    assert.equal(other.counts.cached, 0);
  });

  it('reads a file again next time when it was saved after the scan read it', () => {
    const root = copyOf('onprem-helpdesk');
    const license = join(root, 'src', 'server', 'license.ts');
    const original = readFileSync(license, 'utf8');
    let saved = false;
    // The user saves license.ts while the scan is still going: after it was read, before the results were stored.
    scanPaths(['.'], loadCatalog(), detectors, {
      cwd: root,
      includeTests: true,
      cache: cached(root),
      onProgress: (done, total) => {
        // Before the last file's job: license.ts (not the last in order) has been read already.
        if (!saved && done === total - 1) {
          saved = true;
          writeFileSync(license, original.replace('${LICENSE_SERVER}/v1/validate', 'https://licensing.acme-moved.io/v1/validate'));
        }
      },
    });
    assert.ok(saved);
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(warm.findings.some((finding) => finding.destination.host === 'licensing.acme-moved.io'), 'the saved version was read');
  });

  it('leaves no stale analysis behind after a cancelled scan', () => {
    const root = copyOf('onprem-helpdesk');
    const cache = cached(root);
    scan(root, cache);
    // license.ts reads its host from config.ts: config.ts changes, and the next scan is cancelled
    // right after config.ts was read, before license.ts could be redone.
    const config = join(root, 'src', 'server', 'config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace('licensing.acme-helpdesk.io', 'licensing.acme-new.io'));
    let looked = 0;
    const cancelled = scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache, isCancelled: () => ++looked > 1 });
    assert.equal(cancelled.cancelled, true);
    // The same cache object, as the extension's scan worker keeps it.
    const next = scan(root, cache);
    assert.deepEqual(written(next), written(scan(root)));
    assert.ok(next.findings.some((finding) => finding.destination.host === 'licensing.acme-new.io'), 'license.ts saw the new constant');
  });

  it('gives its findings when the cache cannot be written, and says why', () => {
    const root = copyOf('onprem-helpdesk');
    // A file where the cache's folder would be made.
    writeFileSync(join(root, 'blocked'), '');
    const cache = new ScanCache(join(root, 'blocked', 'cache', 'scan.json'), cacheKey(['test']));
    const result = scan(root, cache);
    assert.deepEqual(written(result), written(scan(root)));
    assert.match(cache.writeProblem ?? '', /scan\.json cannot be written \(ENOTDIR\)/);
  });
});

describe('making the cache folder', () => {
  it('makes every missing level, and accepts one that exists', () => {
    const root = tempDir('offbox-mkdir-');
    makeDirectories(join(root, 'a', 'b', 'c'));
    makeDirectories(join(root, 'a', 'b', 'c'));
    assert.ok(statSync(join(root, 'a', 'b', 'c')).isDirectory());
  });

  // Node's recursive mkdirSync loops for ever where a parent answers ENOENT to any new entry.
  it('fails, not hangs, where the file system refuses the folder', { skip: !existsSync('/proc/self'), timeout: 5_000 }, () => {
    assert.throws(() => makeDirectories('/proc/offbox-cache/scan'), /ENOENT/);
  });
});

describe('the scan cache and the wrapper rounds', () => {
  const workspace = () => {
    const root = tempDir('offbox-cache-wrappers-');
    cpSync(join(ROOT, 'test', 'fixtures', 'wrapper-call'), root, { recursive: true });
    return root;
  };

  it('remembers that a file does not name a sending member, so an unchanged tree reads no file', () => {
    const root = workspace();
    const cold = scan(root, cached(root));
    // pages/profile.ts imports crm and never names crm.sync: read once for that, then remembered.
    assert.equal(cold.counts.prefiltered, 1);
    const steps = scanSteps(['.'], loadCatalog(), detectors, scanSettings({ cwd: root, includeTests: true, cache: cached(root) }));
    const first = steps.next();
    assert.equal(first.done, true, 'a warm scan of an unchanged tree hands out no job');
    assert.deepEqual(written(first.value as ReturnType<typeof scan>), written(cold));
  });

  it('reads the file again once its content changed, and finds the call it now makes', () => {
    const root = workspace();
    scan(root, cached(root));
    const profile = join(root, 'src', 'pages', 'profile.ts');
    writeFileSync(profile, readFileSync(profile, 'utf8').replace('return crm.format(name);', 'void crm.sync(name);\n  return crm.format(name);'));
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(warm.findings.some((finding) => finding.file.endsWith('profile.ts') && finding.ruleId === 'wrapper-call'));
  });

  // Later rounds look at a deferred file again only for keys that changed, except a file found saved
  // since it was first read: it is weighed against every key with what it now imports, in every round.
  it('weighs a file saved during the scan against every key with what it now imports', () => {
    const root = workspace();
    const profile = join(root, 'src', 'pages', 'profile.ts');
    // relay wraps a wrapper known after the first pass (a sink from the first round on), relayAgain wraps relay (from the second).
    writeFileSync(join(root, 'src', 'lib', 'relay.ts'), "import { sendDiscordNotification } from './notify';\n\nexport function relay(text: string) {\n  return sendDiscordNotification(text);\n}\n");
    writeFileSync(join(root, 'src', 'lib', 'relay-again.ts'), "import { relay } from './relay';\n\nexport function relayAgain(text: string) {\n  return relay(text);\n}\n");
    // The round that reads profile.ts for `sync`: it is saved first, now calling a wrapper known only
    // two rounds later.
    const { saved, result } = scanSavingDuring(root, cached(root), (job) => job.path === profile && job.mustMention !== undefined, () =>
      writeFileSync(profile, "import { crm } from '../lib/crm';\nimport { relayAgain } from '../lib/relay-again';\n\nexport function displayName(name: string) {\n  relayAgain(name);\n  return crm.format(name);\n}\n"),
    );
    assert.ok(saved, 'a round read profile.ts for the member it names');
    const calls = result.findings.filter((finding) => finding.file.endsWith('profile.ts') && finding.ruleId === 'wrapper-call').map((finding) => finding.api);
    assert.deepEqual(calls, ['relayAgain']);
    assert.deepEqual(written(result), written(scan(root)));
  });
});

// A file a round analyses for its wrapper calls alone (it imports no client) may have been saved since
// it was first read, now importing one: the next round redoes it with the client followed.
describe('a file saved during the scan to import a client', () => {
  it('is redone with the client followed, as a fresh scan reads it', () => {
    const root = tempDir('offbox-rounds-client-');
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    mkdirSync(join(root, 'src', 'pages'), { recursive: true });
    writeFileSync(join(root, 'src', 'lib', 'analytics.ts'), "import posthog from 'posthog-js';\n\nexport const ph = posthog;\n\nexport function track(event: string) {\n  posthog.capture(event);\n}\n");
    const page = join(root, 'src', 'pages', 'page.ts');
    writeFileSync(page, "import { track } from '../lib/analytics';\n\nexport function go() {\n  track('visit');\n}\n");
    const { saved, result } = scanSavingDuring(root, undefined, (job) => job.path === page && job.linksOnly === true, () =>
      writeFileSync(page, "import { track, ph } from '../lib/analytics';\n\nexport function go() {\n  track('visit');\n  ph.capture('signup');\n}\n"),
    );
    assert.ok(saved, 'a round analysed page.ts for its wrapper calls alone');
    assert.ok(result.findings.some((finding) => finding.file.endsWith('page.ts') && finding.ruleId === 'sdk-call'));
    assert.deepEqual(written(result), written(scan(root)));
  });
});

// A process that scans again (--watch, the extension's worker) keeps its cache, and so the same analysis
// objects, between scans; the wrapper index reuses a wrapper finding only when nothing it was made from changed.
describe('a process that scans again with the same cache', () => {
  it('gives the wrapper finding a changed barrel now leads to, as a fresh scan does', () => {
    const root = tempDir('offbox-cache-barrel-');
    mkdirSync(join(root, 'src'));
    writeFileSync(
      join(root, 'src', 'a.ts'),
      "export function send(body: string) {\n  return fetch('https://api.alpha-metrics.io/in', { method: 'POST', body });\n}\nexport function other(body: string) {\n  return fetch('https://api.beta-metrics.io/in', { method: 'POST', body });\n}\n",
    );
    const barrel = join(root, 'src', 'b.ts');
    writeFileSync(barrel, "export { send as track } from './a';\n");
    writeFileSync(join(root, 'src', 'c.ts'), "import { track } from './b';\nexport function go(email: string) {\n  return track(email);\n}\n");
    const cache = new ScanCache(join(root, '.offbox-cache', 'scan.json'), cacheKey(['test']), { writeBehind: true });
    const hostsOf = (result: ReturnType<typeof scan>) => result.findings.filter((finding) => finding.ruleId === 'wrapper-call').map((finding) => finding.destination.host);
    const first = scan(root, cache);
    assert.deepEqual(hostsOf(first), ['api.alpha-metrics.io']);
    const again = scan(root, cache);
    assert.deepEqual(written(again), written(first));
    writeFileSync(barrel, "export { other as track } from './a';\n");
    const changed = scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache, changedPaths: new Set([barrel]) });
    assert.deepEqual(hostsOf(changed), ['api.beta-metrics.io']);
    assert.deepEqual(written(changed), written(scan(root)));
  });
});

// How an import resolves depends on the tree: a file added can take priority or make an import resolve
// at all, and tsconfig's paths can point elsewhere. A cached analysis that looked imports up is redone
// when the tree changed, as a fresh scan would read it.
describe('the cache redoes analyses whose imports may now resolve elsewhere', () => {
  /** A tree whose directories are old enough for the cache to keep its discovery, as in a real checkout. */
  function tree(files: Record<string, string>): string {
    const root = tempDir('offbox-resolve-');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    ageTree(root);
    return root;
  }
  const send = "import { TRACK_URL } from '@cfg';\nexport const track = (email: string) => fetch(TRACK_URL, { method: 'POST', body: email });\n";
  const hosts = (result: ReturnType<typeof scan>) => result.findings.map((finding) => finding.destination.host ?? finding.destination.kind).sort();

  it('an import that did not resolve, once its module is added', () => {
    const root = tree({ 'src/app.ts': send.replace('@cfg', './config'), 'src/other.ts': 'export const x = 1;\n' });
    scan(root, cached(root));
    writeFileSync(join(root, 'src', 'config.ts'), "export const TRACK_URL = 'https://telemetry.acme-corp.io/t';\n");
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(hosts(warm).includes('telemetry.acme-corp.io'), JSON.stringify(hosts(warm)));
  });

  it('a file added that takes priority over the directory index it resolved to', () => {
    const root = tree({
      'src/app.ts': send.replace('@cfg', './config'),
      'src/config/index.ts': "export const TRACK_URL = 'https://old.acme-corp.io/t';\n",
    });
    scan(root, cached(root));
    writeFileSync(join(root, 'src', 'config.ts'), "export const TRACK_URL = 'https://new.acme-corp.io/t';\n");
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(hosts(warm).includes('new.acme-corp.io'), JSON.stringify(hosts(warm)));
  });

  it("tsconfig's paths pointed at another module", () => {
    const root = tree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@cfg': ['src/a.ts'] } } }),
      'src/app.ts': send,
      'src/a.ts': "export const TRACK_URL = 'https://a.acme-corp.io/t';\n",
      'src/b.ts': "export const TRACK_URL = 'https://b.acme-corp.io/t';\n",
    });
    scan(root, cached(root));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@cfg': ['src/b.ts'] } } }));
    const warm = scan(root, cached(root));
    assert.deepEqual(written(warm), written(scan(root)));
    assert.ok(hosts(warm).includes('b.acme-corp.io'), JSON.stringify(hosts(warm)));
  });
});
