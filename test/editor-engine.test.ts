import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../src/extension/engine';
import { loadPrivacyConfig } from '../src/core/privacy-config';

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
