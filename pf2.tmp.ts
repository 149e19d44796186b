import { buildPrefilter } from './src/core/prefilter';
import { loadCatalog } from './src/core/default-catalog';
import { detectors } from './src/analyzers/index';
import { readFileSync } from 'node:fs';
import { listCorpusFiles } from './bench/lib/files.mjs';
const catalog = loadCatalog();
const re = buildPrefilter(catalog, detectors);
const { files } = listCorpusFiles('/work/corpus/rocketchat');
const texts = files.map((f) => readFileSync(f, 'utf8'));
const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const packages = new Set(catalog.packageNames());
const globals = catalog.globalRoots().map(esc).sort((a, b) => b.length - a.length);
const words = [...new Set(detectors.flatMap((d) => d.meta.keywords))].map(esc);
const reWords = new RegExp(`\\b(?:${globals.join('|')})\\b|${words.join('|')}`);
const reQuoted = /["'`](?:node:)?((?:@[\w.-]+\/)?[\w.-]+)(?=["'`/])/g;
function alt(text: string) {
  if (reWords.test(text)) return true;
  reQuoted.lastIndex = 0;
  for (let m; (m = reQuoted.exec(text)); ) if (packages.has(m[1])) return true;
  return false;
}
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); let a = 0; for (const t of texts) if (re.test(t)) a++; const t1 = performance.now();
  let b = 0; for (const t of texts) if (alt(t)) b++; const t2 = performance.now();
  let c = 0; for (const t of texts) if (reWords.test(t)) c++; const t3 = performance.now();
  console.log('orig', a, (t1 - t0).toFixed(0), 'alt', b, (t2 - t1).toFixed(0), 'wordsOnly', c, (t3 - t2).toFixed(0));
}
