import { readFileSync } from 'node:fs';
import { IncrementalParser } from './src/core/incremental-parse';
import { parseSource } from './src/core/parse';
import { listCorpusFiles } from './bench/lib/files.mjs';
const shape = (p: unknown) => JSON.stringify(p, (k, v) => (k === 'parent' || k === 'loc' ? undefined : typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? String(v) : v));
let seed = Number(process.argv[2] ?? 7); const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const TYPED = ['a', ' ', '\n', ';', '(', ')', '{', '}', "'", '`', '/', '*', 'x', '1', '.', ',', 'return ', 'await ', 'yield ', 'super.x();', 'super();', 'const z = 1;', 'if (a) {', '//', '/*', '<div>', '</div>', 'static ', 'get ', 'async ', 'm() {}', 'a: 1,', '#p = 1;', '@dec ', 'abstract ', 'arguments', 'new.target', 'this.'];
const all = [...listCorpusFiles('/work/corpus/dokploy').files, ...listCorpusFiles('/work/corpus/rocketchat').files, ...listCorpusFiles('/work/corpus/outline').files];
const files = all.filter((_, i) => i % 61 === (seed % 61)).slice(0, 80);
let spliced = 0, total = 0, bad = 0;
for (const file of files) {
  const parser = new IncrementalParser(file);
  let text = readFileSync(file, 'utf8'); let good = text;
  parser.parse(text);
  let at = Math.floor(next() * text.length);
  for (let step = 0; step < 100; step++) {
    const base = parseSource(file, text).partial && next() < 0.8 ? good : text;
    if (next() < 0.2) at = Math.floor(next() * (base.length + 1)); else at = Math.min(base.length, Math.max(0, at + Math.floor(next() * 40) - 20));
    text = next() < 0.3 ? base.slice(0, at) + base.slice(at + 1 + Math.floor(next() * 5)) : base.slice(0, at) + TYPED[Math.floor(next() * TYPED.length)] + base.slice(at);
    const a = parser.parse(text); const b = parseSource(file, text); total++;
    if (shape(a.program) !== shape(b.program) || Boolean(a.partial) !== Boolean(b.partial)) { bad++; console.log('MISMATCH', file, step, JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))); break; }
    if (!b.partial) good = text;
  }
  spliced += parser.spliced;
}
console.log({ seed: process.argv[2], files: files.length, total, spliced, bad });
