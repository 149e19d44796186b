import { detectors } from './src/analyzers/index';
import { loadCatalog } from './src/core/default-catalog';
import { scanPaths } from './src/core/scan';
import { ScanCache } from './src/core/scan-cache';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector';
const root = '/work/corpus/rocketchat';
const cache = new ScanCache('/tmp/res-cache.json', 'k', { writeBehind: true });
scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache });
const f = root + '/apps/meteor/app/livechat/server/lib/Livechat.js';
const orig = readFileSync(f);
const session = new Session(); session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start', () => {
  for (let i = 0; i < 10; i++) {
    writeFileSync(f, Buffer.concat([orig, Buffer.from(`\n// edit ${i}\n`)]));
    scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache });
  }
  writeFileSync(f, orig);
  session.post('Profiler.stop', (err, { profile }) => { require('node:fs').mkdirSync('/tmp/prof3', { recursive: true }); require('node:fs').rmSync('/tmp/prof3', { recursive: true }); require('node:fs').mkdirSync('/tmp/prof3'); writeFileSync('/tmp/prof3/x.cpuprofile', JSON.stringify(profile)); });
}));
