import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { scanPaths } from '../src/core/scan';
import { CLEAN_MARKER, compareWithExpectations, fixtureFiles, readExpectations, renderSnapshot } from './helpers/fixtures';

const FIXTURES = join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

// Each folder of test/fixtures is a small workspace: scanned whole, so wrappers across files work.
for (const name of readdirSync(FIXTURES).sort()) {
  const directory = join(FIXTURES, name);
  describe(`fixture ${name}`, () => {
    const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: directory, includeTests: true });
    for (const file of fixtureFiles(directory)) {
      const path = join(directory, file);
      const source = readFileSync(path, 'utf8');
      const findings = result.findings.filter((finding) => finding.file === file);
      if (source.startsWith(CLEAN_MARKER)) {
        it(`${file} has no findings`, () => {
          assert.deepEqual(findings.map((finding) => `${finding.range.start.line}: ${finding.message}`), []);
        });
        continue;
      }
      it(`${file} yields exactly the expected findings`, () => {
        const expectations = readExpectations(path, file);
        assert.ok(expectations.length > 0, `${file} has no // expect: comments and no clean marker`);
        const problems = compareWithExpectations(findings, expectations);
        assert.deepEqual(problems, []);
      });
      it(`${file} renders as its snapshot`, () => {
        const snapshotPath = `${path}.snap`;
        const rendered = renderSnapshot(source, findings);
        // A missing snapshot is written on a developer's machine and is a failure in CI.
        if (!existsSync(snapshotPath) && process.env.CI) assert.fail(`${file}.snap is missing: run npm test locally and commit it`);
        if (UPDATE || !existsSync(snapshotPath)) writeFileSync(snapshotPath, rendered);
        assert.equal(rendered, readFileSync(snapshotPath, 'utf8'), `${file}.snap is out of date: run UPDATE_SNAPSHOTS=1 npm test and review the diff`);
      });
    }
  });
}
