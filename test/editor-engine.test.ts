import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../src/extension/engine';
import { loadPrivacyConfig } from '../src/core/privacy-config';
import { scanPaths } from '../src/core/scan';
import { loadCatalog } from '../src/core/default-catalog';
import { detectors } from '../src/analyzers/index';

const EXAMPLE = join(__dirname, '..', 'examples', 'onprem-helpdesk');

// The editor analyses one open document at a time; it must judge it as the workspace scan does.
describe('the editor engine', () => {
  it('resolves URL constants imported from other modules, as the workspace scan does', () => {
    const { config } = loadPrivacyConfig(join(EXAMPLE, 'privacy.json'));
    const file = 'src/server/license.ts';
    const { findings } = analyzeDocument({ root: EXAMPLE, config, configFile: 'privacy.json' }, file, readFileSync(join(EXAMPLE, file), 'utf8'));
    assert.deepEqual(
      findings.map((finding) => [finding.destination.host, finding.verdict?.rule]),
      [
        ['licensing.acme-helpdesk.io', 'on-prem/licence-check'],
        ['licensing.acme-helpdesk.io', 'on-prem/licence-no-personal-data'],
      ],
    );
  });

  it('does not parse a document without a sign of a send', () => {
    const { findings } = analyzeDocument({ root: EXAMPLE }, 'src/plain.ts', 'export const add = (a: number, b: number) => a + b;\n');
    assert.deepEqual(findings, []);
  });
});

// A client another module exports is followed in an open document as the last workspace scan did:
// opening the file must not drop the scan's finding.
describe('the editor follows clients the last scan found exported', () => {
  const FIXTURE = join(__dirname, 'fixtures', 'sdk-call');
  const file = 'shared-clients.ts';
  const text = readFileSync(join(FIXTURE, file), 'utf8');
  const scan = scanPaths(['.'], loadCatalog(), detectors, { cwd: FIXTURE, includeTests: true });
  it('finds in the document what the scan found in the file', () => {
    assert.ok(scan.clientExports?.length, 'the scan lists the client exports');
    const { findings } = analyzeDocument({ root: FIXTURE }, file, text, scan.clientExports);
    const lines = (list: Array<{ file: string; range: { start: { line: number } }; ruleId: string }>) => list.filter((finding) => finding.file === file).map((finding) => `${finding.ruleId}:${finding.range.start.line}`).sort();
    assert.deepEqual(lines(findings), lines(scan.findings));
  });
  it('follows none without a scan', () => {
    assert.deepEqual(analyzeDocument({ root: FIXTURE }, file, text).findings, []);
  });
});

// What the extension logs instead of letting findings, or a policy check, vanish without a word.
describe('the editor engine says what it could not do', () => {
  it('names a policy document it cannot read, and why a document was not analysed', () => {
    const { config } = loadPrivacyConfig(join(EXAMPLE, 'privacy.json'));
    const missing = analyzeDocument({ root: EXAMPLE, config: { ...config!, policy: 'docs/missing.md' }, configFile: 'privacy.json' }, 'src/server/monitoring.ts', readFileSync(join(EXAMPLE, 'src/server/monitoring.ts'), 'utf8'));
    assert.match(missing.documentError ?? '', /The policy document docs\/missing\.md named in privacy\.json cannot be read \(ENOENT\)/);
    const deep = analyzeDocument({ root: EXAMPLE }, 'src/deep.ts', `fetch('https://api.segment.io/v1');\nconst t = ${'a ? b :\n'.repeat(20_000)}c;\n`);
    assert.match(deep.skipped ?? '', /nesting too deep/);
  });
});

// The editor judges the calls into wrappers the last scan found with the document as it is now: its
// offbox-ignore comments then cover them, and one covering nothing is reported.
describe('the editor judges the last scan\'s wrapper calls with the document', () => {
  const { config } = loadPrivacyConfig(join(EXAMPLE, 'privacy.json'));
  const policy = { root: EXAMPLE, config, configFile: 'privacy.json' };
  const file = 'src/server/webhooks.ts';
  const text = readFileSync(join(EXAMPLE, file), 'utf8');
  const scan = scanPaths(['.'], loadCatalog(), detectors, { cwd: EXAMPLE });
  const wrapperCalls = scan.findings.filter((finding) => finding.file === file && finding.ruleId === 'wrapper-call');
  const lines = text.split('\n');
  const callLine = wrapperCalls[0]?.range.start.line;
  const rules = (findings: Array<{ ruleId: string; range: { start: { line: number } }; suppression?: unknown }>) => findings.map((finding) => `${finding.range.start.line} ${finding.ruleId}${finding.suppression ? ' suppressed' : ''}`);

  it('suppresses a wrapper call by a comment written since the scan', () => {
    assert.equal(wrapperCalls.length, 1);
    assert.deepEqual(rules(analyzeDocument(policy, file, text, scan.clientExports, wrapperCalls).findings).filter((line) => line.endsWith('wrapper-call')), [`${callLine} wrapper-call`]);
    const edited = lines.map((line, index) => (index + 1 === callLine ? `${line} // offbox-ignore-line wrapper-call -- the hosted edition only` : line)).join('\n');
    const { findings } = analyzeDocument(policy, file, edited, scan.clientExports, wrapperCalls);
    assert.deepEqual(rules(findings).filter((line) => line.includes('wrapper-call') || line.includes('suppression')), [`${callLine} wrapper-call suppressed`]);
  });

  it('reports a comment that covers nothing once the scan is known, and only then', () => {
    const stale = `// offbox-ignore-next-line network-call -- the status page\nexport const status = 1;\n${text}`;
    assert.deepEqual(rules(analyzeDocument(policy, file, stale, scan.clientExports, wrapperCalls).findings).filter((line) => line.includes('suppression')), ['1 unused-suppression']);
    assert.deepEqual(rules(analyzeDocument(policy, file, stale, scan.clientExports).findings).filter((line) => line.includes('suppression')), []);
  });
});
