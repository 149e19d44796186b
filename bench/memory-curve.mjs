// Peak memory and time of a cold scan as the codebase grows: the first 1k, 2k, 4k and 8k files of a
// corpus (sorted), hard-linked into a temp tree (the scanner never follows symlinks). Growth should be
// linear in the corpus size.
//   node bench/memory-curve.mjs [corpus-dir] [--json]   (default: $OFFBOX_CORPUS or /work/corpus)
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpusFiles, MiB } from './lib/files.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const corpus = resolve(args.find((arg) => !arg.startsWith('--')) ?? process.env.OFFBOX_CORPUS ?? '/work/corpus');
const { files } = listCorpusFiles(corpus);
const rows = [];
for (const count of [1000, 2000, 4000, 8000].filter((n) => n <= files.length)) {
  const tree = mkdtempSync(join(tmpdir(), 'offbox-curve-'));
  let bytes = 0;
  for (const file of files.slice(0, count)) {
    const target = join(tree, relative(corpus, file));
    mkdirSync(dirname(target), { recursive: true });
    linkSync(file, target);
    bytes += statSync(file).size;
  }
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(repo, 'bin/offbox.js'), 'scan', tree, '--include-tests', '--format', 'json', '--output', join(tree, '..', `${count}.json`)], { encoding: 'utf8' });
  const [wall, rssKB] = run.stderr.trim().split('\n').pop().split(' ').map(Number);
  rows.push({ files: count, MiB: (bytes / MiB).toFixed(2), wall, rssMB: Math.round(rssKB / 1024) });
  rmSync(tree, { recursive: true, force: true });
}
console.log(`corpus ${corpus}: the first N files (sorted), cold scans`);
console.log('| files | MiB | wall s | peak RSS MB | MB per 1k files |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.files} | ${row.MiB} | ${row.wall} | ${row.rssMB} | ${(row.rssMB / (row.files / 1000)).toFixed(0)} |`);
if (args.includes('--json')) console.log(JSON.stringify({ corpus, rows }));
