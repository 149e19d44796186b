import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { readPolicyDocument } from '../src/core/policy-document';
import { applyPolicy } from '../src/core/policy-run';
import { loadPrivacyConfig } from '../src/core/privacy-config';
import { scanPaths } from '../src/core/scan';
import { tempDir } from './helpers/temp';

function workspace(files: Record<string, string>): string {
  const root = tempDir('offbox-policy-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function judged(root: string) {
  const { config, problems } = loadPrivacyConfig(join(root, 'privacy.json'));
  assert.deepEqual(problems, []);
  const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: root });
  return applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: root }).findings.map((finding) => `${finding.file} ${finding.verdict?.rule ?? finding.ruleId}`);
}

const SEND = "export const f = () => fetch('https://stats.acme-tools.io/usage');\n";

describe('applying privacy.json to a scan', () => {
  it('gives files matching an override their own mode', () => {
    const root = workspace({
      'privacy.json': '{ "mode": "on-prem", "overrides": [{ "files": ["apps/cloud/**"], "mode": "hosted" }] }',
      'apps/cloud/a.ts': SEND,
      'apps/server/a.ts': SEND,
    });
    assert.deepEqual(judged(root), ['apps/cloud/a.ts hosted/undisclosed-third-party', 'apps/server/a.ts on-prem/vendor-cloud']);
  });

  it('drops ignored files and internal hosts (globs and IPv4 ranges)', () => {
    const root = workspace({
      'privacy.json': '{ "mode": "air-gapped", "ignore": ["scripts/dev/**"], "internalHosts": ["*.corp.acme.net", "100.64.0.0/10"] }',
      'scripts/dev/seed.ts': SEND,
      'src/a.ts': "export const a = () => fetch('https://ldap.corp.acme.net/x');\nexport const b = () => fetch('http://100.64.12.1/x');\nexport const c = () => fetch('http://100.128.0.1/x');\n",
    });
    assert.deepEqual(judged(root), ['src/a.ts air-gapped/nothing-leaves']);
  });

  it('expands braces in ignore and override globs', () => {
    const root = workspace({
      'privacy.json': '{ "mode": "on-prem", "ignore": ["scripts/{dev,seed}/**"], "overrides": [{ "files": ["apps/{cloud,web}/**"], "mode": "hosted" }] }',
      'scripts/dev/a.ts': SEND,
      'scripts/seed/a.ts': SEND,
      'apps/cloud/a.ts': SEND,
      'apps/web/a.ts': SEND,
      'apps/server/a.ts': SEND,
    });
    assert.deepEqual(judged(root), ['apps/cloud/a.ts hosted/undisclosed-third-party', 'apps/server/a.ts on-prem/vendor-cloud', 'apps/web/a.ts hosted/undisclosed-third-party']);
  });
});

describe('a policy document in HTML', () => {
  const read = (html: string) => {
    const path = join(tempDir('offbox-policy-'), 'policy.html');
    writeFileSync(path, html);
    const document = readPolicyDocument(path, 'policy.html');
    assert.ok(!('error' in document), JSON.stringify(document));
    return document.text;
  };

  it('is read as its prose: no scripts, styles or tags', () => {
    const text = read('<head><style>p { color: red }</style><SCRIPT>const v = "Segment";</SCRIPT></head><p>We use <b>Google&amp;Analytics</b> and a < b Sentry.');
    assert.equal(text.replace(/\s+/g, ' ').trim(), 'We use Google&Analytics and a < b Sentry.');
    assert.equal(read('<p>Mixpanel</p><script>Intercom').replace(/\s+/g, ' ').trim(), 'Mixpanel Intercom');
    // A `<` in the text opens no tag, so a script after it stays a script.
    assert.equal(read('a < b <style>Segment</style> c <> d').replace(/\s+/g, ' ').trim(), 'a < b c <> d');
  });

  // Regular expressions for the same took over 20 s on 1.2 MB of unclosed `<script>` tags.
  it('of a megabyte of unclosed tags is read in one pass', { timeout: 10_000 }, () => {
    assert.equal(read('<script>'.repeat(150_000)).trim(), '');
    assert.equal(read('<'.repeat(1_500_000)).length, 1_500_000);
  });
});

describe('privacy.json from an untrusted repository is data only', () => {
  it('refuses a huge or deeply nested file with a clear message', () => {
    const huge = loadPrivacyConfig('privacy.json', `{ "mode": "hosted", "ignore": [${'"x",'.repeat(300_000)}"y"] }`);
    assert.match(huge.problems[0].message, /over 1 MiB is refused/);
    const deep = loadPrivacyConfig('privacy.json', `{ "mode": "hosted", "x": ${'['.repeat(100)}${']'.repeat(100)} }`);
    assert.match(deep.problems[0].message, /nests deeper than 32 levels/);
  });

  it('refuses an internal host range it would misread, naming what a range is', () => {
    for (const range of ['1.2.3.4/99', '1.2.3.4/33', '300.1.1.1/8']) {
      const { problems } = loadPrivacyConfig('privacy.json', `{ "mode": "air-gapped", "internalHosts": ["${range}"] }`);
      assert.equal(problems.length, 1, range);
      assert.match(problems[0].message, /is ".*", which is neither a host name nor an IPv4 range \(four numbers up to 255, then \/0 to \/32\)/);
    }
    assert.deepEqual(loadPrivacyConfig('privacy.json', '{ "mode": "air-gapped", "internalHosts": ["10.0.0.0/8", "*.corp.acme.net", "localhost", "api_gw.corp.acme.net", "db.local.", "[::1]", "fd00::1"] }').problems, []);
  });

  // Each passed, and matched nothing: no host counted as internal, the guard never applied.
  it('refuses a wildcard elsewhere than before a host name, and a guard no code can spell', () => {
    for (const host of ['*', '10.0.0.*', 'corp.*', '*corp.acme.net']) {
      const { problems } = loadPrivacyConfig('privacy.json', `{ "mode": "air-gapped", "internalHosts": ["${host}"] }`);
      assert.equal(problems.length, 1, host);
      assert.match(problems[0].message, /A `\*` may only begin a host name \(`\*\.corp\.example\.com`\); write a range of addresses as CIDR/);
    }
    for (const host of ['localhost:8080', 'db.corp.acme.net:5432']) {
      const { problems } = loadPrivacyConfig('privacy.json', `{ "mode": "air-gapped", "internalHosts": ["${host}"] }`);
      assert.equal(problems.length, 1, host);
      assert.match(problems[0].message, /Leave the port out \(`localhost`, not `localhost:8080`\)/);
    }
    for (const match of ['!IS_CLOUD', 'a?.b', 'IS_CLOUD === true', "settings.get('a', true)", 'process.env[\\"X\\"]']) {
      const { problems } = loadPrivacyConfig('privacy.json', `{ "mode": "on-prem", "guards": [{ "match": "${match}", "kind": "hosted-only" }] }`);
      assert.equal(problems.length, 1, match);
      assert.match(problems[0].message, /^"guards\.0\.match" is .*, which Offbox cannot find in code: write an identifier/);
    }
    const guards = ['IS_CLOUD', 'process.env.TELEMETRY_DISABLED', 'hasConsent()', "settings.get('Register_Server')"].map((match) => `{ "match": "${match}", "kind": "opt-in" }`);
    assert.deepEqual(loadPrivacyConfig('privacy.json', `{ "mode": "on-prem", "guards": [${guards.join(', ')}] }`).problems, []);
  });

  it('refuses a key given twice, at the second', () => {
    const { problems } = loadPrivacyConfig('privacy.json', '{ "mode": "hosted",\n  "mode": "air-gapped" }');
    assert.deepEqual(problems, [{ file: 'privacy.json', line: 2, column: 3, message: 'has "mode" twice here; keep one (the last counts, and Offbox\'s edits change the first).' }]);
  });

  it('names unknown keys and suggests the close one', () => {
    const { problems } = loadPrivacyConfig('privacy.json', '{ "mode": "hosted", "thirdparties": [] }');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unknown key "thirdparties"\. Did you mean "thirdParties"\?/);
    // Two edits away, where the first letters differ from every key's.
    assert.match(loadPrivacyConfig('privacy.json', '{ "mode": "hosted", "mdoe": "hosted" }').problems[0].message, /unknown key "mdoe"\. Did you mean "mode"\?/);
  });

  it('says what is missing, with an example', () => {
    const { problems } = loadPrivacyConfig('privacy.json', '{\n  "policy": "docs/p.md"\n}');
    assert.equal(problems[0].line, 1);
    assert.match(problems[0].message, /privacy\.json needs "mode"\. Write for example: "mode": "on-prem"/);
    const guard = loadPrivacyConfig('privacy.json', '{ "mode": "hosted", "guards": [{ "match": "IS_CLOUD", "kind": "cloud" }] }');
    assert.match(guard.problems[0].message, /"guards\.0\.kind" is "cloud", which is not allowed: it must be one of "hosted-only", "opt-in", "opt-out", "consent"/);
  });
});

describe('offbox-ignore comments Offbox cannot read', () => {
  function problems(text: string) {
    const root = workspace({ 'privacy.json': '{ "mode": "on-prem" }', 'src/a.ts': text });
    const { config } = loadPrivacyConfig(join(root, 'privacy.json'));
    const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: root });
    return applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: root }).findings.map((finding) => ({
      line: finding.range.start.line,
      rule: finding.verdict?.rule ?? finding.ruleId,
      suppressed: finding.suppression !== undefined,
      message: finding.message,
    }));
  }

  it('reports an unknown rule id, with the one it most likely meant, and leaves the send standing', () => {
    const found = problems(['// offbox-ignore-next-line network-calls, sdk-call -- status page', "export const a = () => fetch('https://stats.acme-tools.io/usage');", ''].join('\n'));
    const typo = found.find((finding) => finding.rule === 'malformed-suppression')!;
    assert.equal(typo.line, 1);
    assert.match(typo.message, /`network-calls` is no Offbox rule id.*Did you mean `network-call`\?/);
    assert.equal(found.filter((finding) => finding.rule === 'malformed-suppression').length, 1, 'sdk-call is a rule id');
    assert.deepEqual(found.find((finding) => finding.line === 2)?.suppressed, false);
  });

  it('lists the rule ids when none is near', () => {
    const found = problems(['// offbox-ignore-next-line on-prem/no-telemetry -- status page', "export const a = () => fetch('https://stats.acme-tools.io/usage');", ''].join('\n'));
    assert.match(found.find((finding) => finding.rule === 'malformed-suppression')!.message, /The rule ids: .*network-call.*wrapper-call\./);
  });

  it('reports an unknown directive, once, and suppresses with offbox-ignore-line', () => {
    const found = problems(
      [
        "export const a = () => fetch('https://stats.acme-tools.io/a'); // offbox-ignore network-call -- status page",
        "export const b = () => fetch('https://stats.acme-tools.io/b'); // offbox-ignore-line network-call -- status page",
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      found.map(({ line, rule, suppressed }) => `${line} ${rule}${suppressed ? ' suppressed' : ''}`),
      ['1 malformed-suppression', '1 on-prem/vendor-cloud', '2 on-prem/vendor-cloud suppressed'],
    );
    assert.match(found[0].message, /`offbox-ignore` is no Offbox directive/);
  });

  it('reports a suppression that covers no finding, in a workspace scan, and none in an ignored file', () => {
    const root = workspace({
      'privacy.json': '{ "mode": "on-prem", "ignore": ["scripts/**"] }',
      // The send it was written for has moved into another module: the comment covers nothing now.
      'src/a.ts': ['// offbox-ignore-next-line network-call -- the status page', 'export const a = () => loadStatus();', "export const b = () => fetch('https://stats.acme-tools.io/b'); // offbox-ignore-line -- status page", ''].join('\n'),
      'src/b.ts': ['/* offbox-ignore-file sdk-call -- the hosted bootstrap */', 'export const c = 1;', ''].join('\n'),
      'scripts/seed.ts': ['// offbox-ignore-next-line network-call -- dev only', 'export const d = 1;', ''].join('\n'),
    });
    const { config } = loadPrivacyConfig(join(root, 'privacy.json'));
    const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: root });
    const problemsIn = (scope: 'workspace' | 'file') =>
      applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: root, scope })
        .findings.filter((finding) => finding.ruleId === 'unused-suppression')
        .map((finding) => `${finding.file}:${finding.range.start.line} ${finding.message}`);
    assert.deepEqual(problemsIn('workspace'), [
      'src/a.ts:1 This `offbox-ignore-next-line network-call` comment suppresses no finding: what it covered is gone or has moved. Remove it, or it will hide a send written here later.',
      'src/b.ts:1 This `offbox-ignore-file sdk-call` comment suppresses no finding: what it covered is gone or has moved. Remove it, or it will hide a send written here later.',
    ]);
    assert.deepEqual(problemsIn('file'), [], 'a file alone may lack the findings the rest of the codebase gives it');
  });

  it('reports a rule id a comment names but covers nothing of, and credits the nearer comment over a file-wide one', () => {
    const root = workspace({
      'privacy.json': '{ "mode": "on-prem" }',
      'src/a.ts': [
        '/* offbox-ignore-file network-call -- the whole file is the hosted bootstrap */',
        '// offbox-ignore-next-line network-call, sdk-call -- the status page',
        "export const a = () => fetch('https://stats.acme-tools.io/a');",
        '',
      ].join('\n'),
    });
    const { config } = loadPrivacyConfig(join(root, 'privacy.json'));
    const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: root });
    const findings = applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: root }).findings;
    assert.equal(findings.find((finding) => finding.ruleId === 'network-call')?.suppression?.line, 2, 'the reason written for the line');
    assert.deepEqual(
      findings.filter((finding) => finding.ruleId === 'unused-suppression').map((finding) => `${finding.range.start.line} ${finding.message}`),
      [
        '1 This `offbox-ignore-file network-call` comment suppresses no finding: what it covered is gone or has moved. Remove it, or it will hide a send written here later.',
        '2 This `offbox-ignore-next-line` comment names `sdk-call` but suppresses no `sdk-call` finding. Remove the id, or it will hide the next one written here.',
      ],
    );
  });
});
