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
