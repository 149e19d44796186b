import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { parserInfo } from '../src/core/parse';
import { scanPaths } from '../src/core/scan';

const ROOT = join(__dirname, '..');
const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];

/** Scans with the parser forced by OFFBOX_PARSER (read when each file is parsed). */
function scanWith(parser: 'oxc' | 'typescript', cwd: string) {
  const previous = process.env.OFFBOX_PARSER;
  process.env.OFFBOX_PARSER = parser;
  try {
    return scanPaths(['.'], loadCatalog(), detectors, { cwd, includeTests: true }).findings;
  } finally {
    if (previous === undefined) delete process.env.OFFBOX_PARSER;
    else process.env.OFFBOX_PARSER = previous;
  }
}

// oxc is the fast path; TypeScript + typescript-estree is the reference. They must agree exactly.
describe('oxc and the TypeScript reference parser give identical findings', () => {
  for (const workspace of workspaces) {
    it(workspace.slice(ROOT.length + 1), () => {
      assert.deepEqual(scanWith('oxc', workspace), scanWith('typescript', workspace));
    });
  }
});

// Raw transfer is the default where the runtime allows it; `npm run test:node22` runs this suite on Node 22.
describe('how oxc hands its tree over', () => {
  it('uses raw transfer on Node 22 and later, JSON before', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.deepEqual(parserInfo(), { parser: 'oxc', rawTransfer: major >= 22 && process.env.OFFBOX_OXC_RAW !== '0' });
  });
});
