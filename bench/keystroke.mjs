// Per-keystroke analysis of an open file, as the editor does it: dist/engine.js's analyzeDocument on
// a ~2,000-line file, after each of 200 one-character edits. Prints p50/p95/max in milliseconds.
//   node bench/keystroke.mjs [file]   (default: the longest file under 2,500 lines of the corpus that has findings)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpusFiles } from './lib/files.mjs';

const require = createRequire(import.meta.url);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = require(join(repo, 'dist', 'engine.js'));
const corpus = process.env.OFFBOX_CORPUS ?? '/work/corpus/rocketchat';

let file = process.argv[2];
if (!file) {
  // A real file near 2,000 lines: the closest to that in the corpus.
  const candidates = listCorpusFiles(corpus).files.map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').length }));
  candidates.sort((a, b) => Math.abs(a.lines - 2000) - Math.abs(b.lines - 2000));
  file = candidates[0].path;
}
const original = readFileSync(file, 'utf8');
const lines = original.split('\n');
const policy = { root: dirname(file), config: { mode: 'on-prem' }, configFile: undefined };
const name = file.split('/').pop();
engine.analyzeDocument(policy, name, original); // warm-up: first use loads and compiles the engine
const times = [];
let findings = 0;
for (let edit = 0; edit < 200; edit += 1) {
  // Type one character at the end of a line in the middle, as a person editing would.
  const line = Math.floor(lines.length / 2) + (edit % 20);
  const edited = [...lines.slice(0, line), `${lines[line]}${edit % 2 ? ' ' : ''}`, ...lines.slice(line + 1)].join('\n');
  const started = performance.now();
  findings = engine.analyzeDocument(policy, name, edited).findings.length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
console.log(`${file}: ${lines.length} lines, ${(original.length / 1024).toFixed(0)} KiB, ${findings} findings`);
console.log(`keystroke analysis over 200 edits: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
