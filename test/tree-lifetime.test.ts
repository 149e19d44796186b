import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';

// A tree must die with its analysis, to the young generation's collector too: anything that keeps it
// reachable from outside the analysis (a WeakMap entry whose value holds the tree, as the scopes once
// were) made every analysed tree survive its young collections and be promoted to the old generation,
// a fifth of a scan's CPU (bench/README.md, "Trees no longer outlive their analysis"). What is left
// in the young generation after a young collection is measured: a WeakRef cannot tell, since this
// Node keeps a WeakRef's target past its job. A context made after the flag is set has `gc`, which
// can ask for a young collection alone.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;

const catalog = loadCatalog();

const STEPS = 40;
// 14 KB of source, whose tree is about 700 KB: three sends a function, scopes, imports.
const SOURCE = [
  "import http from 'node:http';",
  "import { exec } from 'node:child_process';",
  "import posthog from 'posthog-js';",
  ...Array.from({ length: STEPS }, (_, index) =>
    [
      `export async function step${index}(user: { id: string; email: string }, options = { retries: ${index} }) {`,
      `  const url = 'https://api.acme-tools.io/v1/items/' + user.id + '?n=${index}';`,
      '  const response = await fetch(url, { method: "POST", body: JSON.stringify({ email: user.email, options }) });',
      `  posthog.capture('step ${index}', { id: user.id });`,
      `  if (options.retries > ${index % 7}) exec('curl -s https://status.acme-tools.io/${index}');`,
      '  return response.ok ? http.STATUS_CODES[200] : undefined;',
      '}',
    ].join('\n'),
  ),
].join('\n');

const youngUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size;

/** What is still alive in the young generation after one analysis of SOURCE and a young collection. */
function survivingOneAnalysis(): { survived: number; findings: number } {
  // A full collection first leaves the young generation empty.
  collect({ type: 'major' });
  const findings = analyzeSource('steps.ts', SOURCE, detectors, catalog).findings.length;
  // The young collection keeps what is still reachable: a tree kept alive by anything is copied.
  collect({ type: 'minor' });
  return { survived: youngUsed(), findings };
}

// V8 12 (Node 22) often keeps a recent analysis's tree alive through a young collection, by either
// parser path, though nothing of ours holds it once the analysis returns. Trees do not pile up there
// (a scan at scale promotes 13 MB, as on Node 20), but this measure cannot tell the two apart.
const V8_MAJOR = Number(process.versions.v8.split('.')[0]);

describe('tree lifetime', () => {
  it('leaves nothing of an analysed tree alive in the young generation', { skip: V8_MAJOR >= 12 && 'V8 12 keeps the last tree through a young collection' }, () => {
    // Warmed first: code compiled and caches filled on the first run are not the tree.
    survivingOneAnalysis();
    const runs = Array.from({ length: 7 }, survivingOneAnalysis);
    assert.equal(runs[0].findings, 3 * STEPS, 'each function sends three times');
    // The tree of SOURCE is about 700 KB with its parent pointers, and most runs kept all of it while
    // a WeakMap entry held it. A run whose analysis itself met a young collection can show part of it
    // either way (copied, or promoted and so no longer young): the median of seven tells what an
    // analysis leaves, its findings (returned, and dropped here) and a few caches.
    const survived = runs.map((run) => run.survived).sort((a, b) => a - b);
    const median = survived[Math.floor(survived.length / 2)];
    assert.ok(median < 100_000, `a median ${median} bytes of the young generation outlived the analysis (${survived.join(', ')})`);
  });
});
