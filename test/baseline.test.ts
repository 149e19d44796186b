import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBaseline } from '../src/core/baseline';
import { tempDir } from './helpers/temp';

/** readBaseline of a file holding `content`. */
function baselineOf(content: string) {
  const path = join(tempDir('offbox-baseline-'), 'baseline.json');
  writeFileSync(path, content);
  return readBaseline(path);
}

describe('a --baseline file', () => {
  it('gives the fingerprints of an Offbox JSON report and of a SARIF log', () => {
    assert.deepEqual(baselineOf('{ "findings": [{ "fingerprint": "a" }, { "fingerprint": "b" }, {}] }'), { fingerprints: new Set(['a', 'b']), entries: 3 });
    assert.deepEqual(baselineOf('{ "runs": [{ "results": [{ "partialFingerprints": { "offbox/v1": "c" } }, {}] }, {}] }'), { fingerprints: new Set(['c']), entries: 2 });
    // With a BOM, as some editors save JSON.
    assert.deepEqual(baselineOf('\uFEFF{ "findings": [] }'), { fingerprints: new Set(), entries: 0 });
  });

  it('of any other shape is refused with what a baseline is, never followed into a crash', () => {
    for (const content of ['null', '5', '[]', '{}', '{ "findings": 5 }', '{ "findings": {} }', '{ "findings": [null] }', '{ "runs": [null] }', '{ "runs": {} }', '{ "runs": [{ "results": [null] }] }', '{ "runs": [{ "results": 3 }] }']) {
      const read = baselineOf(content);
      assert.ok('error' in read, content);
      assert.match(read.error, /is neither an Offbox JSON report \(findings: an array\) nor a SARIF log/, content);
    }
  });
});
