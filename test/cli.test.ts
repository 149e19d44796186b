import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from './helpers/formats';
import { tempDir } from './helpers/temp';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'offbox.js');
const EXAMPLE = join(ROOT, 'examples', 'onprem-helpdesk');

function offbox(args: string[], cwd = ROOT) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('offbox scan (the built CLI)', () => {
  it('prints findings grouped by file with a summary by vendor and category', () => {
    const { code, stdout } = offbox(['scan', 'examples/onprem-helpdesk']);
    assert.equal(code, 1, 'the example breaks its on-prem promise, so the default --fail-on error fails');
    assert.match(stdout, /Privacy mode: on-prem \(examples\/onprem-helpdesk\/privacy\.json\)/);
    assert.match(stdout, /\[on-prem\/licence-check\]/);
    assert.match(stdout, /examples\/onprem-helpdesk\/src\/server\/license\.ts/);
    assert.match(stdout, /By vendor: .*PostHog/);
    assert.match(stdout, /By category: /);
  });

  it('writes JSON with every finding, its level and the summary', () => {
    const { code, stdout } = offbox(['scan', EXAMPLE, '--format', 'json', '--fail-on', 'none']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.summary.findings, report.findings.length);
    const kinds = new Set(report.findings.map((finding: { kind: string }) => finding.kind));
    for (const kind of ['network', 'sdk', 'resource', 'cookie', 'shell', 'wrapper']) assert.ok(kinds.has(kind), `no ${kind} finding in the example`);
    for (const finding of report.findings) {
      assert.match(finding.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(['error', 'warning', 'note'].includes(finding.level));
    }
  });

  it('writes SARIF 2.1.0 that validates against the official schema', () => {
    const output = join(tempDir('offbox-'), 'out.sarif');
    const { code, stderr } = offbox(['scan', 'examples/airgapped-chat', '--format', 'sarif', '--output', output, '--fail-on', 'none']);
    assert.equal(code, 0, stderr);
    const log = JSON.parse(readFileSync(output, 'utf8'));
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The official schema's language pattern is not valid with the `u` flag Ajv uses by default.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid: boolean = validate(log) as boolean;
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = log.runs[0];
    assert.ok(run.tool.driver.rules.every((rule: { help: { markdown: string }; shortDescription: { text: string } }) => rule.help.markdown.length > 100 && rule.shortDescription.text));
    type Result = { ruleId: string; level: string; properties: Record<string, unknown>; suppressions?: Array<{ kind: string; justification: string }>; partialFingerprints: Record<string, string> };
    const results = run.results as Result[];
    const push = results.find((result) => result.properties.host === 'gateway.acme-chat.io')!;
    assert.equal(push.level, 'error');
    assert.equal(push.properties.verdict, 'air-gapped/nothing-leaves');
    assert.deepEqual(Object.keys(push.partialFingerprints), ['offbox/v1']);
    const guarded = results.find((result) => result.properties.verdict === 'air-gapped/guarded')!;
    assert.equal(guarded.level, 'note', 'allowed findings stay in the inventory as notes');
    const suppressed = results.find((result) => result.properties.host === 'docs.acme-chat.io')!;
    assert.deepEqual(suppressed.suppressions, [{ kind: 'inSource', justification: "the link checker runs only in Acme's own CI, never in a shipped build" }]);
    // Its fix, as a viewer applies it: ` -- <reason>` inserted after the rule id (an empty region).
    const unjustified = results.find((result) => result.ruleId === 'unjustified-suppression') as Result & { fixes?: unknown };
    assert.deepEqual(unjustified.fixes, [
      {
        description: { text: 'Add a reason to this offbox-ignore comment' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'examples/airgapped-chat/src/server/cloud.ts', uriBaseId: 'SRCROOT' },
            replacements: [{ deletedRegion: { startLine: 48, startColumn: 42, endLine: 48, endColumn: 42 }, insertedContent: { text: ' -- <reason>' } }],
          },
        ],
      },
    ]);
    // The on-prem example, in SARIF too, has findings of all five kinds of send and a wrapper.
    const onPrem = join(tempDir('offbox-'), 'onprem.sarif');
    offbox(['scan', 'examples/onprem-helpdesk', '--format', 'sarif', '--output', onPrem, '--fail-on', 'none']);
    const onPremLog = JSON.parse(readFileSync(onPrem, 'utf8'));
    assert.ok(validate(onPremLog) as boolean, JSON.stringify(validate.errors?.slice(0, 3)));
    const kinds = new Set(onPremLog.runs[0].results.map((result: Result) => result.properties.kind));
    for (const kind of ['network', 'sdk', 'resource', 'cookie', 'shell', 'wrapper']) assert.ok(kinds.has(kind), kind);
  });

  it('exits 1 when a finding reaches --fail-on', () => {
    assert.equal(offbox(['scan', EXAMPLE, '--fail-on', 'warning', '--format', 'json']).code, 1);
    assert.equal(offbox(['scan', EXAMPLE, '--fail-on', 'none', '--format', 'json']).code, 0);
  });

  it('judges by --mode when asked, and says when there is no privacy.json', () => {
    const directory = tempDir('offbox-mode-');
    writeFileSync(join(directory, 'app.ts'), "import posthog from 'posthog-js';\nposthog.capture('x');\n");
    const inventory = offbox(['scan', directory]);
    assert.equal(inventory.code, 0);
    assert.match(inventory.stdout, /No privacy\.json: this is an inventory/);
    const judged = offbox(['scan', directory, '--mode', 'air-gapped', '--format', 'json']);
    assert.equal(judged.code, 1);
    assert.deepEqual(JSON.parse(judged.stdout).findings.map((finding: { verdict: { rule: string } }) => finding.verdict.rule), ['air-gapped/nothing-leaves']);
  });

  it('fails only on findings that are not in the --baseline', () => {
    const directory = tempDir('offbox-baseline-');
    writeFileSync(join(directory, 'privacy.json'), '{ "mode": "on-prem" }');
    writeFileSync(join(directory, 'app.ts'), "export function a() { fetch('https://stats.acme-tools.io/a'); }\n");
    const baseline = join(directory, 'baseline.sarif');
    assert.equal(offbox(['scan', directory, '--format', 'sarif', '--output', baseline]).code, 1);
    // A line moved and an unrelated edit keep the fingerprint; only the new call fails the run.
    writeFileSync(join(directory, 'app.ts'), "// moved\n\nexport function a() {\n  fetch('https://stats.acme-tools.io/a');\n}\n");
    assert.equal(offbox(['scan', directory, '--baseline', baseline]).code, 0);
    writeFileSync(join(directory, 'app.ts'), "export function a() { fetch('https://stats.acme-tools.io/a'); }\nexport function b() { fetch('https://stats.acme-tools.io/b'); }\n");
    const run = offbox(['scan', directory, '--baseline', baseline, '--format', 'json']);
    assert.equal(run.code, 1);
    const states = JSON.parse(run.stdout).findings.map((finding: { baselineState: string }) => finding.baselineState);
    assert.deepEqual(states, ['unchanged', 'new']);
  });

  it('writes a starter privacy.json with init, and refuses to overwrite one', () => {
    const directory = tempDir('offbox-init-');
    writeFileSync(join(directory, 'app.ts'), "import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nexport const c = (email: string) => stripe.customers.create({ email });\n");
    const first = offbox(['init', directory]);
    assert.equal(first.code, 0, first.stderr);
    const written = JSON.parse(readFileSync(join(directory, 'privacy.json'), 'utf8'));
    assert.equal(written.mode, 'hosted');
    assert.deepEqual(written.thirdParties, [{ vendor: 'Stripe', purpose: 'payments', data: ['email'] }]);
    const again = offbox(['init', directory]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists already/);
    assert.equal(offbox(['scan', directory]).code, 0, 'the starter config accepts what the scan found');
  });

  it('writes no privacy.json through a symbolic link or onto a folder, even with --force', () => {
    const directory = tempDir('offbox-init-');
    const outside = join(tempDir('offbox-init-outside-'), 'target.json');
    symlinkSync(outside, join(directory, 'privacy.json'));
    const linked = offbox(['init', directory, '--force']);
    assert.equal(linked.code, 2);
    assert.match(linked.stderr, /privacy\.json is a symbolic link; Offbox does not write through one/);
    assert.equal(existsSync(outside), false);
    rmSync(join(directory, 'privacy.json'));
    mkdirSync(join(directory, 'privacy.json'));
    const folder = offbox(['init', directory, '--force']);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /privacy\.json is a folder/);
  });

  it('writes the disclosure table of every third party', () => {
    const { code, stdout } = offbox(['disclose', 'examples/hosted-shipyard']);
    assert.equal(code, 0);
    assert.match(stdout, /\| Third party \| Category \| Purpose \| Personal data \| Where \|/);
    assert.match(stdout, /\| HubSpot \| marketing \| marketing \| email, name, phone \|/);
    assert.match(stdout, /\| Stripe \| payments \| payments \| email, user-id \|/);
    assert.match(stdout, /## Destinations configured at run time[\s\S]*param:hookUrl/);
  });

  it('reports a malformed privacy.json with file, line and what to write, and exits 2', () => {
    const directory = tempDir('offbox-config-');
    writeFileSync(join(directory, 'app.ts'), '');
    writeFileSync(join(directory, 'privacy.json'), '{\n  "mode": "onprem"\n}\n');
    const unknownMode = offbox(['scan', directory]);
    assert.equal(unknownMode.code, 2);
    assert.match(unknownMode.stderr, /privacy\.json:2:11: "mode" is "onprem", which is not allowed: it must be one of "air-gapped", "on-prem", "hosted"\. Write for example: "mode": "on-prem"/);
    writeFileSync(join(directory, 'privacy.json'), '{ "mode": "hosted", "thirdParties": "Stripe" }');
    assert.match(offbox(['scan', directory]).stderr, /"thirdParties" must be an array, not a string\. Write for example: "thirdParties": \[/);
    writeFileSync(join(directory, 'privacy.json'), '{ "mode": "hosted",, }');
    assert.match(offbox(['scan', directory]).stderr, /privacy\.json:1:20: is not valid JSON: value expected/);
  });

  it('names a file given alone by its path, as a scan of its folder does', () => {
    const file = 'examples/onprem-helpdesk/src/server/monitoring.ts';
    const whole = JSON.parse(offbox(['scan', 'examples/onprem-helpdesk', '--format', 'json', '--fail-on', 'none']).stdout);
    for (const written of [file, `./${file}`, join(ROOT, file)]) {
      const alone = JSON.parse(offbox(['scan', written, '--format', 'json', '--fail-on', 'none']).stdout);
      assert.ok(alone.findings.length > 0);
      assert.deepEqual(new Set(alone.findings.map((finding: { file: string }) => finding.file)), new Set([file]), written);
      // At the places the folder's scan finds them in that file.
      const places = (report: { findings: Array<{ file: string; ruleId: string; range: unknown }> }) => report.findings.filter((finding) => finding.file === file).map(({ ruleId, range }) => JSON.stringify({ ruleId, range }));
      for (const place of places(alone)) assert.ok(places(whole).includes(place), place);
    }
  });

  it('says so when there is nothing to scan, or the baseline holds no Offbox fingerprint', () => {
    const nothing = offbox(['scan', EXAMPLE, '--exclude', '**', '--fail-on', 'none']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stderr, /no JavaScript or TypeScript file to scan in .*onprem-helpdesk; check the paths and any --exclude/);
    const directory = tempDir('offbox-other-sarif-');
    const other = join(directory, 'eslint.sarif');
    writeFileSync(other, JSON.stringify({ runs: [{ results: [{ ruleId: 'no-undef' }, { ruleId: 'no-unused-vars' }] }] }));
    const run = offbox(['scan', EXAMPLE, '--baseline', other, '--fail-on', 'none']);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /eslint\.sarif holds 2 findings but no Offbox fingerprint \(another tool's report\?\): every finding counts as new/);
  });

  it('names a pipe or a device given as a path for what it is', () => {
    const report = JSON.parse(offbox(['scan', '/dev/null', '--format', 'json', '--fail-on', 'none']).stdout);
    assert.deepEqual(report.skipped, [{ file: relative(ROOT, '/dev/null'), reason: 'not a file or folder to scan (a device)' }]);
  });

  it('reports each finding once when the paths given overlap', () => {
    const once = JSON.parse(offbox(['scan', '.', '--format', 'json', '--fail-on', 'none'], EXAMPLE).stdout);
    for (const paths of [['.', '.'], ['.', EXAMPLE], ['.', 'src/server'], ['src/server', '.']]) {
      const report = JSON.parse(offbox(['scan', ...paths, '--format', 'json', '--fail-on', 'none'], EXAMPLE).stdout);
      const keys = (findings: Array<{ fingerprint: string; file: string }>) => findings.map((finding) => `${finding.file} ${finding.fingerprint}`).sort();
      assert.equal(report.summary.files, once.summary.files, paths.join(' '));
      assert.equal(new Set(keys(report.findings)).size, report.findings.length, `no finding twice: ${paths.join(' ')}`);
      assert.deepEqual(keys(report.findings), keys(once.findings), paths.join(' '));
    }
  });

  it('names a file given that is no source as skipped, and scans the others given', () => {
    const run = offbox(['scan', 'README.md', join('examples', 'onprem-helpdesk', 'src', 'server', 'license.ts'), '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.skipped, [{ file: 'README.md', reason: 'not a JavaScript or TypeScript file (.ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx)' }]);
    assert.ok(report.findings.length > 0);
  });

  it('reports a cache it cannot write, after a complete report', { timeout: 20_000 }, () => {
    const directory = tempDir('offbox-cli-cache-');
    writeFileSync(join(directory, 'blocked'), '');
    const run = offbox(['scan', EXAMPLE, '--format', 'json', '--fail-on', 'none', '--cache-location', join(directory, 'blocked', 'scan.json')]);
    assert.equal(run.code, 0);
    assert.equal(JSON.parse(run.stdout).findings.length, JSON.parse(offbox(['scan', EXAMPLE, '--format', 'json', '--fail-on', 'none']).stdout).findings.length);
    assert.match(run.stderr, /the cache was not written: .*blocked.scan\.json cannot be written \(ENOTDIR\)/);
  });

  // bin/offbox.js starts a worker for a cold scan before it knows the options are good: the worker
  // must neither keep the process alive nor be waited for.
  it('exits at once on a usage error after starting its worker', () => {
    for (const bad of [['--mode', 'bogus'], ['--format', 'xml'], ['--baseline', 'missing.json']]) {
      const run = spawnSync(process.execPath, [BIN, 'scan', EXAMPLE, ...bad], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
      assert.equal(run.signal, null, `${bad.join(' ')} ended by the timeout`);
      assert.equal(run.status, 2, bad.join(' '));
    }
  });

  it('exits 2 with a clear message on bad usage', () => {
    const badFormat = offbox(['scan', '.', '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of text, json, sarif/);
    for (const level of ['high', 'constructor', 'toString']) {
      const badLevel = offbox(['scan', '.', '--fail-on', level]);
      assert.equal(badLevel.code, 2, level);
      assert.match(badLevel.stderr, /--fail-on must be one of/);
    }
    const missing = offbox(['scan', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/dir cannot be read: ENOENT/);
    // However the path is written: absolute, or with `./` and a trailing slash.
    for (const path of [join(ROOT, 'no', 'such', 'dir'), './no/such/dir/']) {
      const written = offbox(['scan', path]);
      assert.equal(written.code, 2, path);
      assert.ok(written.stderr.includes(`${path} cannot be read: ENOENT`), written.stderr);
    }
    assert.equal(offbox(['frobnicate']).code, 2);
    for (const [args, message] of [
      [['init', '.', '--format', 'json'], /--format does nothing for 'init'/],
      [['disclose', '.', '--verbose'], /--verbose does nothing for 'disclose'/],
      [['disclose', '.', '--fail-on', 'note', '--baseline', 'x.json'], /--fail-on, --baseline do nothing for 'disclose'/],
      [['scan', '.', '--force'], /--force does nothing for 'scan'/],
      [['init', 'a', 'b'], /give one path, not 2/],
    ] as const) {
      const run = offbox([...args]);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
    for (const [option, message] of [
      [['--baseline', ''], /--baseline was given an empty value/],
      [['--output', ''], /--output was given an empty value/],
      [['--exclude', ''], /--exclude was given an empty value/],
      [['--jobs', '10000'], /--jobs takes at most 64 worker threads/],
    ] as const) {
      const run = offbox(['scan', EXAMPLE, ...option]);
      assert.equal(run.code, 2, option.join(' '));
      assert.match(run.stderr, message);
    }
    assert.equal(offbox(['scan', '--bogus']).code, 2);
    // --watch does not start watching on bad options: it exits 2 as a single scan would.
    const badWatch = offbox(['scan', 'examples/onprem-helpdesk', '--watch', '--format', 'xml']);
    assert.equal(badWatch.code, 2);
    assert.match(badWatch.stderr, /--format must be one of text, json, sarif/);
    const badJobs = offbox(['scan', '.', '--jobs', 'many']);
    assert.equal(badJobs.code, 2);
    assert.match(badJobs.stderr, /--jobs takes a number of worker threads, such as 4/);
  });

  it('gives the same report with any --jobs', () => {
    const [none, one, four] = ['0', '1', '4'].map((jobs) => offbox(['scan', 'examples/hosted-shipyard', '--format', 'json', '--jobs', jobs, '--fail-on', 'none']));
    assert.equal(none.code, 0);
    assert.deepEqual(JSON.parse(one.stdout).findings, JSON.parse(none.stdout).findings);
    assert.deepEqual(JSON.parse(four.stdout).findings, JSON.parse(none.stdout).findings);
  });

  it('says how many files it skipped and why', () => {
    const directory = tempDir('offbox-skip-');
    writeFileSync(join(directory, 'binary.js'), Buffer.from([0x66, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00]));
    writeFileSync(join(directory, 'app.test.ts'), "fetch('https://api.acme-tools.io')");
    const { code, stdout } = offbox(['scan', directory, '--verbose']);
    assert.equal(code, 0);
    assert.match(stdout, /Skipped: .*1 binary content/);
    assert.match(stdout, /app\.test\.ts: test file \(use --include-tests\)/);
  });

  it('--watch scans again after each change, from its cache, until Ctrl+C', async () => {
    const root = tempDir('offbox-watch-');
    cpSync(EXAMPLE, root, { recursive: true });
    // Outside the watched tree, so writing it starts no scan.
    const report = join(tempDir('offbox-watch-report-'), 'report.json');
    const child = spawn(process.execPath, [BIN, 'scan', root, '--watch', '--format', 'json', '--output', report], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    const scans = () => (stderr.match(/watching for changes/g) ?? []).length;
    const until = (count: number) =>
      new Promise<void>((done, fail) => {
        const timeout = setTimeout(() => fail(new Error(`no scan ${count} after 15 s:\n${stderr}`)), 15_000);
        const check = () => {
          if (scans() < count) return;
          clearTimeout(timeout);
          child.stderr.off('data', check);
          done();
        };
        child.stderr.on('data', check);
        check();
      });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const hosts = () => JSON.parse(readFileSync(report, 'utf8')).findings.map((finding: { destination: { host?: string } }) => finding.destination.host);
    try {
      await until(1);
      assert.match(stderr, /scanned 8 files \(0 from the cache\)/);
      // A send added to a file, then a new file in a new folder: each is found by the next scan.
      writeFileSync(join(root, 'src', 'server', 'updates.ts'), `${readFileSync(join(root, 'src', 'server', 'updates.ts'), 'utf8')}\nexport const beacon = () => fetch('https://beacon.acme-stats.io/hit');\n`);
      await until(2);
      assert.ok(hosts().includes('beacon.acme-stats.io'), stderr);
      assert.match(stderr, /scanned 8 files \(7 from the cache\)/);
      // A new folder (with a dot in its name), then a file in it right away.
      mkdirSync(join(root, 'src', 'api.v2'));
      writeFileSync(join(root, 'src', 'api.v2', 'ping.ts'), "export const ping = () => fetch('https://ping.acme-stats.io/');\n");
      for (let waited = 0; !hosts().includes('ping.acme-stats.io'); waited += 100) {
        assert.ok(waited < 15_000, `the new folder's file was not found:\n${stderr}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    } finally {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    }
  });
});

// A long watch whose cache cannot be written said so after every scan.
describe('offbox scan --watch with a cache it cannot write', () => {
  it('says so once, and goes on scanning', async () => {
    const root = tempDir('offbox-watch-');
    cpSync(EXAMPLE, root, { recursive: true });
    const blocker = join(tempDir('offbox-watch-cache-'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const child = spawn(process.execPath, [BIN, 'scan', root, '--watch', '--format', 'json', '--output', join(tempDir('offbox-watch-report-'), 'report.json'), '--cache-location', join(blocker, 'scan.json')], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const until = async (count: number) => {
      for (let waited = 0; (stderr.match(/watching for changes/g) ?? []).length < count; waited += 100) {
        assert.ok(waited < 15_000, `no scan ${count}:\n${stderr}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    };
    try {
      await until(1);
      writeFileSync(join(root, 'src', 'server', 'updates.ts'), `${readFileSync(join(root, 'src', 'server', 'updates.ts'), 'utf8')}\nexport const x = 1;\n`);
      await until(2);
      assert.equal((stderr.match(/the cache could not be written/g) ?? []).length, 1, stderr);
    } finally {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    }
  });
});

// bin/offbox.js loads the bundle with the V8 code cache the build made for it; the report must not
// depend on it, and a cache V8 rejects (another Node, damaged) must only cost the compile.
describe('the CLI with and without its code cache', () => {
  it('the build made a code cache for this exact bundle', () => {
    assert.equal(readdirSync(join(ROOT, 'dist')).filter((name) => /^cli\.[0-9a-f]{16}\.v8cache$/.test(name)).length, 1);
  });

  it('gives the same report with the cache, without it, and with a damaged one', () => {
    const reference = offbox(['scan', EXAMPLE, '--format', 'json', '--fail-on', 'none']);
    assert.equal(reference.code, 0);
    const cache = readdirSync(join(ROOT, 'dist')).find((name) => name.endsWith('.v8cache'))!;
    for (const variant of ['none', 'damaged'] as const) {
      // A copy of the checkout's entry and bundle, with node_modules beside them as in a checkout.
      const copy = tempDir('offbox-codecache-');
      mkdirSync(join(copy, 'bin'));
      mkdirSync(join(copy, 'dist'));
      cpSync(BIN, join(copy, 'bin', 'offbox.js'));
      cpSync(join(ROOT, 'dist', 'cli.js'), join(copy, 'dist', 'cli.js'));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      if (variant === 'damaged') writeFileSync(join(copy, 'dist', cache), Buffer.from('not a code cache'));
      const run = spawnSync(process.execPath, [join(copy, 'bin', 'offbox.js'), 'scan', EXAMPLE, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout).findings, JSON.parse(reference.stdout).findings, variant);
    }
  });
});

// Files a user points Offbox at are read only as regular files of a bounded size: a named pipe would
// block the read for ever, /dev/zero fill memory, and a repository can hold a link to either.
describe('the CLI reads only regular files where it is pointed', () => {
  const pointed = () => {
    const directory = tempDir('offbox-pointed-');
    cpSync(EXAMPLE, join(directory, 'product'), { recursive: true });
    spawnSync('mkfifo', [join(directory, 'pipe')]);
    return directory;
  };

  it('refuses a privacy.json, a --config or a --baseline that is a pipe or a device, naming it', { timeout: 20_000 }, () => {
    const directory = pointed();
    const product = join(directory, 'product');
    rmSync(join(product, 'privacy.json'));
    symlinkSync('/dev/zero', join(product, 'privacy.json'));
    const linked = offbox(['scan', product]);
    assert.equal(linked.code, 2);
    assert.match(linked.stderr, /privacy\.json:1:1: is not a regular file \(a device\)/);
    const config = offbox(['scan', EXAMPLE, '--config', join(directory, 'pipe')]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /pipe:1:1: is not a regular file \(a named pipe\)/);
    const baseline = offbox(['scan', EXAMPLE, '--baseline', join(directory, 'pipe')]);
    assert.equal(baseline.code, 2);
    assert.match(baseline.stderr, /pipe is not a regular file \(a named pipe\)/);
  });

  it('reports a policy document that is a pipe, for scan and disclose alike', { timeout: 20_000 }, () => {
    const directory = pointed();
    const product = join(directory, 'product');
    const config = JSON.parse(readFileSync(join(product, 'privacy.json'), 'utf8'));
    writeFileSync(join(product, 'privacy.json'), JSON.stringify({ ...config, policy: '../pipe' }));
    for (const command of ['scan', 'disclose']) {
      const run = offbox([command, product, ...(command === 'scan' ? ['--fail-on', 'none'] : [])]);
      assert.equal(run.code, 0, command);
      assert.match(run.stderr, /The policy document .*pipe named in .*privacy\.json is not a regular file \(a named pipe\)/, command);
    }
  });

  it('leaves a file that is no cache as it is when given as --cache-location', { timeout: 20_000 }, () => {
    const directory = pointed();
    const source = join(directory, 'product', 'src', 'server', 'license.ts');
    const before = readFileSync(source, 'utf8');
    for (const location of [source, join(directory, 'pipe')]) {
      const run = offbox(['scan', join(directory, 'product'), '--fail-on', 'none', '--cache-location', location]);
      assert.equal(run.code, 0);
      assert.match(run.stderr, /the cache was not written: .*(holds something other than an Offbox cache|is not a regular file \(a named pipe\))/);
    }
    assert.equal(readFileSync(source, 'utf8'), before);
  });
});

describe('the CLI on an error of its own', () => {
  it('exits 2 with the error, never 1, which CI reads as findings', async () => {
    const { main } = await import('../src/cli/main');
    let errors = '';
    const failingOutput = () => {
      throw new Error('the output went away');
    };
    const code = await main(['scan', EXAMPLE, '--jobs', '0'], failingOutput, (text) => (errors += text), ROOT);
    assert.equal(code, 2);
    assert.match(errors, /^offbox: internal error \(the output went away\); please report it/);
  });
});
