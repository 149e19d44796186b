import { detectors } from './src/analyzers/index';
import { loadCatalog } from './src/core/default-catalog';
import { scanPaths } from './src/core/scan';
import { ScanCache } from './src/core/scan-cache';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
const root = '/work/corpus/rocketchat';
rmSync('/tmp/res-cache.json', { force: true });
const cache = new ScanCache('/tmp/res-cache.json', 'k', { writeBehind: true });
let t0 = performance.now();
const cold = scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache });
console.log('cold', (performance.now() - t0).toFixed(0), cold.findings.length);
const f = root + '/apps/meteor/app/livechat/server/lib/Livechat.js';
const orig = readFileSync(f);
for (let i = 0; i < 4; i++) {
  writeFileSync(f, Buffer.concat([orig, Buffer.from(`\n// edit ${i}\n`)]));
  t0 = performance.now();
  const warm = scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache });
  console.log('resident warm', (performance.now() - t0).toFixed(0), warm.findings.length, warm.counts.cached);
}
writeFileSync(f, orig);
