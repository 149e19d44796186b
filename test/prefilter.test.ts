import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { scanPaths } from '../src/core/scan';

const ROOT = join(__dirname, '..');
const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];

// The prefilter is only worth having if it never changes a result: parse-everything is the oracle.
describe('the prefilter never changes findings', () => {
  for (const workspace of workspaces) {
    it(workspace.slice(ROOT.length + 1), () => {
      const fast = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, includeTests: true, prefilter: true });
      const full = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, includeTests: true, prefilter: false });
      assert.equal(full.counts.prefiltered, 0);
      assert.deepEqual(fast.findings, full.findings);
    });
  }
});
