import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { parseGuards } from '../src/core/guards';
import { applyPolicy } from '../src/core/policy-run';
import { loadPrivacyConfig } from '../src/core/privacy-config';
import { scanPaths } from '../src/core/scan';
import { CLEAN_MARKER, compareWithExpectations, fixtureFiles, readExpectations } from './helpers/fixtures';

const EXAMPLES = join(__dirname, '..', 'examples');

/** Findings about files that cannot hold `// expect:` comments (the policy document, privacy.json). */
const DOCUMENT_FINDINGS: Record<string, string[]> = {
  'onprem-helpdesk': [],
  'hosted-shipyard': ['docs/privacy.md:10 policy-stale-disclosure ProfitWell'],
  'airgapped-chat': [],
};

function judgedExample(name: string) {
  const directory = join(EXAMPLES, name);
  const { config, problems } = loadPrivacyConfig(join(directory, 'privacy.json'));
  assert.deepEqual(problems, []);
  const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: directory, guards: parseGuards(config!.guards ?? []) });
  return { directory, ...applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: directory }) };
}

// Each example is a small product with planted violations; the verdicts it must get are written beside the code.
for (const name of Object.keys(DOCUMENT_FINDINGS)) {
  describe(`example ${name} in its declared mode`, () => {
    const { directory, findings, documentError } = judgedExample(name);
    it('reads its policy document', () => assert.equal(documentError, undefined));
    for (const file of fixtureFiles(directory)) {
      const source = readFileSync(join(directory, file), 'utf8');
      const active = findings.filter((finding) => finding.file === file && !finding.suppression);
      it(`${file} gets exactly the planted verdicts`, () => {
        if (source.startsWith(CLEAN_MARKER)) return assert.deepEqual(active.map((finding) => finding.message), []);
        return assert.deepEqual(compareWithExpectations(active, readExpectations(join(directory, file), file)), []);
      });
    }
    it('flags the policy document where it drifts from the code', () => {
      const other = findings.filter((finding) => !/\.[cm]?[jt]sx?$/.test(finding.file));
      assert.deepEqual(other.map((finding) => `${finding.file}:${finding.range.start.line} ${finding.ruleId} ${finding.vendor?.name ?? /names (.+?),/.exec(finding.message)?.[1] ?? ''}`), DOCUMENT_FINDINGS[name]);
    });
  });
}

describe('suppressions', () => {
  const { findings } = judgedExample('airgapped-chat');
  const suppressed = findings.filter((finding) => finding.suppression);
  it('keeps suppressed findings, with their justification', () => {
    assert.deepEqual(
      suppressed.map((finding) => [finding.destination.host, finding.suppression!.justification]),
      [
        ['docs.acme-chat.io', 'the link checker runs only in Acme\'s own CI, never in a shipped build'],
        ['status.acme-chat.io', ''],
      ],
    );
  });
});
