import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from './helpers/formats';

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
    assert.equal(code, 0);
    assert.match(stdout, /examples\/onprem-helpdesk\/src\/server\/license\.ts/);
    assert.match(stdout, /By vendor: .*PostHog/);
    assert.match(stdout, /By category: /);
  });

  it('writes JSON with every finding, its level and the summary', () => {
    const { code, stdout } = offbox(['scan', EXAMPLE, '--format', 'json']);
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
    const output = join(mkdtempSync(join(tmpdir(), 'offbox-')), 'out.sarif');
    const { code, stderr } = offbox(['scan', 'examples/onprem-helpdesk', '--format', 'sarif', '--output', output]);
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
    const licence = run.results.find((result: { properties: { host?: string } }) => result.properties.host === 'licensing.acme-helpdesk.io');
    assert.ok(licence, 'the licence check is in the results');
    assert.deepEqual(Object.keys(licence.partialFingerprints), ['offbox/v1']);
    assert.ok(licence.relatedLocations?.length > 0, 'the licence URL constant is a related location');
    const shell = run.results.find((result: { ruleId: string }) => result.ruleId === 'shell-egress');
    assert.equal(shell.properties.host, 'plugins.acme-helpdesk.io');
    const wrapper = run.results.find((result: { ruleId: string }) => result.ruleId === 'wrapper-call');
    assert.ok(wrapper.properties.via.length > 0);
  });

  it('exits 1 when a finding reaches --fail-on', () => {
    assert.equal(offbox(['scan', EXAMPLE, '--fail-on', 'warning', '--format', 'json']).code, 1);
    assert.equal(offbox(['scan', EXAMPLE, '--fail-on', 'none', '--format', 'json']).code, 0);
  });

  it('exits 2 with a clear message on bad usage', () => {
    const badFormat = offbox(['scan', '.', '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of text, json, sarif/);
    const badLevel = offbox(['scan', '.', '--fail-on', 'high']);
    assert.equal(badLevel.code, 2);
    assert.match(badLevel.stderr, /--fail-on must be one of/);
    const missing = offbox(['scan', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/dir cannot be read: ENOENT/);
    assert.equal(offbox(['frobnicate']).code, 2);
    assert.equal(offbox(['scan', '--bogus']).code, 2);
  });

  it('says how many files it skipped and why', () => {
    const directory = mkdtempSync(join(tmpdir(), 'offbox-skip-'));
    writeFileSync(join(directory, 'binary.js'), Buffer.from([0x66, 0x00, 0x01, 0x02]));
    writeFileSync(join(directory, 'app.test.ts'), "fetch('https://api.acme-tools.io')");
    const { code, stdout } = offbox(['scan', directory, '--verbose']);
    assert.equal(code, 0);
    assert.match(stdout, /Skipped: .*1 binary content/);
    assert.match(stdout, /app\.test\.ts: test file \(use --include-tests\)/);
  });
});
