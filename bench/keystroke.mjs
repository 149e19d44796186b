// Per-keystroke analysis of an open file, as the editor does it: dist/engine.js's analyzeDocument on
// a ~2,000-line file, after each of 1,000 one-character edits. Prints p50/p95/max in milliseconds.
//   node bench/keystroke.mjs [file] [--sends | --jsx] [--json]
// Default file: the corpus file closest to 2,000 lines; with --sends, the closest among files that
// call fetch or an HTTP client and have a finding (so the whole analysis runs, not only the prefilter);
// with --jsx, the closest .tsx or .jsx file that passes the prefilter (a React page: edits land in its
// markup, which the editor re-parses element by element). --json prints the figures as one JSON line
// last (bench/run.mjs reads it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpusFiles } from './lib/files.mjs';

const require = createRequire(import.meta.url);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = require(join(repo, 'dist', 'engine.js'));
const corpus = process.env.OFFBOX_CORPUS ?? '/work/corpus/rocketchat';

const args = process.argv.slice(2);
const withSends = args.includes('--sends');
const jsx = args.includes('--jsx');
let file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  // A real file near 2,000 lines: the closest to that in the corpus.
  const sends = /\bfetch\(|\bHTTP\.(?:call|get|post)\(|\baxios\b/;
  const candidates = listCorpusFiles(corpus)
    .files.filter((path) => !jsx || /\.[jt]sx$/.test(path))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter(({ text }) => !withSends || sends.test(text))
    .map(({ path, text }) => ({ path, text, lines: text.split('\n').length }));
  candidates.sort((a, b) => Math.abs(a.lines - 2000) - Math.abs(b.lines - 2000));
  const fileName = ({ path }) => path.split('/').pop();
  // With --sends, the closest file in which the editor reports at least one send; with --jsx, the
  // closest one it parses (one the prefilter lets go is never parsed, and its markup never re-read).
  const chosen = withSends
    ? candidates.find((candidate) => engine.analyzeDocument({ root: dirname(candidate.path), config: { mode: 'on-prem' } }, fileName(candidate), candidate.text).findings.length > 0)
    : jsx
      ? candidates.find((candidate) => engine.passesPrefilter(fileName(candidate), candidate.text))
      : candidates[0];
  file = (chosen ?? candidates[0])?.path;
  if (!file) {
    console.error(`no ${jsx ? '.tsx or .jsx ' : ''}file in ${corpus}`);
    process.exit(1);
  }
}
const original = readFileSync(file, 'utf8');
const lines = original.split('\n');
const policy = { root: dirname(file), config: { mode: 'on-prem' }, configFile: undefined };
const name = file.split('/').pop();
engine.analyzeDocument(policy, name, original); // warm-up: first use loads and compiles the engine
// Enough edits that the p95 is the 50th-worst, not the 10th: steadier on a shared machine.
const EDITS = 1000;
const times = [];
let findings = 0;
for (let edit = 0; edit < EDITS; edit += 1) {
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
console.log(`keystroke analysis over ${EDITS} edits: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
if (args.includes('--json')) console.log(JSON.stringify({ file, lines: lines.length, findings, p50: Number(at(0.5)), p95: Number(at(0.95)), max: times[times.length - 1], node: process.version }));
